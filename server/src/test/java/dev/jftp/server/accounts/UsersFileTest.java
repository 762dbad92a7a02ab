package dev.jftp.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file's account lines and, for SFTP, its authorized-key lines ({@code name:key:LINE}). */
class UsersFileTest {
    private static final String HASH = new PasswordHasher().hash("pw".toCharArray());
    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm0yVX1e0uoTtiO8v7JCqVxbGbQ+fH7qA0qE8b3mM1q alice@laptop:work";
    private static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= alice@desk";

    @TempDir
    Path dir;

    @Test
    void keysBelongToTheAccountOfTheirName() throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, List.of("# comment", "alice:" + HASH + ":alice:all", "alice:key:" + ED25519, "bob:" + HASH + "::read",
                "alice:key:  " + ECDSA + "  "));
        List<StoredAccount> accounts = UsersFile.load(file);
        assertThat(accounts).extracting(StoredAccount::name).containsExactly("alice", "bob");
        assertThat(accounts.get(0).authorizedKeys()).containsExactly(ED25519, ECDSA);
        assertThat(accounts.get(0).home()).isEqualTo("alice");
        assertThat(accounts.get(1).authorizedKeys()).isEmpty();
    }

    @Test
    void aKeyWithoutItsAccountIsAnErrorNamingTheLine() throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, List.of("alice:" + HASH + ":alice:all", "carol:key:" + ED25519));
        assertThatThrownBy(() -> UsersFile.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":2: ").hasMessageContaining("carol");
        Files.write(file, List.of("alice:" + HASH + ":alice:all", "alice:key:"));
        assertThatThrownBy(() -> UsersFile.load(file)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":2: ");
    }

    @Test
    void putReplacesTheAccountWithItsKeysInPlaceAndKeepsTheOtherLines() throws Exception {
        Path file = dir.resolve("users");
        UsersFile.put(file, new StoredAccount("alice", HASH, "alice", Permission.ALL, List.of(ED25519, ECDSA)));
        UsersFile.put(file, new StoredAccount("bob", HASH, "", Permission.READ_ONLY, List.of()));
        assertThat(UsersFile.load(file).getFirst().authorizedKeys()).containsExactly(ED25519, ECDSA);

        UsersFile.put(file, new StoredAccount("alice", HASH, "home2", Permission.ALL, List.of(ECDSA)));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.stream().filter(l -> !l.startsWith("#")).toList()).containsExactly(
                "alice:" + HASH + ":home2:read,write,delete,mkdir,rename", "alice:key:" + ECDSA, "bob:" + HASH + "::read");
        assertThat(UsersFile.load(file).getFirst().authorizedKeys()).containsExactly(ECDSA);

        assertThat(UsersFile.remove(file, "alice")).isTrue();
        assertThat(Files.readString(file)).doesNotContain("alice");
        assertThat(UsersFile.load(file)).extracting(StoredAccount::name).containsExactly("bob");
    }

    @Test
    void aKeyOfMoreThanOneLineIsRefused() {
        Path file = dir.resolve("users");
        assertThatThrownBy(() -> UsersFile.put(file, new StoredAccount("alice", HASH, "", Permission.ALL, List.of(ED25519 + "\nbob:x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(file).doesNotExist();
    }
}
