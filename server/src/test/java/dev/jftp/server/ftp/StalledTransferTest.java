package dev.jftp.server.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.RunningServer;
import dev.jftp.protocol.HostPort;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download whose client stopped reading: the server thread waits in sendfile on a full socket.
 * ABOR must still end it at once, and the session go on.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StalledTransferTest {
    @TempDir
    Path root;

    @Test
    void aborEndsADownloadTheClientStoppedReading() throws Exception {
        byte[] big = new byte[64 * 1024 * 1024];
        new Random(5).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        try (RunningServer server = RunningServer.start(root, c -> c);
             ControlConnection c = ControlConnection.connect(server.port())) {
            c.socket().setSoTimeout(20_000);
            assertThat(c.reply().last()).startsWith("220");
            assertThat(c.command("USER " + RunningServer.ALICE).last()).startsWith("331");
            assertThat(c.command("PASS " + RunningServer.ALICE_PASSWORD).last()).startsWith("230");
            assertThat(c.command("TYPE I").last()).startsWith("200");
            String epsv = c.command("EPSV").last();
            try (Socket data = new Socket()) {
                data.setReceiveBufferSize(64 * 1024);
                data.connect(new InetSocketAddress("127.0.0.1", HostPort.parseEpsvReply(epsv)), 10_000);
                assertThat(c.command("RETR big.bin").last()).startsWith("150");
                data.getInputStream().readNBytes(1000); // then read no more: the server fills the socket and waits

                // STAT during the transfer answers at once and shows it running.
                assertThat(c.command("STAT").last()).startsWith("211 Transfer in progress");
                assertThat(c.command("ABOR").last()).startsWith("426");
                assertThat(c.reply().last()).startsWith("226");
            }
            assertThat(c.command("NOOP").last()).startsWith("200");
            // The session goes on: the same file downloads whole.
            FTPClient ftp = server.alice();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ftp.retrieveFile("big.bin", out)).isTrue();
            assertThat(out.toByteArray()).isEqualTo(big);
            ftp.logout();
            ftp.disconnect();
        }
    }
}
