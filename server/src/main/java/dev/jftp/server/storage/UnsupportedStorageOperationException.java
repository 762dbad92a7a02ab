package dev.jftp.server.storage;

import java.nio.file.FileSystemException;

/** The backend cannot do this at all (see {@link StorageCapabilities}); FTP answers 502/504/550. */
public final class UnsupportedStorageOperationException extends FileSystemException {
    public UnsupportedStorageOperationException(String path, String what) {
        super(path, null, what + " is not supported by this storage");
    }
}
