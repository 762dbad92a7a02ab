package dev.jftp.server.storage;

import java.nio.file.FileSystemException;

/**
 * A path component longer than the file system takes (NAME_MAX, 255 bytes on Linux): refused
 * before anything is created or any data accepted.
 */
public final class FileNameTooLongException extends FileSystemException {
    public FileNameTooLongException(String virtualPath, int bytes, int limit) {
        super(virtualPath, null, "File name too long (" + bytes + " bytes; at most " + limit + " per name)");
    }
}
