package dev.jftp.server.security;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * TLS on one control connection, and on the data connections that belong to it.
 *
 * <p>A data connection must resume the control connection's TLS session: that proves it comes from
 * the client that authenticated on the control connection, so nobody else can race for a passive
 * port and read or inject file content (vsftpd's {@code require_ssl_reuse}, FileZilla Server's
 * default). JSSE has no "was this handshake resumed, and from which session" API, so this is
 * enforced by construction, with public API only:
 * <ol>
 *   <li>this control connection has an {@link SSLContext} of its own, and JSSE keeps session
 *       caches and session-ticket keys per SSLContext: the only sessions data connections can
 *       resume are this control connection's (and their resumptions);</li>
 *   <li>data sockets are made with {@link SSLSocket#setEnableSessionCreation(boolean)
 *       setEnableSessionCreation(false)}: a handshake that does not resume fails;</li>
 *   <li>and after the handshake the data session is compared with the control session: same
 *       protocol, cipher suite and creation time (a resumed session keeps the creation time of
 *       the full handshake that made it; under TLS 1.3 each ticket has a new session id, so the id
 *       cannot serve).</li>
 * </ol>
 * This works alike for TLS 1.2 (session ids or RFC 5077 tickets) and TLS 1.3 (PSK tickets).
 */
public final class TlsSession {
    private final SSLContext context;
    private final SSLSocket control;
    private final SSLSession controlSession;

    TlsSession(SSLContext context, SSLSocket control) {
        this.context = context;
        this.control = control;
        this.controlSession = control.getSession();
    }

    /** The control connection; read and write through it from now on. */
    public SSLSocket controlSocket() {
        return control;
    }

    /** E.g. "TLSv1.3, TLS_AES_256_GCM_SHA384". */
    public String describe() {
        return controlSession.getProtocol() + ", " + controlSession.getCipherSuite();
    }

    /**
     * Runs the server side of the TLS handshake on a data connection (RFC 4217 section 7: the FTP
     * server is the TLS server whichever side connected) and checks that it resumed this control
     * connection's session.
     *
     * @throws DataTlsException when the handshake fails, does not resume, or takes over {@code timeout};
     *                          {@code plain} is closed then
     */
    public SSLSocket secureData(Socket plain, Duration timeout) throws DataTlsException {
        SSLSocket socket;
        try {
            socket = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
            TlsContext.configure(socket);
            socket.setEnableSessionCreation(false);
            TlsContext.handshake(socket, plain, timeout);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new DataTlsException("TLS handshake failed (" + e.getMessage()
                    + "); data connections must resume the control connection's TLS session", e);
        }
        SSLSession data = socket.getSession();
        if (!isResumptionOf(data, controlSession)) {
            closeQuietly(plain);
            throw new DataTlsException("the data connection did not resume the control connection's TLS session", null);
        }
        return socket;
    }

    /** Whether {@code data} came from resuming {@code control} (see the class comment). */
    static boolean isResumptionOf(SSLSession data, SSLSession control) {
        return data.isValid()
                && data.getProtocol().equals(control.getProtocol())
                && data.getCipherSuite().equals(control.getCipherSuite())
                && data.getCreationTime() == control.getCreationTime();
    }

    private static void closeQuietly(Socket plain) {
        try {
            plain.close(); // not the SSLSocket: a half-made TLS connection has nothing to say
        } catch (IOException e) {
            // nothing more to do for a connection that is being refused
        }
    }
}
