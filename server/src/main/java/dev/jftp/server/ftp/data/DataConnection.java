package dev.jftp.server.ftp.data;

import dev.jftp.protocol.ascii.ToLocalLineEnds;
import dev.jftp.protocol.ascii.ToWireLineEnds;
import dev.jftp.server.tls.TlsSession;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open data connection. Binary downloads from the local disk (a {@link FileChannel}) go from the
 * file to the socket with {@link FileChannel#transferTo} (sendfile on Linux); downloads from any other
 * storage, and uploads, go through a pooled direct buffer.
 * ASCII mode converts line ends (RFC 959 section 3.1.1.1: CRLF on the wire).
 * {@link #close()} from another thread (ABOR) makes a running transfer fail at once.
 *
 * <p>With PROT P (RFC 4217 section 9) the bytes go through an {@link SSLSocket} layered on the
 * channel's socket instead, as streams: TLS encrypts in user space, so there is no zero-copy then.
 */
public final class DataConnection implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(DataConnection.class);
    /** Bytes per transferTo call; small enough that STAT's byte count is current for a slow client. */
    private static final long CHUNK = 1024 * 1024;

    private final SocketChannel channel;
    /** Where bytes go and come from: the socket itself, or TLS over it once {@link #secure} ran. */
    private WritableByteChannel sink;
    private ReadableByteChannel source;
    private volatile SSLSocket tls;
    /** The thread that runs the transfer; only it may close TLS gracefully (see {@link #close()}). */
    private volatile Thread tlsOwner;
    /** The thread that ran the last transfer over this connection, null before the first one (see {@link #close()}). */
    private volatile Thread transferThread;

    /**
     * Without TCP_NODELAY: data goes one way and each transfer ends with a close, which sends
     * whatever Nagle's algorithm held back at once; only TLS's handshake, which writes and then
     * waits for an answer, needs it (see {@link #secure}). One system call less per transfer.
     */
    DataConnection(SocketChannel channel) {
        this.channel = channel;
        this.sink = channel;
        this.source = channel;
    }

    /**
     * Whether the kernel takes {@code bytes} into this connection's send buffer in one write, on a
     * connection over which nothing was sent yet: at most half the buffer (the rest is the kernel's
     * own overhead per packet). A new TCP socket's buffer is the machine's default
     * ({@code net.ipv4.tcp_wmem}, second value: the kernel sets it so and only grows it once the
     * connection is made), which spares asking the socket (getsockopt) for most small files.
     */
    public boolean takesInOneWrite(long bytes) throws IOException {
        return bytes <= NewSocketSendBuffer.BYTES / 2 || bytes <= channel.socket().getSendBufferSize() / 2;
    }

    /** The send buffer the kernel gives every new TCP socket; 0 where that cannot be read. */
    private static final class NewSocketSendBuffer {
        static final int BYTES = read();

        private static int read() {
            int[] wmem = NetSettings.ipv4("tcp_wmem"); // min, default, max
            return wmem.length == 3 ? Math.max(0, wmem[1]) : 0; // 0: not Linux, ask each socket
        }
    }

    /**
     * PROT P: runs the TLS handshake as server and checks that it resumed {@code session}'s TLS
     * session; from then on every transfer method goes through TLS.
     *
     * @throws dev.jftp.server.tls.DataTlsException when not; the connection is closed then
     */
    public void secure(TlsSession session, Duration handshakeTimeout) throws IOException {
        channel.socket().setTcpNoDelay(true);
        SSLSocket socket = session.secureData(channel.socket(), handshakeTimeout);
        tlsOwner = Thread.currentThread();
        tls = socket;
        sink = new LargeWrites(socket.getOutputStream());
        source = Channels.newChannel(socket.getInputStream());
    }

    /**
     * Writes to TLS in pieces of 64 KiB, which SSLSocket cuts into full 16 KiB records; the JDK's
     * stream channels write 8 KiB at a time, and every write is a TLS record of its own.
     */
    private static final class LargeWrites implements WritableByteChannel {
        private final OutputStream out;
        private final byte[] chunk = new byte[64 * 1024];
        private boolean open = true;

        LargeWrites(OutputStream out) {
            this.out = out;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            int written = 0;
            while (source.hasRemaining()) {
                int n = Math.min(source.remaining(), chunk.length);
                source.get(chunk, 0, n);
                out.write(chunk, 0, n);
                written += n;
            }
            return written;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            out.close();
        }
    }

    /**
     * Sends a file the storage opened from {@code offset} to {@code size}, its size when it was
     * opened; returns the bytes read from it. A {@link FileChannel} (the local disk) goes by
     * sendfile, any other channel through a buffer.
     */
    public long send(SeekableByteChannel file, long offset, long size, boolean ascii, TransferProgress progress) throws IOException {
        transferThread = Thread.currentThread();
        if (file instanceof FileChannel local) {
            return sendFile(local, offset, size, ascii, progress);
        }
        return ascii ? sendAscii(file, offset, progress) : sendThroughBuffer(file, offset, progress);
    }

    /**
     * Sends the file from {@code offset} to its end; returns the bytes read from the file.
     *
     * <p>On a virtual thread, transferTo must never meet a socket the kernel would block on: sendfile
     * would then hold the carrier thread until the client reads, and as many clients that stop
     * reading as there are carriers would freeze every session. So the first piece goes through
     * write(), which (JDK 21+) switches the socket to non-blocking mode for virtual threads; after
     * that transferTo returns 0 when the socket is full, and the next piece again goes through
     * write(), which parks the virtual thread until the client reads.
     */
    public long sendFile(FileChannel file, long offset, boolean ascii, TransferProgress progress) throws IOException {
        return sendFile(file, offset, file.size(), ascii, progress);
    }

    /** As {@link #sendFile(FileChannel, long, boolean, TransferProgress)}, for a file whose size the caller just read. */
    public long sendFile(FileChannel file, long offset, long size, boolean ascii, TransferProgress progress) throws IOException {
        transferThread = Thread.currentThread();
        if (ascii) {
            return sendAscii(file, offset, progress);
        }
        if (tls != null) {
            return sendThroughBuffer(file, offset, progress); // transferTo would write 8 KiB pieces
        }
        ByteBuffer buffer = BufferPool.take();
        try {
            long position = offset;
            boolean socketFull = true;
            while (position < size) {
                long n;
                boolean throughBuffer = socketFull;
                try {
                    n = throughBuffer
                            ? writeThrough(file, position, buffer, progress)
                            : file.transferTo(position, Math.min(CHUNK, size - position), channel);
                } catch (ClosedChannelException e) {
                    throw e; // closed under us (ABOR, shutdown): the caller knows why
                } catch (IOException e) {
                    throw sideOf(e, file, position);
                }
                if (n < 0 || (n == 0 && socketFull)) {
                    throw new FileShrankException(size, file.size()); // someone truncated it under us
                }
                socketFull = n == 0;
                position += n;
                if (!throughBuffer) {
                    progress.add(n);
                }
            }
            return position - offset;
        } finally {
            BufferPool.give(buffer);
        }
    }

    /**
     * Sends the next buffer-full of the file with write(); returns the bytes sent, -1 at the end of
     * the file. Counts each write as it goes: a buffer-full is 1 MiB, which a slow client or one that
     * aborts after a few bytes (curl's ranged download) may never read whole.
     */
    private long writeThrough(FileChannel file, long position, ByteBuffer buffer, TransferProgress progress) throws IOException {
        buffer.clear();
        int n = file.read(buffer, position);
        if (n <= 0) {
            return n < 0 ? -1 : 0;
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            progress.add(channel.write(buffer));
        }
        return n;
    }

    private long sendThroughBuffer(SeekableByteChannel file, long offset, TransferProgress progress) throws IOException {
        ByteBuffer buffer = BufferPool.take();
        try {
            long position = offset;
            long size = file.size(); // as sendFile: what the file holds now, even if it grows meanwhile
            file.position(offset);
            while (position < size) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - position));
                int n = file.read(buffer);
                if (n <= 0) {
                    throw new FileShrankException(size, file.size()); // someone truncated it under us
                }
                position += n;
                drain(buffer, progress);
            }
            return position - offset;
        } finally {
            BufferPool.give(buffer);
        }
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

    private long sendAscii(SeekableByteChannel file, long offset, TransferProgress progress) throws IOException {
        ByteBuffer in = BufferPool.take();
        ByteBuffer out = BufferPool.take();
        try {
            ToWireLineEnds toWire = new ToWireLineEnds();
            long position = offset;
            long size = file.size();
            file.position(offset);
            while (true) {
                in.clear();
                int n = file.read(in);
                if (n < 0) {
                    if (position < size) {
                        throw new FileShrankException(size, position);
                    }
                    break;
                }
                position += n;
                in.flip();
                while (in.hasRemaining()) {
                    toWire.convert(in, out);
                    if (out.remaining() < 2) {
                        drain(out);
                    }
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
        drain(out, null);
    }

    /**
     * Writes the buffer whole; counts each write in {@code progress} when given (an image transfer,
     * where the bytes on the wire are the file's; ASCII counts the file's bytes as it reads them).
     */
    private void drain(ByteBuffer out, TransferProgress progress) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            try {
                int written = sink.write(out);
                if (progress != null) {
                    progress.add(written);
                }
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                throw new DataConnectionLostException(e);
            }
        }
        out.clear();
    }

    /**
     * transferTo fails the same way whether the file or the socket broke. If the file can still be
     * read where the transfer stopped, it was the connection.
     */
    private static IOException sideOf(IOException e, FileChannel file, long position) {
        try {
            file.read(ByteBuffer.allocate(1), position);
            return new DataConnectionLostException(e);
        } catch (IOException fileProblem) {
            return e;
        }
    }

    /** Receives until the client closes the connection; returns the bytes written to the upload's channel. */
    public long receiveFile(WritableByteChannel file, boolean ascii, TransferProgress progress) throws IOException {
        transferThread = Thread.currentThread();
        ByteBuffer buffer = BufferPool.take();
        ByteBuffer local = ascii ? BufferPool.take() : null;
        try {
            ToLocalLineEnds toLocal = ascii ? new ToLocalLineEnds() : null;
            long written = 0;
            while (true) {
                buffer.clear();
                int n;
                try {
                    n = source.read(buffer);
                } catch (ClosedChannelException e) {
                    throw e;
                } catch (IOException e) {
                    throw new DataConnectionLostException(e);
                }
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    continue;
                }
                buffer.flip();
                if (ascii) {
                    local.clear();
                    toLocal.convert(buffer, local); // as large as buffer: takes all of it
                    written += writeAll(file, local.flip());
                } else {
                    written += writeAll(file, buffer);
                }
                progress.add(n);
            }
            if (ascii) {
                local.clear();
                toLocal.finish(local);
                written += writeAll(file, local.flip());
            }
            return written;
        } finally {
            BufferPool.give(buffer);
            if (local != null) {
                BufferPool.give(local);
            }
        }
    }

    /** The piece {@link #receiveFileBefore} reads at a time: small uploads, for which it is made, fit. */
    private static final int BEFORE_DEADLINE_CHUNK = 16 * 1024;

    /**
     * As {@link #receiveFile} in binary, for a thread that must not wait past {@code deadlineNanos}
     * ({@link System#nanoTime()}) nor take more than {@code limit} bytes: false when the deadline or
     * the limit came before the end of the data. What came is written either way, so a later
     * {@link #receiveFile} goes on from there. On a connection in the clear only (TLS would have to
     * be read whole records at a time).
     */
    public boolean receiveFileBefore(WritableByteChannel file, TransferProgress progress, long deadlineNanos, long limit)
            throws IOException {
        if (tls != null) {
            throw new IllegalStateException("a timed receive on a TLS data connection");
        }
        transferThread = Thread.currentThread();
        Socket socket = channel.socket();
        InputStream in = socket.getInputStream(); // reads that can time out, unlike the channel's own
        byte[] chunk = new byte[BEFORE_DEADLINE_CHUNK];
        for (long received = 0; received <= limit; ) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                return false; // nothing lost: the connection stays as it was
            } catch (IOException e) {
                throw new DataConnectionLostException(e);
            }
            if (n < 0) {
                return true;
            }
            writeAll(file, ByteBuffer.wrap(chunk, 0, n));
            progress.add(n);
            received += n;
        }
        return false; // a big upload: the buffers and waits of receiveFile suit it better
    }

    private static long writeAll(WritableByteChannel file, ByteBuffer buffer) throws IOException {
        long written = 0;
        while (buffer.hasRemaining()) {
            written += file.write(buffer);
        }
        return written;
    }

    /**
     * An output for listing lines (UTF-8, each sent with CRLF) that fills a pooled buffer and sends
     * it whole. A Writer stack (BufferedWriter over OutputStreamWriter) sent 8 KiB pieces, the
     * encoder's own buffer: a thousand writes for a listing of 100,000 files.
     */
    public LineOutput lineOutput() {
        transferThread = Thread.currentThread();
        return new LineOutput();
    }

    /** See {@link #lineOutput()}. {@link #flush()} sends what is buffered; {@link #close()} only gives the buffer back. */
    public final class LineOutput implements Closeable {
        private static final byte[] CRLF = {'\r', '\n'};
        private ByteBuffer buffer = BufferPool.take();

        public void line(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (buffer.remaining() < bytes.length + CRLF.length) {
                drain(buffer);
                if (buffer.remaining() < bytes.length + CRLF.length) { // longer than the whole buffer
                    drain(ByteBuffer.wrap(bytes).position(bytes.length));
                    bytes = new byte[0];
                }
            }
            buffer.put(bytes).put(CRLF);
        }

        public void flush() throws IOException {
            drain(buffer);
        }

        @Override
        public void close() {
            if (buffer != null) {
                BufferPool.give(buffer);
                buffer = null;
            }
        }
    }

    /**
     * Stops a transfer running in another thread (ABOR, a client gone, shutdown). Closing alone is
     * not enough for a sender blocked in sendfile (a platform thread's {@link FileChannel#transferTo}),
     * but shutting the output down first wakes it. The input is not shut down: a receiver would
     * take that for the end of the upload; close() makes its read fail instead.
     */
    public void abort() throws IOException {
        close();
    }

    /**
     * Closes the connection. The transfer's own thread ends TLS with close_notify (RFC 8446
     * section 6.1), which tells the client that the data is complete. Any other thread (ABOR,
     * server stop) cuts the connection: it must never wait for TLS locks that a blocked transfer may
     * hold, and a thread blocked in sendfile (transferTo to a client that stopped reading) is not
     * woken by close() alone, so the output is shut down first, which makes that send fail at once.
     * The transfer's own thread, which blocks in nothing, closes at once (close sends the FIN).
     */
    @Override
    public void close() throws IOException {
        SSLSocket socket = tls;
        try {
            if (socket != null && Thread.currentThread() == tlsOwner && !socket.isClosed() && channel.isOpen()) {
                // close_notify alone: SSLSocket.close() on an open inbound side sends user_canceled
                // first under TLS 1.3, which GnuTLS clients (lftp) take for a fatal error.
                socket.shutdownOutput();
                socket.close();
            } else if (channel.isOpen() && transferThread != null && transferThread != Thread.currentThread()) {
                channel.shutdownOutput();
            }
        } catch (IOException e) {
            log.debug("closing data connection: {}", e.toString()); // the client went first; nothing is lost
        } finally {
            channel.close();
        }
    }
}
