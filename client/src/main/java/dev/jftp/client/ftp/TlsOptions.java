package dev.jftp.client.ftp;

import javax.net.ssl.SSLContext;

/**
 * FTPS for a connection (RFC 4217).
 *
 * @param implicit true for implicit TLS (TLS from the first byte, usually port 990); false for
 *                 explicit TLS (AUTH TLS after the greeting)
 * @param context  makes the control and data connections' TLS; its trust managers decide about certificates
 */
public record TlsOptions(boolean implicit, SSLContext context) {
}
