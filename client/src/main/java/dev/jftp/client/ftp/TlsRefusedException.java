package dev.jftp.client.ftp;

import java.io.IOException;

/** The server would not start TLS on the control connection: nothing more is sent on it, the password least of all. */
public final class TlsRefusedException extends IOException {
    public TlsRefusedException(String message) {
        super(message);
    }
}
