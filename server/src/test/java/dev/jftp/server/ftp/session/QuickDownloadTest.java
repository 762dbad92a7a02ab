package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.protocol.HostPort;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A small binary download over a passive connection the client has already made runs on the
 * session's reader thread (see FtpSession.handOverUnlessQuick); any other goes to the session
 * thread. Both must give the same bytes and replies, REST included.
 */
class QuickDownloadTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;
    byte[] small;
    byte[] large;

    @BeforeEach
    void start() throws IOException {
        small = random(4096, 1);
        large = random((int) SessionThreads.QUICK_TRANSFER_LIMIT * 4 + 3, 2);
        Files.write(server.root().resolve("small.bin"), small);
        Files.write(server.root().resolve("large.bin"), large);
        c = server.connectAsAlice();
        assertThat(c.command("TYPE I").code()).isEqualTo(200);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static int bytesUntilClosed(Socket data) throws IOException {
        try {
            return ControlConnection.readAll(data).length;
        } catch (java.net.SocketException reset) {
            return 0; // the listener was closed with the connection still in its queue
        }
    }

    private InetSocketAddress pasv() throws IOException {
        Reply pasv = c.command("PASV");
        assertThat(pasv.code()).isEqualTo(227);
        return HostPort.parseSixNumbers(pasv.text());
    }

    @Test
    void smallFileOverAConnectionAlreadyMadeHonoursRest() throws IOException {
        Socket data = ControlConnection.connectData(pasv());
        assertThat(c.command("REST 100").code()).isEqualTo(350);
        assertThat(c.command("RETR small.bin").code()).isEqualTo(150);
        assertThat(ControlConnection.readAll(data)).isEqualTo(Arrays.copyOfRange(small, 100, small.length));
        assertThat(c.reply().code()).isEqualTo(226);
        // the REST applied to that RETR only
        assertThat(c.download("RETR small.bin")).isEqualTo(small);
    }

    @Test
    void smallFileWhoseDataConnectionComesAfterRetrIsServedWithItsRest() throws IOException {
        InetSocketAddress address = pasv();
        assertThat(c.command("REST 10").code()).isEqualTo(350);
        c.send("RETR small.bin"); // no data connection yet: the session thread waits for it
        Socket data = ControlConnection.connectData(address);
        assertThat(c.reply().code()).isEqualTo(150);
        assertThat(ControlConnection.readAll(data)).isEqualTo(Arrays.copyOfRange(small, 10, small.length));
        assertThat(c.reply().code()).isEqualTo(226);
    }

    @Test
    void largeFileOverAConnectionAlreadyMadeIsServedWhole() throws IOException {
        Socket data = ControlConnection.connectData(pasv());
        assertThat(c.command("REST 5").code()).isEqualTo(350);
        assertThat(c.command("RETR large.bin").code()).isEqualTo(150);
        assertThat(ControlConnection.readAll(data)).isEqualTo(Arrays.copyOfRange(large, 5, large.length));
        assertThat(c.reply().code()).isEqualTo(226);
    }

    @Test
    void missingFileIsRefusedAndTheDataConnectionDropped() throws IOException {
        Socket data = ControlConnection.connectData(pasv());
        assertThat(c.command("RETR nothing.bin").code()).isEqualTo(550);
        assertThat(bytesUntilClosed(data)).as("no data, and the connection closed or reset").isZero();
        assertThat(c.download("RETR small.bin")).isEqualTo(small);
    }
}
