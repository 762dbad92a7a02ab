package dev.jftp.server.storage;

import java.nio.file.FileSystemException;

/** A resume offset past the end of the file being resumed (FTP: 554, RFC 3659 section 5.5). */
public final class InvalidOffsetException extends FileSystemException {
    public InvalidOffsetException(String file, long offset, long size) {
        super(file, null, "restart offset " + offset + " is past the end of the file (" + size + " bytes)");
    }
}
