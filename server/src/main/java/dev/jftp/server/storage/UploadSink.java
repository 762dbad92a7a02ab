package dev.jftp.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A file being received. Bytes go to {@link #channel()}; for a replacing upload nothing is visible
 * under the final name until {@link #commit()}, and {@link #close()} without a commit throws the
 * received data away, so a failed upload never destroys the file that was there.
 */
public interface UploadSink extends Closeable {
    /**
     * Where the bytes go; on the local disk a {@link java.nio.channels.SeekableByteChannel} (a
     * {@link java.nio.channels.FileChannel}, or the new file's own descriptor), which SFTP writes at
     * any offset.
     */
    WritableByteChannel channel();

    /** Makes the received bytes the file's content (for REPLACE: atomically, all or nothing). */
    void commit() throws IOException;

    /** Discards the upload unless it was committed. Never throws; a failed clean-up is logged. */
    @Override
    void close();
}
