package dev.jftp.server.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads command lines from the control connection (RFC 959 section 4.1: Telnet lines ending in
 * CRLF). Accepts a bare LF as well, strips Telnet commands (IAC sequences, RFC 854; clients send
 * "IAC IP IAC DM" before ABOR, and the DM byte itself may have been taken as urgent data), limits
 * the line length and checks the encoding, without ever holding more than one line in memory.
 */
public final class ControlLineReader {
    public static final int DEFAULT_LIMIT = 8192;
    private static final int IAC = 0xFF;

    private final InputStream in;
    private final int limit;
    /**
     * Command lines are short, and an idle session keeps its reader: the line buffer starts small
     * and grows up to the limit only for a long line; the read buffer holds a few lines. (With 8 KiB
     * and 4 KiB fixed, these two were 12 of the 20 KiB of heap each of 10,000 idle sessions held.)
     */
    private static final int INITIAL_LINE_BYTES = 128;
    private static final int READ_BUFFER_BYTES = 512;

    private byte[] line;
    private final byte[] buffer = new byte[READ_BUFFER_BYTES];
    private int bufferPos;
    private int bufferEnd;
    /** The line so far: kept across calls, so a read that times out mid-line (see read()) loses nothing. */
    private int length;
    private boolean overflow;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    public ControlLineReader(InputStream in) {
        this(in, DEFAULT_LIMIT);
    }

    public ControlLineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
        this.line = new byte[Math.min(limit, INITIAL_LINE_BYTES)];
    }

    private int nextByte() throws IOException {
        if (bufferPos == bufferEnd) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return -1;
            }
            bufferPos = 0;
            bufferEnd = n;
        }
        return buffer[bufferPos++] & 0xFF;
    }

    /**
     * The bytes read from the stream but not yet returned as lines. A client that starts TLS after
     * AUTH (RFC 4217 section 4) may have sent its handshake right behind the command line.
     */
    public byte[] bufferedBytes() {
        return java.util.Arrays.copyOfRange(buffer, bufferPos, bufferEnd);
    }

    /**
     * Blocks until a whole line (or the end of the stream) has arrived. A timeout of the underlying
     * stream passes through; the next call carries on with the same line.
     */
    public ControlLine read() throws IOException {
        while (true) {
            int b = nextByte();
            if (b < 0) {
                return new ControlLine.EndOfStream();
            }
            if (b == IAC) {
                int command = nextByte();
                if (command < 0) {
                    return new ControlLine.EndOfStream();
                }
                if (command >= 251 && command <= 254) { // WILL, WONT, DO, DONT carry an option byte
                    if (nextByte() < 0) {
                        return new ControlLine.EndOfStream();
                    }
                    continue;
                }
                if (command >= 240 && command != IAC) {
                    continue; // IP, DM, AYT...: nothing to do for a command line
                }
                // IAC IAC is a literal 0xFF; any other byte means the urgent DM went missing: keep it
                b = command;
            }
            if (b == '\n') {
                int lineLength = length;
                boolean tooLong = overflow;
                length = 0;
                overflow = false;
                if (tooLong) {
                    return new ControlLine.TooLong(limit);
                }
                int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                try {
                    CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, end));
                    return new ControlLine.Text(chars.toString());
                } catch (CharacterCodingException e) {
                    return new ControlLine.InvalidEncoding();
                }
            }
            int appended = append(length, b);
            if (appended < 0) {
                overflow = true;
                length = 0;
            } else {
                length = appended;
            }
        }
    }

    /** Stores a byte; returns the new length, or -1 when the line is over the limit. */
    private int append(int length, int b) {
        if (length >= limit) {
            return -1;
        }
        if (length == line.length) {
            line = java.util.Arrays.copyOf(line, Math.min(limit, line.length * 2));
        }
        line[length] = (byte) b;
        return length + 1;
    }
}
