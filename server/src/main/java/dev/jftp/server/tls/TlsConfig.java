package dev.jftp.server.tls;

import java.time.Duration;

/**
 * FTPS settings (RFC 4217).
 *
 * @param context          the certificate and key; null when TLS is not offered (AUTH answers 502)
 * @param required         refuse logins other than anonymous before AUTH TLS, and clear data
 *                         connections (PROT C) on a TLS control connection
 * @param implicitPort     port of a second listener that speaks TLS from the first byte (implicit
 *                         FTPS, usually 990); 0 takes a free port, -1 means none
 * @param handshakeTimeout how long a TLS handshake, control or data, may take in all
 * @param sessionReuseRequired whether a protected data connection must resume the control
 *                         connection's TLS session (the default; see TlsSession). When not, it
 *                         may make a session of its own, and only the client address check keeps
 *                         strangers from a passive port: for clients that cannot resume, such as
 *                         Python's stock ftplib.FTP_TLS.
 */
public record TlsConfig(TlsContext context, boolean required, int implicitPort, Duration handshakeTimeout,
        boolean sessionReuseRequired) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** No TLS. */
    public static final TlsConfig NONE = new TlsConfig(null, false, -1, DEFAULT_HANDSHAKE_TIMEOUT, true);

    public TlsConfig {
        if (context == null && (required || implicitPort >= 0 || !sessionReuseRequired)) {
            throw new IllegalArgumentException("--tls-required, --implicit-tls-port and --tls-session-reuse need a certificate (--tls-cert/--tls-key or --tls-self-signed)");
        }
        if (implicitPort < -1 || implicitPort > 65535) {
            throw new IllegalArgumentException("the implicit TLS port must be 0-65535");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("the TLS handshake timeout must be positive");
        }
    }

    /** Explicit FTPS (AUTH TLS on the normal port) with {@code context}; not required, no implicit port. */
    public static TlsConfig explicit(TlsContext context) {
        return new TlsConfig(context, false, -1, DEFAULT_HANDSHAKE_TIMEOUT, true);
    }

    public boolean enabled() {
        return context != null;
    }

    public TlsConfig withRequired(boolean on) {
        return new TlsConfig(context, on, implicitPort, handshakeTimeout, sessionReuseRequired);
    }

    public TlsConfig withImplicitPort(int port) {
        return new TlsConfig(context, required, port, handshakeTimeout, sessionReuseRequired);
    }

    public TlsConfig withHandshakeTimeout(Duration timeout) {
        return new TlsConfig(context, required, implicitPort, timeout, sessionReuseRequired);
    }

    public TlsConfig withSessionReuseRequired(boolean on) {
        return new TlsConfig(context, required, implicitPort, handshakeTimeout, on);
    }
}
