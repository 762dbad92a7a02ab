package dev.jftp.server.ftp.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads command lines from the control connection (RFC 959 section 4.1: Telnet lines ending in
 * CRLF). Accepts a bare LF as well, strips Telnet commands (IAC sequences, RFC 854; clients send
 * "IAC IP IAC DM" before ABOR, and the DM byte itself may have been taken as urgent data), limits
 * the line length and checks the encoding, without ever holding more than one line in memory.
 *
 * <p>A read that fails (a socket read timeout, typically) loses nothing: the part of the line read so
 * far, and a Telnet sequence cut in the middle, are kept for the next {@link #read()}. The reader also
 * tells when the line now being read began ({@link #lineStartedNanos()}), so that the session can
 * bound the time a client may take to send one line (slowloris).
 */
public final class ControlLineReader {
    public static final int DEFAULT_LIMIT = 8192;
    /** {@link #lineStartedNanos()} when no byte of the next line has arrived. */
    public static final long NO_LINE = Long.MIN_VALUE;
    private static final int IAC = 0xFF;

    /** Where the reader is inside a Telnet command sequence. */
    private enum Telnet { DATA, AFTER_IAC, OPTION }

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
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    // The line being read; fields rather than locals so that a failed read loses nothing.
    private int length;
    private boolean overflow;
    private Telnet telnet = Telnet.DATA;
    private long lineStarted = NO_LINE;

    public ControlLineReader(InputStream in) {
        this(in, DEFAULT_LIMIT);
    }

    public ControlLineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
        this.line = new byte[Math.min(limit, INITIAL_LINE_BYTES)];
    }

    /**
     * The {@link System#nanoTime()} at which the first byte of the line now being read arrived,
     * or {@link #NO_LINE} when the reader is between lines.
     */
    public long lineStartedNanos() {
        return lineStarted;
    }

    private int nextByte() throws IOException {
        while (bufferPos == bufferEnd) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return -1;
            }
            bufferPos = 0;
            bufferEnd = n;
        }
        if (lineStarted == NO_LINE) {
            lineStarted = System.nanoTime();
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

    /** What {@link #readAvailable} found. */
    public enum Available {
        /** Bytes of a next line are waiting (read now, or before), or what is there cannot be told without waiting. */
        INPUT,
        /** Nothing has arrived, and the stream goes on. */
        NOTHING,
        /** The stream has ended. */
        ENDED
    }

    /**
     * Takes what {@code nonBlocking} (the channel under this reader's stream, in non-blocking mode)
     * has now, without waiting; bytes read are kept for {@link #read()}.
     */
    public Available readAvailable(ReadableByteChannel nonBlocking) throws IOException {
        if (bufferPos < bufferEnd || length > 0 || telnet != Telnet.DATA) {
            return Available.INPUT;
        }
        int n = nonBlocking.read(ByteBuffer.wrap(buffer));
        if (n < 0) {
            return Available.ENDED;
        }
        if (n == 0) {
            return Available.NOTHING;
        }
        bufferPos = 0;
        bufferEnd = n;
        return Available.INPUT;
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
            switch (telnet) {
                case OPTION -> { // WILL, WONT, DO, DONT carry an option byte
                    telnet = Telnet.DATA;
                    continue;
                }
                case AFTER_IAC -> {
                    telnet = Telnet.DATA;
                    if (b >= 251 && b <= 254) {
                        telnet = Telnet.OPTION;
                        continue;
                    }
                    if (b >= 240 && b != IAC) {
                        continue; // IP, DM, AYT...: nothing to do for a command line
                    }
                    // IAC IAC is a literal 0xFF; any other byte means the urgent DM went missing: keep it
                }
                case DATA -> {
                    if (b == IAC) {
                        telnet = Telnet.AFTER_IAC;
                        continue;
                    }
                }
            }
            if (b == '\n') {
                return endOfLine();
            }
            if (length < limit) {
                if (length == line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(limit, line.length * 2));
                }
                line[length++] = (byte) b;
            } else {
                overflow = true;
            }
        }
    }

    private ControlLine endOfLine() {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        boolean tooLong = overflow;
        length = 0;
        overflow = false;
        lineStarted = NO_LINE;
        if (tooLong) {
            return new ControlLine.TooLong(limit);
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, end));
            return new ControlLine.Text(chars.toString());
        } catch (CharacterCodingException e) {
            return new ControlLine.InvalidEncoding();
        }
    }
}
