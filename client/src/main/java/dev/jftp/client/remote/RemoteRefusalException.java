package dev.jftp.client.remote;

import java.io.IOException;

/**
 * The server refused a request: an FTP reply (4xx, 5xx), an SFTP status. The connection is still
 * there; the command that asked fails with the server's reason.
 */
public abstract class RemoteRefusalException extends IOException {
    private static final long serialVersionUID = 1L;

    protected RemoteRefusalException(String message) {
        super(message);
    }

    protected RemoteRefusalException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The file is not there or may not be used (FTP 550 and 450; SFTP no such file, permission denied). */
    public abstract boolean isFileUnavailable();

    /** The refusal says that the file is not there. */
    public abstract boolean isNotFound();

    /** The server does not know or does not offer what was asked (FTP 500, 502, 504; SFTP unsupported). */
    public abstract boolean isNotSupported();

    /** The server's reason as the user reads it, e.g. "No such file or directory (550)". */
    public abstract String reason();
}
