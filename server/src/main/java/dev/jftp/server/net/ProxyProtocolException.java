package dev.jftp.server.net;

import java.io.IOException;

/**
 * A connection from a trusted proxy did not start with a valid PROXY protocol header; the caller
 * closes it. The message says what was wrong in words, never by repeating the bytes received.
 */
public final class ProxyProtocolException extends IOException {
    private final boolean closedBeforeHeader;

    ProxyProtocolException(String message) {
        this(message, false);
    }

    ProxyProtocolException(String message, boolean closedBeforeHeader) {
        super(message);
        this.closedBeforeHeader = closedBeforeHeader;
    }

    /**
     * True when the peer closed the connection without sending a single byte: a plain TCP health
     * check (connect, close), which the caller may log more quietly than a broken header.
     */
    public boolean closedBeforeHeader() {
        return closedBeforeHeader;
    }
}
