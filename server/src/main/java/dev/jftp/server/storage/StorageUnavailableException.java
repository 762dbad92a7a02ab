package dev.jftp.server.storage;

import java.io.IOException;

/**
 * The backend failed for a reason that may pass (an S3 service throttling or timing out, after the
 * retries that were safe): FTP answers 451 and the session goes on. The message is for the client
 * and the log, so it names no secret and no server path.
 */
public final class StorageUnavailableException extends IOException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
