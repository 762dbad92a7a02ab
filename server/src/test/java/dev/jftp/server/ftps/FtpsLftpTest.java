package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * lftp (GnuTLS) against jftpd. GnuTLS takes the user_canceled alert that SSLSocket.close() sends
 * under TLS 1.3 for a fatal error, so data connections must end with close_notify alone.
 */
@Timeout(180)
class FtpsLftpTest {
    @TempDir
    Path dir;

    private ExternalCommand.Result lftp(Path work, int port, String commands) throws Exception {
        return ExternalCommand.in(work).timeout(Duration.ofSeconds(120)).run(List.of("lftp", "-u", RunningServer.ALICE + "," + RunningServer.ALICE_PASSWORD,
                "-p", Integer.toString(port), "-e",
                "set ssl:ca-file " + RunningServer.certificate().certificate() + "; set ftp:ssl-force true; set ftp:ssl-protect-data true; "
                        + "set net:max-retries 1; set net:timeout 30; " + commands + "; bye",
                "127.0.0.1"));
    }

    @Test
    void listsDownloadsAndUploadsOverProtectedDataConnections() throws Exception {
        ExternalCommand.assumeInstalled("lftp", "lftp");
        Path work = Files.createDirectories(dir.resolve("work"));
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity())) {
            byte[] content = new byte[2_000_000];
            new Random(1).nextBytes(content);
            Files.write(server.root().resolve("file.bin"), content);
            Files.write(work.resolve("up.bin"), content);

            ExternalCommand.Result downloads = lftp(work, server.port(), "ls; get file.bin -o down.bin; ls");
            assertThat(downloads.exit()).as(downloads.describe()).isZero();
            assertThat(downloads.stdout()).contains("file.bin");
            assertThat(downloads.stderr()).doesNotContain("Fatal error");
            assertThat(Files.readAllBytes(work.resolve("down.bin"))).isEqualTo(content);

            // With lftp's defaults (TLS 1.3): lftp never reads an upload's data connection, so it
            // must carry no session ticket (FtpsStockClientsTest repeats this for every size).
            ExternalCommand.Result upload = lftp(work, server.port(), "put up.bin -o up.bin");
            assertThat(upload.exit()).as(upload.describe()).isZero();
            assertThat(Files.readAllBytes(server.root().resolve("up.bin"))).isEqualTo(content);
        }
    }
}
