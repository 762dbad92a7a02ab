package dev.jftp.server.filesystem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.time.Instant;

/**
 * One user's view of the files: everything is named by a {@link VirtualPath} inside the user's
 * jail, and no call may reach a file outside it. Failures are the standard
 * {@link java.nio.file.FileSystemException} subclasses (NoSuchFile, AccessDenied, FileAlreadyExists,
 * DirectoryNotEmpty, NotDirectory), which the session turns into FTP replies.
 */
public interface FileSystemView {
    /** Attributes of the file at {@code path}, following symbolic links that stay inside the jail. */
    FileEntry stat(VirtualPath path) throws IOException;

    /** Entries of a directory, read lazily: a huge directory is never held in memory at once. */
    DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException;

    FileChannel openForRead(VirtualPath path) throws IOException;

    Upload openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException;

    void delete(VirtualPath path) throws IOException;

    void makeDirectory(VirtualPath path) throws IOException;

    void removeDirectory(VirtualPath path) throws IOException;

    void rename(VirtualPath from, VirtualPath to) throws IOException;

    void setModified(VirtualPath path, Instant time) throws IOException;

    void setPermissions(VirtualPath path, int mode) throws IOException;
}
