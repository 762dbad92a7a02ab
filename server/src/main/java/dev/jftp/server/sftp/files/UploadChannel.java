package dev.jftp.server.sftp.files;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.UnsupportedStorageOperationException;
import dev.jftp.server.storage.UploadSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;

/**
 * The file of an SFTP handle opened for writing. SFTP writes name their offset and may come in any
 * order, while jftpd's uploads are atomic: the rule that joins the two (README, "SFTP") is
 *
 * <ul>
 *   <li>An OPEN of a new file, or one that truncates (SSH_FXF_TRUNC, as {@code sftp put} and
 *       {@code scp} send), writes to a temporary upload. Only a clean SSH_FXP_CLOSE of the handle
 *       commits it, replacing the file at once; a session that ends any other way (connection lost,
 *       client killed, handle never closed) discards it, and the old file stays as it was.
 *   <li>An OPEN of an existing file without truncating ({@code reput}, {@code put -a}, a client
 *       resuming) writes into that file in place, as FTP's APPE and REST+STOR do; a storage that
 *       cannot ({@code s3}) refuses it with SSH_FX_OP_UNSUPPORTED.
 *   <li>Writes land at their offset where the storage's channel can seek (the local disk, in both
 *       cases above); elsewhere they must come in order, each starting where the last ended, as
 *       every common client sends them, and a write elsewhere is refused.
 * </ul>
 *
 * <p>{@link #close()} alone discards: committing is for {@link #commit()}, which the accessor calls
 * for a clean CLOSE only.
 */
public final class UploadChannel implements SeekableByteChannel {
    private final SftpFiles files;
    private final VirtualPath path;
    private final UploadSink sink;
    private final WritableByteChannel out;
    private final boolean replacing;
    private final long startedNanos = System.nanoTime();
    /** Where the storage's channel stands: the end of what was written (for in place: of the file). */
    private long end;
    /** Where the next write goes. */
    private long position;
    /** Where a seekable storage channel stands, so that in-order writes need no seek. */
    private long outPosition;
    private long bytes;
    private boolean closed;
    private int modeAfterCommit = FileEntry.NO_MODE;
    private Instant modifiedAfterCommit;

    UploadChannel(SftpFiles files, VirtualPath path, UploadSink sink, boolean replacing, long existingSize) throws IOException {
        this.files = files;
        this.path = path;
        this.sink = sink;
        this.out = sink.channel();
        this.replacing = replacing;
        this.end = replacing ? 0 : existingSize;
        this.outPosition = out instanceof SeekableByteChannel seekable ? seekable.position() : end;
    }

    VirtualPath path() {
        return path;
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        ensureOpen();
        if (out instanceof SeekableByteChannel seekable) {
            if (outPosition != position) {
                seekable.position(position);
            }
        } else if (position != end) {
            throw new UnsupportedStorageOperationException(path.toString(),
                    "writing at offset " + position + " while the upload stands at " + end + " (this storage takes an upload's bytes in order)");
        }
        int n = 0;
        while (src.hasRemaining()) {
            n += out.write(src);
        }
        position += n;
        outPosition = position;
        end = Math.max(end, position);
        bytes += n;
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        throw new UnsupportedStorageOperationException(path.toString(), "reading a file through the handle it is being uploaded with");
    }

    @Override
    public synchronized long position() {
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        position = newPosition;
        return this;
    }

    @Override
    public synchronized long size() throws IOException {
        ensureOpen();
        return out instanceof SeekableByteChannel seekable ? seekable.size() : end;
    }

    /** SETSTAT's size while uploading: cuts what was written, where the storage's channel can. */
    @Override
    public synchronized SeekableByteChannel truncate(long size) throws IOException {
        ensureOpen();
        if (out instanceof SeekableByteChannel seekable) {
            seekable.truncate(size);
            end = Math.min(end, size);
        } else if (size != end) {
            throw new UnsupportedStorageOperationException(path.toString(), "changing the size of a file being uploaded");
        }
        return this;
    }

    void setModeAfterCommit(int mode) {
        modeAfterCommit = mode;
    }

    void setModifiedAfterCommit(Instant time) {
        modifiedAfterCommit = time;
    }

    /** The client closed the handle cleanly: the upload becomes the file (for a replacing upload, atomically). */
    synchronized void commit() throws IOException {
        ensureOpen();
        closed = true;
        files.uploadEnded(this);
        try {
            sink.commit();
        } catch (IOException | RuntimeException e) {
            sink.close();
            files.logTransfer(verb(), path, bytes, startedNanos, false);
            throw e;
        }
        sink.close();
        files.logTransfer(verb(), path, bytes, startedNanos, true);
        files.applyAfterCommit(path, modeAfterCommit, modifiedAfterCommit);
    }

    /** The upload ended without a clean CLOSE: a replacing upload leaves the old file as it was. */
    synchronized void discard() {
        if (closed) {
            return;
        }
        closed = true;
        files.uploadEnded(this);
        sink.close();
        files.logTransfer(verb(), path, bytes, startedNanos, false);
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed;
    }

    /** Discards, unless {@link #commit()} came first. */
    @Override
    public void close() {
        discard();
    }

    private String verb() {
        return replacing ? "STOR" : "APPE";
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }
}
