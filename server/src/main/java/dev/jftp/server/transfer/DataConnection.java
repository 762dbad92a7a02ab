package dev.jftp.server.transfer;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * An open data connection. Binary downloads go from the file to the socket with
 * {@link FileChannel#transferTo} (sendfile on Linux); uploads go through a pooled direct buffer.
 * ASCII mode converts line ends (RFC 959 section 3.1.1.1: CRLF on the wire).
 * {@link #close()} from another thread (ABOR) makes a running transfer fail at once.
 */
public final class DataConnection implements Closeable {
    private static final long CHUNK = 8L * 1024 * 1024;
    private static final byte[] CR = {'\r'};

    private final SocketChannel channel;

    DataConnection(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.socket().setTcpNoDelay(true);
    }

    /** Sends the file from {@code offset} to its end; returns the bytes read from the file. */
    public long sendFile(FileChannel file, long offset, boolean ascii, TransferProgress progress) throws IOException {
        if (ascii) {
            return sendAscii(file, offset, progress);
        }
        long position = offset;
        long size = file.size();
        while (position < size) {
            long n = file.transferTo(position, Math.min(CHUNK, size - position), channel);
            if (n <= 0) {
                long now = file.size();
                if (now <= position) {
                    throw new FileShrankException(size, now);
                }
                continue;
            }
            position += n;
            progress.add(n);
        }
        return position - offset;
    }

    /**
     * Someone truncated the file while it was being sent. The client must not take the shorter copy
     * for the whole file, so the transfer fails (451) instead of ending with 226.
     */
    public static final class FileShrankException extends IOException {
        FileShrankException(long expected, long now) {
            super("file shrank from " + expected + " to " + now + " bytes during the transfer");
        }
    }

    private long sendAscii(FileChannel file, long offset, TransferProgress progress) throws IOException {
        ByteBuffer in = BufferPool.take();
        ByteBuffer out = BufferPool.take();
        try {
            long position = offset;
            long size = file.size();
            byte previous = 0;
            while (true) {
                in.clear();
                int n = file.read(in, position);
                if (n < 0) {
                    if (position < size) {
                        throw new FileShrankException(size, position);
                    }
                    break;
                }
                position += n;
                in.flip();
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (out.remaining() < 2) {
                        drain(out);
                    }
                    if (b == '\n' && previous != '\r') {
                        out.put((byte) '\r');
                    }
                    out.put(b);
                    previous = b;
                }
                progress.add(n);
            }
            drain(out);
            return position - offset;
        } finally {
            BufferPool.give(in);
            BufferPool.give(out);
        }
    }

    private void drain(ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }

    /** Receives until the client closes the connection; returns the bytes written to the file. */
    public long receiveFile(FileChannel file, boolean ascii, TransferProgress progress) throws IOException {
        ByteBuffer buffer = BufferPool.take();
        try {
            long written = 0;
            boolean pendingCr = false;
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    continue;
                }
                buffer.flip();
                if (ascii) {
                    if (pendingCr && buffer.get(buffer.position()) != '\n') {
                        written += file.write(ByteBuffer.wrap(CR));
                    }
                    pendingCr = toLocalLineEnds(buffer);
                }
                while (buffer.hasRemaining()) {
                    written += file.write(buffer);
                }
                progress.add(n);
            }
            if (pendingCr) {
                written += file.write(ByteBuffer.wrap(CR));
            }
            return written;
        } finally {
            BufferPool.give(buffer);
        }
    }

    /**
     * Rewrites CRLF to LF in place. A CR at the very end is dropped from the buffer and reported
     * (true), because its LF may come with the next read; the caller writes it if no LF follows.
     */
    static boolean toLocalLineEnds(ByteBuffer buffer) {
        int read = buffer.position();
        int write = read;
        int limit = buffer.limit();
        boolean holdBack = false;
        while (read < limit) {
            byte b = buffer.get(read++);
            if (b == '\r') {
                if (read == limit) {
                    holdBack = true;
                    break;
                }
                if (buffer.get(read) == '\n') {
                    continue; // drop the CR of CRLF
                }
            }
            buffer.put(write++, b);
        }
        buffer.limit(write);
        return holdBack;
    }

    /** A writer for listing lines (UTF-8); the caller ends each line with CRLF. */
    public Writer listingWriter() {
        OutputStream out = Channels.newOutputStream(channel);
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
