package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.protocol.HostPort;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ABOR sent as TCP urgent data (RFC 959 section 4.1.3), the way Python's ftplib sends it: the whole
 * line with MSG_OOB, which makes its last byte, the LF, the urgent byte. The server must read that
 * byte in line, or the command never ends.
 */
@Timeout(60)
class UrgentAborTest {
    @TempDir
    Path root;

    @Test
    void aborWhoseLineEndIsTheUrgentByteStopsARunningRetr() throws IOException {
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            big.setLength(256L * 1024 * 1024); // sparse: costs no disk
        }
        try (RunningServer server = RunningServer.start(root)) {
            ControlConnection c = server.connectAsAlice();
            c.command("TYPE I");
            Reply pasv = c.command("PASV");
            try (Socket data = new Socket()) {
                data.setReceiveBufferSize(4096);
                data.connect(HostPort.parseSixNumbers(pasv.text()), ControlConnection.TIMEOUT_MILLIS);
                assertThat(c.command("RETR big.bin").code()).isEqualTo(150);
                assertThat(data.getInputStream().readNBytes(1 << 20)).hasSize(1 << 20);
                c.sendBytes("ABOR\r".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                c.socket().sendUrgentData('\n');
                assertThat(c.reply().code()).isEqualTo(426);
                assertThat(c.reply().code()).isEqualTo(226);
            }
            assertThat(c.command("NOOP").code()).isEqualTo(200);
        }
    }
}
