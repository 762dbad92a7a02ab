package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeysTest {
    @TempDir
    Path dir;

    @Test
    void keysAreMadeOnceWithOwnerOnlyModesAndKeptAcrossStarts() throws IOException {
        Path keys = dir.resolve("jftpd-ssh");
        HostKeys first = HostKeys.loadOrCreate(keys);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        try (var files = Files.list(keys)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "ssh_host_ed25519_key", "ssh_host_ed25519_key.pub", "ssh_host_rsa_key", "ssh_host_rsa_key.pub");
        }
        try (var files = Files.list(keys)) {
            for (Path file : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
            }
        }
        HostKeys second = HostKeys.loadOrCreate(keys);
        assertThat(second.fingerprints()).isEqualTo(first.fingerprints());
        assertThat(first.fingerprints().get(0)).matches("256 SHA256:[A-Za-z0-9+/]{43} \\(ED25519\\)");
        assertThat(first.fingerprints().get(1)).matches("3072 SHA256:[A-Za-z0-9+/]{43} \\(RSA\\)");
    }

    @Test
    void aKeyOthersMayReadIsRefused() throws IOException {
        Path keys = dir.resolve("keys");
        HostKeys.loadOrCreate(keys);
        Files.setPosixFilePermissions(keys.resolve("ssh_host_ed25519_key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> HostKeys.loadOrCreate(keys)).isInstanceOf(IOException.class)
                .hasMessageContaining("ssh_host_ed25519_key").hasMessageContaining("chmod 600");
    }

    @Test
    void aFileThatIsNoKeyIsRefused() throws IOException {
        Path keys = Files.createDirectories(dir.resolve("bad"));
        Path key = keys.resolve("ssh_host_rsa_key");
        Files.writeString(key, "not a key\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> HostKeys.loadOrCreate(keys)).isInstanceOf(IOException.class).hasMessageContaining("ssh_host_rsa_key");
    }
}
