package dev.jftp.server.ftp.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fuzzes the control-connection parser: {@link ControlLineReader} (line ends, Telnet IAC
 * sequences, length limit, UTF-8 check) and {@link Command#parse}.
 *
 * <p>The oracle is differential: the same bytes must give the same lines whether they arrive at
 * once or in random pieces with read timeouts in between (the session's reader goes on reading
 * after a timeout while a transfer runs), plus invariants on every line and command.
 */
class ControlLineFuzzTest {
    private static final int MAX_TIMEOUTS = 1000;

    @FuzzTest(maxDuration = "20s")
    void linesDoNotDependOnHowBytesArrive(FuzzedDataProvider data) throws IOException {
        int limit = data.consumeInt(1, 64);
        long arrivalSeed = data.consumeLong();
        byte[] bytes = data.consumeRemainingAsBytes();

        List<ControlLine> atOnce = readAll(new ByteArrayInputStream(bytes), limit);
        List<ControlLine> inPieces = readAll(new TricklingInput(bytes, new Random(arrivalSeed)), limit);
        assertThat(inPieces).isEqualTo(atOnce);

        assertThat(atOnce.getLast()).isInstanceOf(ControlLine.EndOfStream.class);
        assertThat(atOnce.size()).isLessThanOrEqualTo(bytes.length + 1);
        for (ControlLine line : atOnce) {
            if (line instanceof ControlLine.Text(String text)) {
                assertThat(text).doesNotContain("\n");
                assertThat(text.length()).isLessThanOrEqualTo(limit);
                checkCommand(text);
            } else if (line instanceof ControlLine.TooLong tooLong) {
                assertThat(tooLong.limit()).isEqualTo(limit);
            }
        }
    }

    static void checkCommand(String text) {
        Command command = Command.parse(text);
        int space = text.indexOf(' ');
        assertThat(command.verb()).doesNotContain(" ");
        assertThat(command.verb()).isEqualTo(command.verb().toUpperCase(java.util.Locale.ROOT));
        assertThat(command.argument()).isEqualTo(space < 0 ? "" : text.substring(space + 1));
        assertThat(command.hasArgument()).isEqualTo(!command.argument().isEmpty());
        if (command.verb().equals("PASS")) {
            assertThat(command.forLog()).isEqualTo("PASS ****");
        } else {
            assertThat(command.forLog()).startsWith(ControlCharacters.escape(command.verb()));
        }
        // What is logged never carries a control character (a bare CR, an escape sequence) but tab.
        assertThat(command.forLog().chars()).noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    /** Reads until the end of the stream, going on after read timeouts as the session's reader does. */
    static List<ControlLine> readAll(InputStream in, int limit) throws IOException {
        ControlLineReader reader = new ControlLineReader(in, limit);
        List<ControlLine> lines = new ArrayList<>();
        int timeouts = 0;
        while (true) {
            ControlLine line;
            try {
                line = reader.read();
            } catch (SocketTimeoutException timeout) {
                assertThat(++timeouts).isLessThan(MAX_TIMEOUTS);
                continue;
            }
            lines.add(line);
            if (line instanceof ControlLine.EndOfStream) {
                return lines;
            }
        }
    }

    /** Delivers the bytes in random small pieces, with read timeouts in between. */
    static final class TricklingInput extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int position;
        private int timeouts;

        TricklingInput(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (timeouts < MAX_TIMEOUTS / 2 && random.nextInt(4) == 0) {
                timeouts++;
                throw new SocketTimeoutException("simulated read timeout");
            }
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - position), 1 + random.nextInt(3));
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
