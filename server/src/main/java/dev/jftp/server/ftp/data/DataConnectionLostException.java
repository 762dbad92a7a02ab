package dev.jftp.server.ftp.data;

import java.io.IOException;

/**
 * The data connection failed under a transfer (the client closed or reset it: "Broken pipe",
 * "Connection reset"), as opposed to the file. The reply is then 426 (RFC 959: connection closed,
 * transfer aborted), not 451 (a local error of the server).
 */
public final class DataConnectionLostException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataConnectionLostException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
