package dev.jftp.client.ftp;

import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * FTPS for a connection (RFC 4217).
 *
 * @param implicit true for implicit TLS (TLS from the first byte, usually port 990); false for
 *                 explicit TLS (AUTH TLS after the greeting)
 * @param context  makes the control and data connections' TLS; its trust managers decide about certificates
 * @param protocols the TLS versions to offer ("TLSv1.3", "TLSv1.2"); empty for the JDK's defaults
 */
public record TlsOptions(boolean implicit, SSLContext context, List<String> protocols) {
    public TlsOptions {
        protocols = List.copyOf(protocols);
    }

    /** Restricts {@code parameters} to {@link #protocols()} when given. */
    void restrict(javax.net.ssl.SSLParameters parameters) {
        if (!protocols.isEmpty()) {
            parameters.setProtocols(protocols.toArray(String[]::new));
        }
    }
}
