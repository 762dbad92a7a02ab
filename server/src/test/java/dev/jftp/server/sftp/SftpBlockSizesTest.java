package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.local.LocalStorage;
import dev.jftp.server.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block sizes OpenSSH's sftp reads and writes with, as jftpd offers them (limits@openssh.com). */
class SftpBlockSizesTest {
    @TempDir
    Path work;

    /**
     * OpenSSH's sftp reads and writes in blocks of the sizes the server offers: 255 KiB each way, as
     * with OpenSSH's own sftp-server (MINA's default read size, 63 KiB, made the client send four
     * times as many read requests). A file of several such blocks, and a last short one, comes back
     * byte for byte.
     */
    @Test
    void openSshSftpReadsAndWritesInBlocksOf255KiB() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        try (SftpTestServer server = SftpTestServer.start(LocalStorage.at(root), work)) {
            OpenSsh client = new OpenSsh(server, Files.createDirectories(work.resolve("client")));
            byte[] content = new byte[3 * 261120 + 12345];
            new Random(15).nextBytes(content);
            Path local = client.directory().resolve("blocks.bin");
            Files.write(local, content);
            ExternalCommand.Result r = client.sftp(SftpTestServer.ALICE, client.key("id_ed25519"), List.of("-vvv"),
                    "put " + local + " blocks.bin", "get blocks.bin " + client.directory().resolve("back.bin"));
            assertThat(r.exit()).as(r.describe()).isZero();
            assertThat(r.stderr()).as("the block sizes sftp chose from the server's limits")
                    .contains("using " + SftpListener.MAX_READ_LENGTH + " / " + SftpListener.MAX_READ_LENGTH);
            assertThat(Files.readAllBytes(client.directory().resolve("back.bin"))).isEqualTo(content);
        }
    }
}
