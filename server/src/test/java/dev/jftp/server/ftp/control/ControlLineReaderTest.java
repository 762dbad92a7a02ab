package dev.jftp.server.ftp.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlLineReaderTest {
    private static final int IAC = 0xFF;
    private static final int IP = 0xF4;
    private static final int DM = 0xF2;
    private static final int WILL = 0xFB;

    private static ControlLineReader reader(byte[] bytes, int limit) {
        return new ControlLineReader(new ByteArrayInputStream(bytes), limit);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsCrlfAndBareLfLines() throws IOException {
        ControlLineReader r = reader(ascii("USER alice\r\nPASS x\nNOOP\r\n"), 8192);
        assertThat(r.read()).isEqualTo(new ControlLine.Text("USER alice"));
        assertThat(r.read()).isEqualTo(new ControlLine.Text("PASS x"));
        assertThat(r.read()).isEqualTo(new ControlLine.Text("NOOP"));
        assertThat(r.read()).isInstanceOf(ControlLine.EndOfStream.class);
    }

    @Test
    void decodesUtf8AndKeepsSpaces() throws IOException {
        ControlLineReader r = reader(ascii("CWD  café ☃ \r\n"), 8192);
        assertThat(r.read()).isEqualTo(new ControlLine.Text("CWD  café ☃ "));
    }

    @Test
    void stripsTelnetInterruptAndSynchBeforeAbor() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) IAC, (byte) IP, (byte) IAC, (byte) DM});
        bytes.write(ascii("ABOR\r\n"));
        bytes.write(new byte[] {(byte) IAC, (byte) WILL, 1});
        bytes.write(ascii("NOOP\r\n"));
        ControlLineReader r = reader(bytes.toByteArray(), 8192);
        assertThat(r.read()).isEqualTo(new ControlLine.Text("ABOR"));
        assertThat(r.read()).isEqualTo(new ControlLine.Text("NOOP"));
    }

    @Test
    void aLineOverTheLimitIsReportedAndTheNextLineIsIntact() throws IOException {
        String longLine = "STOR " + "x".repeat(100);
        ControlLineReader r = reader(ascii(longLine + "\r\nNOOP\r\n"), 64);
        assertThat(r.read()).isEqualTo(new ControlLine.TooLong(64));
        assertThat(r.read()).isEqualTo(new ControlLine.Text("NOOP"));
    }

    @Test
    void aLineJustUnderTheLimitIsAccepted() throws IOException {
        String line = "x".repeat(63); // 63 characters plus CR fill the 64-byte buffer
        ControlLineReader r = reader(ascii(line + "\r\n" + "y".repeat(64) + "\r\n"), 64);
        assertThat(r.read()).isEqualTo(new ControlLine.Text(line));
        assertThat(r.read()).isEqualTo(new ControlLine.TooLong(64));
    }

    @Test
    void invalidUtf8IsReportedAndTheNextLineIsIntact() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(ascii("CWD "));
        bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte followed by a non-continuation byte
        bytes.write(ascii("\r\nPWD\r\n"));
        ControlLineReader r = reader(bytes.toByteArray(), 8192);
        assertThat(r.read()).isInstanceOf(ControlLine.InvalidEncoding.class);
        assertThat(r.read()).isEqualTo(new ControlLine.Text("PWD"));
    }

    @Test
    void doubledIacIsTheByte0xFfWhichIsNeverUtf8() throws IOException {
        ControlLineReader r = reader(new byte[] {'A', (byte) IAC, (byte) IAC, '\r', '\n'}, 8192);
        assertThat(r.read()).isInstanceOf(ControlLine.InvalidEncoding.class);
    }

    @Test
    void aReadTimeoutInTheMiddleOfALineLosesNothing() throws IOException {
        // The session's reader times out while a transfer runs and then reads on.
        InputStream stalling = new InputStream() {
            private final byte[][] chunks = {ascii("NOOP\r\nST"), null, ascii("AT\r\n")};
            private int next;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (next == chunks.length) {
                    return -1;
                }
                byte[] chunk = chunks[next++];
                if (chunk == null) {
                    throw new SocketTimeoutException("idle");
                }
                System.arraycopy(chunk, 0, b, off, chunk.length);
                return chunk.length;
            }

            @Override
            public int read() {
                throw new UnsupportedOperationException("the reader reads blocks");
            }
        };
        ControlLineReader r = new ControlLineReader(stalling, 8192);
        assertThat(r.read()).isEqualTo(new ControlLine.Text("NOOP"));
        assertThatThrownBy(r::read).isInstanceOf(SocketTimeoutException.class);
        assertThat(r.read()).isEqualTo(new ControlLine.Text("STAT"));
    }

    @Test
    void anUnfinishedLineAtTheEndIsTheEndOfTheStream() throws IOException {
        ControlLineReader r = reader(ascii("NOOP\r\nQUI"), 8192);
        assertThat(r.read()).isEqualTo(new ControlLine.Text("NOOP"));
        assertThat(r.read()).isInstanceOf(ControlLine.EndOfStream.class);
    }
}
