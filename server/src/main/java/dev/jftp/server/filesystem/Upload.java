package dev.jftp.server.filesystem;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A file being received. Bytes go to {@link #channel()}; nothing is visible under the final name
 * until {@link #commit()} (for a replacing upload), and {@link #close()} without commit throws the
 * partial data away, so a failed upload never destroys the file that was there.
 */
public interface Upload extends Closeable {
    FileChannel channel();

    /** Makes the received bytes the file's content. */
    void commit() throws IOException;

    /** Discards the upload unless it was committed. Never throws for a failed clean-up; it logs it. */
    @Override
    void close();
}
