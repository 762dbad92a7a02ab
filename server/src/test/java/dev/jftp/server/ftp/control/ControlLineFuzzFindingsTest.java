package dev.jftp.server.ftp.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for what fuzzing {@link ControlLineReader} found (see {@link ControlLineFuzzTest}).
 *
 * <p>Finding 1: a read timeout in the middle of a line (the session goes on reading after one while a
 * transfer runs) threw away the part of the line already read and any half-read Telnet sequence, so
 * "PASS secret" arrived as " secret" and "RETR a b.txt" as "a b.txt".
 */
class ControlLineFuzzFindingsTest {
    @Test
    void aTimeoutInTheMiddleOfALineLosesNothing() throws IOException {
        byte[] bytes = "USER alice\r\nPASS secret\r\nRETR a b.txt\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream in = new TimeoutEveryOtherRead(bytes);
        assertThat(ControlLineFuzzTest.readAll(in, 64)).containsExactly(
                new ControlLine.Text("USER alice"), new ControlLine.Text("PASS secret"),
                new ControlLine.Text("RETR a b.txt"), new ControlLine.EndOfStream());
    }

    @Test
    void aTimeoutInsideATelnetSequenceKeepsItsMeaning() throws IOException {
        // IAC IP IAC DM before ABOR, as clients send it; IAC WILL x; IAC IAC is a literal 0xFF byte.
        byte[] bytes = {(byte) 0xFF, (byte) 0xF4, (byte) 0xFF, (byte) 0xF2, 'A', 'B', 'O', 'R', '\r', '\n',
                (byte) 0xFF, (byte) 0xFB, 'Q', 'X', '\n', (byte) 0xFF, (byte) 0xFF, '\n'};
        List<ControlLine> atOnce = ControlLineFuzzTest.readAll(new ByteArrayInputStream(bytes), 64);
        assertThat(atOnce.subList(0, 2)).containsExactly(new ControlLine.Text("ABOR"), new ControlLine.Text("X"));
        assertThat(atOnce.get(2)).isEqualTo(new ControlLine.InvalidEncoding());
        assertThat(ControlLineFuzzTest.readAll(new TimeoutEveryOtherRead(bytes), 64)).isEqualTo(atOnce);
    }

    @Test
    void fuzzSeedsGiveTheSameLinesInPieces() throws IOException {
        byte[] bytes = "USER alice\r\nPASS secret\r\nTYPE I\r\nPASV\r\nRETR a b.txt\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        for (long seed = 0; seed < 200; seed++) {
            assertThat(ControlLineFuzzTest.readAll(new ControlLineFuzzTest.TricklingInput(bytes, new Random(seed)), 8))
                    .isEqualTo(ControlLineFuzzTest.readAll(new ByteArrayInputStream(bytes), 8));
        }
    }

    @Test
    void tellsWhenTheLineBeingReadBegan() throws IOException {
        ControlLineReader reader = new ControlLineReader(new TimeoutEveryOtherRead("NOOP\r\nNO".getBytes(StandardCharsets.US_ASCII)), 64);
        assertThat(reader.lineStartedNanos()).isEqualTo(ControlLineReader.NO_LINE);
        long before = System.nanoTime();
        assertThat(readSkippingTimeouts(reader)).isEqualTo(new ControlLine.Text("NOOP"));
        assertThat(reader.lineStartedNanos()).isEqualTo(ControlLineReader.NO_LINE);
        assertThat(readSkippingTimeouts(reader)).isEqualTo(new ControlLine.EndOfStream());
        assertThat(reader.lineStartedNanos()).isNotEqualTo(ControlLineReader.NO_LINE).isGreaterThanOrEqualTo(before);
    }

    private static ControlLine readSkippingTimeouts(ControlLineReader reader) throws IOException {
        for (int i = 0; i < 100; i++) {
            try {
                return reader.read();
            } catch (SocketTimeoutException e) {
                // go on, as the session does
            }
        }
        throw new AssertionError("no line after 100 reads");
    }

    /** One byte per read, with a read timeout before every byte. */
    private static final class TimeoutEveryOtherRead extends InputStream {
        private final byte[] bytes;
        private int position;
        private boolean timeoutNext = true;

        TimeoutEveryOtherRead(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (timeoutNext) {
                timeoutNext = false;
                throw new SocketTimeoutException("simulated");
            }
            timeoutNext = true;
            if (position == bytes.length) {
                return -1;
            }
            b[off] = bytes[position++];
            return 1;
        }
    }
}
