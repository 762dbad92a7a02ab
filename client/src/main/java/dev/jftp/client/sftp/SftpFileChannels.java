package dev.jftp.client.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;

/**
 * A remote file's bytes as the copy loops expect them, a channel: reads from MINA's pipelined
 * SFTP reader (many READ requests in flight), writes to its pipelined writer. {@link #close()}
 * from another thread (Ctrl-C, the stall watchdog) makes the next read or write fail; the owner
 * closes the streams itself ({@link #finish}, {@link #abandon}), so that no other thread ever
 * touches MINA's stream state.
 */
final class SftpFileChannels {
    private SftpFileChannels() {
    }

    /** Copies through a heap array: MINA's streams take arrays. */
    private static final int CHUNK = 256 * 1024;

    /** Told when the channel is closed from outside, e.g. to close the whole connection after a stall. */
    interface CloseHook {
        void closed();
    }

    static final class Reading implements ByteChannel {
        private final InputStream in;
        private final CloseHook hook;
        private final byte[] chunk = new byte[CHUNK];
        private volatile boolean closed;

        Reading(InputStream in, CloseHook hook) {
            this.in = in;
            this.hook = hook;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            int n = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()));
            if (n > 0) {
                dst.put(chunk, 0, n);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
            hook.closed();
        }

        /** By the owner, afterwards: the stream (its handle stays with the caller). */
        void abandon() {
            try {
                in.close();
            } catch (IOException e) {
                // the transfer's outcome is known already; a failing close adds nothing
            }
        }
    }

    static final class Writing implements ByteChannel {
        private final OutputStream out;
        private final CloseHook hook;
        private final byte[] chunk = new byte[CHUNK];
        private volatile boolean closed;

        Writing(OutputStream out, CloseHook hook) {
            this.out = out;
            this.hook = hook;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            out.write(chunk, 0, n);
            return n;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new NonReadableChannelException();
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
            hook.closed();
        }

        /** By the owner when every byte is written: waits for the server's answers to the last writes. */
        void finish() throws IOException {
            out.close();
        }

        /** By the owner after a failure or a cancel: what was sent stays sent. */
        void abandon() {
            try {
                out.close();
            } catch (IOException e) {
                // the transfer failed already; the server keeps what arrived
            }
        }
    }
}
