package dev.jftp.server.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.protocol.HostPort;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's lifecycle: start on a free port, stop with sessions and a transfer still running. */
class FtpListenerTest {
    @TempDir
    Path root;

    @Test
    void startsOnAFreeLoopbackPortAndStopsWithABlockedTransferRunning() throws Exception {
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            big.setLength(256L * 1024 * 1024);
        }
        RunningServer server = RunningServer.start(root);
        assertThat(server.port()).isPositive();
        assertThat(server.ftp().address().isLoopbackAddress()).isTrue();
        ControlConnection idle = server.connectAsAlice();
        ControlConnection busy = server.connectAsAlice();
        busy.command("TYPE I");
        Reply pasv = busy.command("PASV");
        try (Socket data = new Socket()) {
            data.setReceiveBufferSize(4096);
            data.connect(HostPort.parseSixNumbers(pasv.text()), ControlConnection.TIMEOUT_MILLIS);
            assertThat(busy.command("RETR big.bin").code()).isEqualTo(150);
            assertThat(server.ftp().sessionCount()).isEqualTo(2);
            // the client never reads: the transfer cannot finish within the grace period
            Thread closer = Thread.ofPlatform().start(server::close);
            closer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(closer.isAlive()).as("close() returned").isFalse();
            assertThat(server.ftp().sessionCount()).isZero();
            assertThat(idle.awaitClosedByServer()).isTrue();
        }
        try (Socket refused = new Socket()) {
            refused.connect(server.address(), 2000);
            throw new AssertionError("the server still accepts connections after close()");
        } catch (ConnectException expected) {
            assertThat(expected).hasMessageContaining("refused");
        }
    }
}
