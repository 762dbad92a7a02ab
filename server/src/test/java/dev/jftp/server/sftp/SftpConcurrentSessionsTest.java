package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** 100 OpenSSH sftp clients at once, each putting and getting a file of its own. */
class SftpConcurrentSessionsTest {
    static final int CLIENTS = 100;

    @RegisterExtension
    static final S3TestServer s3 = new S3TestServer();

    @TempDir
    static Path work;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void hundredSessionsEachPutAndGetTheirOwnFile() throws Exception {
        try (SftpTestServer server = SftpTestServer.start(S3Backend.storage(s3), work)) {
            OpenSsh client = server.client();
            Path files = Files.createDirectories(work.resolve("files"));
            List<Process> processes = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Files.write(files.resolve("up-" + i), SftpFilesContract.data(65_536 + i, i));
                    Path batch = Files.writeString(files.resolve("batch-" + i),
                            "put " + files.resolve("up-" + i) + " file-" + i + "\n"
                            + "get file-" + i + " " + files.resolve("down-" + i) + "\n");
                    // curve25519: the post-quantum key exchange OpenSSH prefers costs the client more CPU
                    // than anything else here, a hundred times over on two cores.
                    List<String> command = client.sftpCommand(SftpTestServer.ALICE, client.key("id_ed25519"),
                            List.of("-o", "KexAlgorithms=curve25519-sha256"), batch);
                    processes.add(new ProcessBuilder(command).directory(files.toFile())
                            .redirectOutput(files.resolve("out-" + i).toFile()).redirectError(files.resolve("err-" + i).toFile())
                            .start());
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
                for (int i = 0; i < CLIENTS; i++) {
                    long left = Math.max(1, deadline - System.nanoTime());
                    assertThat(processes.get(i).waitFor(left, TimeUnit.NANOSECONDS)).as("client " + i + " finished in time").isTrue();
                    assertThat(processes.get(i).exitValue()).as("client %d: %s", i, Files.readString(files.resolve("err-" + i))).isZero();
                }
            } finally {
                processes.forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
            for (int i = 0; i < CLIENTS; i++) {
                assertThat(files.resolve("down-" + i)).as("client " + i).hasBinaryContent(SftpFilesContract.data(65_536 + i, i));
            }
            assertThat(server.logins().sessionsNow()).isLessThanOrEqualTo(CLIENTS);
        }
    }
}
