package dev.jftp.client.transfer;

import dev.jftp.client.remote.DataBody;
import dev.jftp.client.remote.Transfer;
import dev.jftp.protocol.ascii.ToLocalLineEnds;
import dev.jftp.protocol.ascii.ToWireLineEnds;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The copy loops between a data connection and a file. Binary downloads read into one large direct
 * buffer and write it with positional writes; binary uploads to another machine use
 * {@link FileChannel#transferTo} (sendfile on Linux), to this machine and into TLS and SFTP the
 * same buffer (see {@link #send}). No per-byte work happens in binary mode. ASCII mode (TYPE A) converts
 * line ends: CRLF on the wire, LF on disk (RFC 959 section 3.1.1.1).
 */
public final class DataCopy {
    /** Size of the receive buffer: large, so each write to disk moves a lot. */
    static final int BUFFER_SIZE = 1024 * 1024;
    /** A read fills the buffer at least this far before it is written out. */
    private static final int WRITE_THRESHOLD = BUFFER_SIZE / 2;
    /** Bytes handed to one transferTo call; also the granularity of upload progress. */
    private static final long SEND_CHUNK = 4L * 1024 * 1024;
    /** transferTo that keeps moving nothing means the file shrank under us. */
    private static final int MAX_IDLE_ROUNDS = 64;

    // Made on first use: a binary upload to another machine (sendfile) needs neither, and zeroing
    // 3 MiB costs a one-shot put ~770 page faults for nothing.
    private ByteBuffer buffer;
    private ByteBuffer wireBuffer;

    private ByteBuffer buffer() {
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        }
        return buffer;
    }

    private ByteBuffer wireBuffer() {
        if (wireBuffer == null) {
            wireBuffer = ByteBuffer.allocateDirect(2 * BUFFER_SIZE);
        }
        return wireBuffer;
    }

    /**
     * The body of an upload of {@code [start, end)} of {@code file}: {@link #send} in binary mode,
     * {@link #sendAscii} (the whole file) in ASCII mode.
     */
    public DataBody upload(FileChannel file, long start, long end, boolean binary) {
        return new Upload(this, file, start, end, binary);
    }

    /**
     * The body of a download into {@code file}: {@link #receive} from {@code position} (or
     * {@link #receiveInOrder} when {@code inOrder}) in binary mode, {@link #receiveAscii} in ASCII mode.
     */
    public DataBody download(FileChannel file, long position, boolean binary, boolean inOrder) {
        return new Download(this, file, position, binary, inOrder);
    }

    // The two bodies are classes, not lambdas: bin/jftp's AOT cache holds the code of what its
    // training session ran, and the first run of a lambda that session did not run spins
    // method-handle classes (a one-shot put after a cache trained by a get: 5 hidden classes; a get
    // after a put: 9), while a class is in the cache whatever the session did (TrainingRun loads
    // every class of the jar).
    private record Upload(DataCopy copy, FileChannel file, long start, long end, boolean binary) implements DataBody {
        @Override
        public long run(ByteChannel channel, Transfer transfer) throws IOException {
            return binary ? copy.send(file, start, end, channel, transfer) : copy.sendAscii(file, channel, transfer);
        }
    }

    private record Download(DataCopy copy, FileChannel file, long position, boolean binary, boolean inOrder) implements DataBody {
        @Override
        public long run(ByteChannel channel, Transfer transfer) throws IOException {
            if (!binary) {
                return copy.receiveAscii(channel, file, transfer);
            }
            return inOrder ? copy.receiveInOrder(channel, file, transfer) : copy.receive(channel, file, position, transfer);
        }
    }

    /** Receives until the server closes the data connection, writing from {@code position}; returns the bytes received. */
    public long receive(ByteChannel in, FileChannel out, long position, Transfer transfer) throws IOException {
        return receive(in, out, position, false, transfer);
    }

    /**
     * Receives into something that cannot seek (a device, a FIFO: a positional write there fails
     * with "Illegal seek"), writing in order; returns the bytes received.
     */
    public long receiveInOrder(ByteChannel in, FileChannel out, Transfer transfer) throws IOException {
        return receive(in, out, 0, true, transfer);
    }

    private long receive(ByteChannel in, FileChannel out, long position, boolean inOrder, Transfer transfer) throws IOException {
        ByteBuffer b = buffer();
        b.clear();
        long written = 0;
        boolean end = false;
        while (!end) {
            int n = in.read(b);
            if (n < 0) {
                end = true;
            }
            if (end || b.position() >= WRITE_THRESHOLD) {
                b.flip();
                int chunk = b.remaining();
                while (b.hasRemaining()) {
                    written += inOrder ? out.write(b) : out.write(b, position + written);
                }
                b.clear();
                if (chunk > 0) {
                    transfer.add(chunk);
                }
            }
        }
        return written;
    }

    /**
     * Sends {@code [position, end)} of the file; returns the bytes sent. To another machine with
     * sendfile ({@link FileChannel#transferTo} into the socket), which spares the copy through user
     * space. Through the 1 MiB buffer into anything else: a TLS data connection or an SFTP file
     * (transferTo into a channel that is not the JDK's own copies through an 8 KiB array anyway,
     * FileChannelImpl.TRANSFER_SIZE), and a data connection to this machine, where the copy
     * measured faster than sendfile (below).
     * <p>
     * Over loopback the best choice has changed with the machine. 1 GiB put to jftpd, alternated
     * with curl, on a quiet 2-core Intel Xeon (2 MiB of L2 per core), 10 rounds, medians: 1 MiB
     * 0.550 s, 256 KiB 0.558 s, sendfile 0.649 s, 64 KiB 0.698 s, curl 0.653 s. On the AMD EPYC
     * machines of earlier stops 64 KiB had been the fastest (0.370 s against 0.415 s with 1 MiB,
     * 12 runs each) and sendfile the slowest (0.44-0.48 s: the server then read pages that no CPU
     * cache held); 1 MiB is the size that is never far from the best on either.
     */
    public long send(FileChannel in, long position, long end, ByteChannel out, Transfer transfer) throws IOException {
        return isRemoteSocket(out) ? sendfile(in, position, end, out, transfer) : copyThroughBuffer(in, position, end, out, transfer);
    }

    private static boolean isRemoteSocket(ByteChannel channel) throws IOException {
        return channel instanceof SocketChannel socket && socket.getRemoteAddress() instanceof InetSocketAddress address
                && !address.getAddress().isLoopbackAddress();
    }

    long copyThroughBuffer(FileChannel in, long position, long end, ByteChannel out, Transfer transfer) throws IOException {
        ByteBuffer b = buffer();
        long at = position;
        while (at < end && !transfer.isCancelled()) {
            b.clear().limit((int) Math.min(BUFFER_SIZE, end - at));
            int n = in.read(b, at);
            if (n < 0) {
                throw new IOException("local file shrank to " + in.size() + " bytes during the upload");
            }
            b.flip();
            while (b.hasRemaining()) {
                out.write(b);
            }
            at += n;
            transfer.add(n);
        }
        return at - position;
    }

    long sendfile(FileChannel in, long position, long end, ByteChannel out, Transfer transfer) throws IOException {
        long at = position;
        int idle = 0;
        while (at < end && !transfer.isCancelled()) {
            long n = in.transferTo(at, Math.min(SEND_CHUNK, end - at), out);
            if (n <= 0) {
                if (++idle > MAX_IDLE_ROUNDS || in.size() <= at) {
                    throw new IOException("local file shrank to " + in.size() + " bytes during the upload");
                }
                continue;
            }
            idle = 0;
            at += n;
            transfer.add(n);
        }
        return at - position;
    }

    /** ASCII download: CRLF on the wire becomes LF; returns the bytes written to the file. */
    public long receiveAscii(ByteChannel in, FileChannel out, Transfer transfer) throws IOException {
        ByteBuffer wire = buffer();
        ByteBuffer local = wireBuffer();
        ToLocalLineEnds toLocal = new ToLocalLineEnds();
        long written = 0;
        while (true) {
            wire.clear();
            int n = in.read(wire);
            local.clear();
            if (n < 0) {
                toLocal.finish(local);
                return written + writeAll(local.flip(), out);
            }
            wire.flip();
            toLocal.convert(wire, local); // local is larger than wire: takes all of it
            written += writeAll(local.flip(), out);
            transfer.add(n);
        }
    }

    private static long writeAll(ByteBuffer b, WritableByteChannel out) throws IOException {
        long written = 0;
        while (b.hasRemaining()) {
            written += out.write(b);
        }
        return written;
    }

    /** ASCII upload: a LF without a CR before it goes out as CRLF; returns the bytes read from the file. */
    public long sendAscii(FileChannel in, ByteChannel out, Transfer transfer) throws IOException {
        ByteBuffer local = buffer();
        ByteBuffer wire = wireBuffer();
        ToWireLineEnds toWire = new ToWireLineEnds();
        long read = 0;
        while (!transfer.isCancelled()) {
            local.clear();
            int n = in.read(local);
            if (n < 0) {
                return read;
            }
            read += n;
            local.flip();
            while (local.hasRemaining()) { // wire is twice as large: one round takes it all
                wire.clear();
                toWire.convert(local, wire);
                writeAll(wire.flip(), out);
            }
            transfer.add(n);
        }
        return read;
    }
}
