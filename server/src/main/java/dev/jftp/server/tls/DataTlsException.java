package dev.jftp.server.tls;

import java.io.IOException;

/**
 * A data connection whose TLS handshake failed or did not resume the control connection's TLS
 * session; the transfer is answered 425 (as FileZilla Server does) and the data connection closed.
 */
public final class DataTlsException extends IOException {
    public DataTlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
