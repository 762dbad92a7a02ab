package dev.jftp.server.storage;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.time.Instant;

/**
 * One user's view of a storage: everything is named by a {@link VirtualPath} inside the user's
 * jail, and no call may reach anything outside it, also while others change the tree meanwhile.
 */
public interface StorageView {
    StorageCapabilities capabilities();

    /** Attributes of the entry at {@code path} (following symbolic links that stay inside the jail). */
    FileEntry stat(VirtualPath path) throws IOException;

    /** Entries of a directory, read lazily and in constant memory, however large the directory. */
    DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException;

    /**
     * Opens a regular file for reading. The channel is read-only; {@link SeekableByteChannel#position(long)}
     * before the first read starts it at an offset (REST), and {@link SeekableByteChannel#size()} is the
     * file's size when it was opened. On the local disk it is a {@link java.nio.channels.FileChannel}.
     * Anything that is not a regular file (a directory, a FIFO, a device) is refused.
     */
    SeekableByteChannel openForRead(VirtualPath path) throws IOException;

    /**
     * Starts an upload to {@code path}. Nothing changes under that name before {@link UploadSink#commit()}
     * for {@link UploadMode#REPLACE}; {@link UploadMode#APPEND} and {@link UploadMode#RESUME} need
     * {@link StorageCapabilities#resumeInPlace()} and throw {@link UnsupportedStorageOperationException}
     * otherwise.
     *
     * @param offset for RESUME, where writing starts (the file is cut there); ignored otherwise
     */
    UploadSink openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException;

    void delete(VirtualPath path) throws IOException;

    void makeDirectory(VirtualPath path) throws IOException;

    /** Removes an empty directory; {@link java.nio.file.DirectoryNotEmptyException} otherwise. */
    void removeDirectory(VirtualPath path) throws IOException;

    /** Renames a file or a directory; replaces a file at {@code to}, never a directory. */
    void rename(VirtualPath from, VirtualPath to) throws IOException;

    /** Needs {@link StorageCapabilities#setModifiedTime()}. */
    void setModified(VirtualPath path, Instant time) throws IOException;

    /** Unix permission bits; needs {@link StorageCapabilities#permissions()}. */
    void setPermissions(VirtualPath path, int mode) throws IOException;
}
