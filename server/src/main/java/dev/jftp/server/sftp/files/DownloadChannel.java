package dev.jftp.server.sftp.files;

import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The file of an SFTP handle opened for reading: the storage's channel (on the local disk a
 * {@link java.nio.channels.FileChannel}), counting the bytes read for the transfer log line that
 * the handle's end writes: {@code ok} after a clean CLOSE, {@code failed} when the session ended
 * with the handle open.
 */
public final class DownloadChannel implements SeekableByteChannel {
    private final SftpFiles files;
    private final VirtualPath path;
    private final SeekableByteChannel in;
    private final long startedNanos = System.nanoTime();
    private long bytes;
    private boolean logged;

    DownloadChannel(SftpFiles files, VirtualPath path, SeekableByteChannel in) {
        this.files = files;
        this.path = path;
        this.in = in;
    }

    /**
     * Fills {@code dst} up to the end of the file: an SFTP READ is never answered short in the
     * middle of a file, as OpenSSH's sftp-server never does. A storage streaming from the network
     * (S3) returns what has arrived; sent on as a short reply, it makes clients re-request the rest,
     * and OpenSSH 9.2's scp (Debian 12's) then truncates the downloaded file where the first reply
     * came short, and still exits 0.
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = in.read(dst);
            if (n < 0) {
                if (total == 0) {
                    return -1;
                }
                break;
            }
            if (n == 0) {
                break;
            }
            total += n;
        }
        bytes += total;
        return total;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        return in.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        in.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return in.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return in.isOpen();
    }

    /** Ends the download; {@code clean} when the client closed the handle. */
    void end(boolean clean) throws IOException {
        try {
            in.close();
        } finally {
            if (!logged) {
                logged = true;
                files.logTransfer("RETR", path, bytes, startedNanos, clean);
            }
        }
    }

    @Override
    public void close() throws IOException {
        end(false);
    }
}
