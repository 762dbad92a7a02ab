package dev.jftp.client;

/**
 * Something the user asked for cannot be done, with a message meant for them (e.g. {@code File
 * "x" not found.}). Commands print it and fail; batch mode then stops.
 */
public class ClientException extends Exception {
    private static final long serialVersionUID = 1L;

    public ClientException(String message) {
        super(message);
    }

    public ClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
