package dev.jftp.server.storage.local;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.local.linux.ErrnoException;
import dev.jftp.server.storage.local.linux.LinuxCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;

/**
 * The channel of an upload into a file that the storage holds open as a descriptor of its own (a
 * new file without a name yet, see {@code LocalStorageView.unnamed}), writing at a position it
 * keeps. On a platform thread (a burst thread, an upload thread, SFTP's) a write is one pwrite(2)
 * on that descriptor. On a virtual thread it goes through a JDK {@link FileChannel} on the descriptor's
 * /proc/self/fd link, opened the first time one is needed, because the JDK lets the scheduler add
 * a carrier thread while such a write blocks (a full page cache, a slow disk), which a foreign call
 * cannot; so does a heap buffer larger than {@link #COPIED_WRITE_LIMIT}. A small upload received
 * on a burst thread thus never opens the file a second time: an open(2) through /proc and a
 * close(2) less; 4 KiB uploads to jftpd, server CPU 190 -> 178 µs per upload (README, "What
 * profiling changed").
 *
 * <p>Not safe for use by several threads at once; an upload has one writer at a time.
 */
final class DescriptorChannel implements SeekableByteChannel {
    private static final OpenOption[] WRITE = {StandardOpenOption.WRITE};
    /**
     * Largest heap buffer written with pwrite: it is first copied to native memory that the FFM
     * API allocates zeroed, for each call, which is nothing for the pieces of a small upload (16
     * KiB at most) but costs larger ones (an SFTP client's 32 KiB writes) more than the JDK's
     * channel, which reuses a cached direct buffer.
     */
    static final int COPIED_WRITE_LIMIT = 16 * 1024;

    private final int fd;
    private final VirtualPath path;
    private long position;
    private FileChannel throughProc;
    private boolean open = true;

    /** A channel on {@code fd}, open for writing; the caller keeps the descriptor and closes it after this channel. */
    DescriptorChannel(int fd, VirtualPath path) {
        this.fd = fd;
        this.path = path;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        requireOpen();
        int n;
        if (Thread.currentThread().isVirtual() || (!src.isDirect() && src.remaining() > COPIED_WRITE_LIMIT)) {
            n = throughProc().write(src, position);
        } else {
            try {
                n = LinuxCalls.pwrite(fd, src, position);
            } catch (ErrnoException e) {
                throw new FileSystemException(path.toString(), null, e.reason());
            }
        }
        position += n;
        return n;
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new NonReadableChannelException();
    }

    @Override
    public long position() throws IOException {
        requireOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        requireOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        requireOpen();
        try {
            return LinuxCalls.fstat(fd).size();
        } catch (ErrnoException e) {
            throw new FileSystemException(path.toString(), null, e.reason());
        }
    }

    /** As {@link FileChannel#truncate}: the position moves back to {@code size} if it was beyond. Rare (SFTP): through /proc. */
    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
        requireOpen();
        throughProc().truncate(size);
        position = Math.min(position, size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Closes the channel through /proc, if one was opened; the descriptor stays the caller's. */
    @Override
    public void close() throws IOException {
        open = false;
        if (throughProc != null) {
            throughProc.close();
        }
    }

    /** Whether the file was opened a second time, through /proc (by a write on a virtual thread, of a large heap buffer, or a truncate). */
    boolean openedThroughProc() {
        return throughProc != null;
    }

    private FileChannel throughProc() throws IOException {
        if (throughProc == null) {
            throughProc = LocalStorageView.reopen(fd, WRITE, path);
        }
        return throughProc;
    }

    private void requireOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
