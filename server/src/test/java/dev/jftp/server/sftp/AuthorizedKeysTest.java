package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** authorized_keys lines as ssh-keygen writes them: which keys are accepted, which refused and why. */
class AuthorizedKeysTest {
    @TempDir
    static Path dir;

    static ClientKeys keys;

    @BeforeAll
    static void makeKeys() throws IOException {
        keys = ClientKeys.in(dir);
    }

    static String generated(String name, String... type) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", "c", "-f", dir.resolve(name).toString()));
        command.addAll(List.of(type));
        ExternalCommand.Result r = ExternalCommand.in(dir).run(command);
        assertThat(r.exit()).as(r.describe()).isZero();
        return Files.readString(dir.resolve(name + ".pub")).strip();
    }

    @Test
    void ed25519EcdsaAndRsaKeysAreAcceptedAndMatchOnlyThemselves() throws IOException {
        for (String name : ClientKeys.ACCEPTED) {
            String line = keys.publicLine(name);
            var key = AuthorizedKeys.parse(line);
            assertThat(AuthorizedKeys.contains("alice", keys.authorizedLines(), key)).as(name).isTrue();
            assertThat(AuthorizedKeys.contains("alice", List.of(keys.publicLine(ClientKeys.UNKNOWN)), key)).as(name).isFalse();
        }
    }

    @Test
    void canonicalFormIsTypeKeyAndComment() throws IOException {
        String line = keys.publicLine("id_ed25519");
        assertThat(AuthorizedKeys.canonical("  " + line.replace(" ", " \t ") + "  ")).isEqualTo(line);
    }

    @Test
    void shortRsaDsaOptionsAndGarbageAreRefusedWithAReason() throws IOException {
        assertThatThrownBy(() -> AuthorizedKeys.parse(generated("short_rsa", "-t", "rsa", "-b", "1024")))
                .hasMessageContaining("1024 bits is too short");
        String ed25519 = keys.publicLine("id_ed25519");
        assertThatThrownBy(() -> AuthorizedKeys.parse("from=\"10.0.0.1\" " + ed25519)).hasMessageContaining("options are not supported");
        assertThatThrownBy(() -> AuthorizedKeys.parse("ssh-dss AAAAB3NzaC1kc3MAAACBAP comment")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> AuthorizedKeys.parse("ssh-ed25519 notbase64!! c")).hasMessageContaining("not a valid ssh-ed25519 key");
        assertThatThrownBy(() -> AuthorizedKeys.parse("# a comment")).hasMessageContaining("not a key line");
    }

    @Test
    void aBrokenStoredLineIsSkippedNotFatal() throws IOException {
        var key = AuthorizedKeys.parse(keys.publicLine("id_rsa"));
        assertThat(AuthorizedKeys.contains("alice", List.of("garbage", keys.publicLine("id_rsa")), key)).isTrue();
    }
}
