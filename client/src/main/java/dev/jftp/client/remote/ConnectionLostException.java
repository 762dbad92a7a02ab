package dev.jftp.client.remote;

import java.io.IOException;

/** The control connection is gone (closed, broken, timed out, or 421): the session must reconnect. */
public class ConnectionLostException extends IOException {
    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message) {
        super(message);
    }

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
