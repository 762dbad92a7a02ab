package dev.jftp.server.ftp;

import static org.assertj.core.api.Assertions.assertThat;

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
        try (ServerUnderTest server = ServerUnderTest.start(root, c -> c);
             ControlConnection c = ControlConnection.open(server.port())) {
            c.socket().setSoTimeout(20_000);
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("USER " + ServerUnderTest.USER)).startsWith("331");
            assertThat(c.command("PASS " + ServerUnderTest.PASSWORD)).startsWith("230");
            assertThat(c.command("TYPE I")).startsWith("200");
            String epsv = c.command("EPSV");
            try (Socket data = new Socket()) {
                data.setReceiveBufferSize(64 * 1024);
                data.connect(new InetSocketAddress("127.0.0.1", HostPort.parseEpsvReply(epsv)), 10_000);
                assertThat(c.command("RETR big.bin")).startsWith("150");
                data.getInputStream().readNBytes(1000); // then read no more: the server fills the socket and waits

                // STAT during the transfer answers at once and shows it running.
                assertThat(c.command("STAT")).startsWith("211 Transfer in progress");
                assertThat(c.command("ABOR")).startsWith("426");
                assertThat(c.reply()).startsWith("226");
            }
            assertThat(c.command("NOOP")).startsWith("200");
            // The session goes on: the same file downloads whole.
            FTPClient ftp = server.login();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ftp.retrieveFile("big.bin", out)).isTrue();
            assertThat(out.toByteArray()).isEqualTo(big);
            ftp.logout();
            ftp.disconnect();
        }
    }
}
