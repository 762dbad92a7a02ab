package dev.jftp.server.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
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
 * {@code --tls-session-reuse=optional} (as vsftpd's {@code require_ssl_reuse=NO}) drops points 2
 * and 3 for clients that cannot resume, such as Python's stock {@code ftplib.FTP_TLS}: a passive
 * port is then guarded by the client address check alone.
 *
 * <p><b>Session tickets under TLS 1.3.</b> A TLS 1.3 server sends its tickets (NewSessionTicket)
 * after the handshake (RFC 8446 section 4.6.1); JSSE sends them once it has read the client's
 * Finished. On a data connection that carries an upload the client never reads: curl (OpenSSL) and
 * lftp (GnuTLS) write the file, send close_notify and close. A ticket that arrives after that, or
 * lies unread when the client closes, makes the client's kernel answer with a TCP reset, and a reset
 * makes the server's kernel drop what it had received and the server had not yet read: the upload
 * lost its tail (426). So data connections get no tickets, whatever they carry:
 * <ul>
 *   <li>JSSE issues no ticket while its session context's timeout is above the longest ticket
 *       lifetime TLS 1.3 allows (7 days, RFC 8446 section 4.6.1). Once the control connection's
 *       handshake is done (and has sent the control connection its ticket), this control
 *       connection's context keeps such a timeout ({@link #NO_NEW_TICKETS}); the context is its
 *       own, so nothing else is affected.</li>
 *   <li>A client that resumes each ticket once only (JSSE clients do, as RFC 8446 appendix C.4
 *       advises) needs a new ticket for each data connection. It gets it on the control
 *       connection, which every client reads: {@link #writeWithNewTicket} puts one inside the reply
 *       to PASV, EPSV, PORT or EPRT, after its first byte, so that a client has taken the ticket in
 *       by the time it has read that reply, before it opens the data connection. JSSE sends a
 *       ticket after a write once a value bound to the session has changed; binding and unbinding
 *       one asks for it, with public API only.</li>
 *   <li>Such post-handshake tickets are kept by the server and accepted once. Clients that keep
 *       resuming the latest ticket they got (curl, lftp, Python's {@code session=}) thus always
 *       resume a fresh one: each data connection is prepared by a reply carrying its own.</li>
 * </ul>
 * TLS 1.2 needs none of this: its ticket is part of the handshake, which the client reads.
 */
public final class TlsSession {
    /**
     * A session context timeout, in seconds, above the 7-day ticket lifetime limit of RFC 8446
     * section 4.6.1, for which JSSE issues no session tickets (see the class comment).
     */
    static final int NO_NEW_TICKETS = 7 * 24 * 3600 + 1;
    /** Bound to the control session for a moment to have JSSE send a new ticket (see the class comment). */
    private static final String TICKET_REQUEST = "dev.jftp.server.newTicket";

    private final SSLContext context;
    private final SSLSocket control;
    private final SSLSession controlSession;
    /** Server-side sessions of this control connection's context; its timeout is the ticket switch. */
    private final SSLSessionContext serverSessions;
    /** The session timeout JSSE gave the context: the lifetime of the tickets it issues. */
    private final int ticketLifetime;
    private final boolean tls13;
    /** False with --tls-session-reuse=optional: data connections may make sessions of their own. */
    private final boolean dataMustResume;
    /** Held while the context's timeout lets JSSE issue a ticket (see writeWithNewTicket). */
    private final Object ticketLock = new Object();

    TlsSession(SSLContext context, SSLSocket control, boolean dataMustResume) {
        this.context = context;
        this.control = control;
        this.controlSession = control.getSession();
        this.serverSessions = context.getServerSessionContext();
        this.ticketLifetime = serverSessions.getSessionTimeout();
        this.tls13 = "TLSv1.3".equals(controlSession.getProtocol());
        this.dataMustResume = dataMustResume;
        if (tls13) {
            serverSessions.setSessionTimeout(NO_NEW_TICKETS);
        }
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
     * Writes {@code reply} to the control connection's TLS stream {@code out} and, under TLS 1.3, a
     * new session ticket inside it, after its first byte: a client cannot act on the reply before
     * it has read past the ticket (see the class comment). Under TLS 1.2 it writes the reply only.
     */
    public void writeWithNewTicket(OutputStream out, byte[] reply) throws IOException {
        if (!tls13) {
            out.write(reply);
            out.flush();
            return;
        }
        synchronized (ticketLock) {
            serverSessions.setSessionTimeout(ticketLifetime);
            try {
                controlSession.putValue(TICKET_REQUEST, Boolean.TRUE);
                controlSession.removeValue(TICKET_REQUEST); // a stateless ticket cannot carry bound values
                out.write(reply, 0, 1);
                out.flush(); // one TLS record, then JSSE's ticket
            } finally {
                serverSessions.setSessionTimeout(NO_NEW_TICKETS);
            }
        }
        out.write(reply, 1, reply.length - 1);
        out.flush();
    }

    /**
     * Runs the server side of the TLS handshake on a data connection (RFC 4217 section 7: the FTP
     * server is the TLS server whichever side connected) and checks that it resumed this control
     * connection's session, unless sessions of their own are allowed (--tls-session-reuse=optional).
     *
     * @throws DataTlsException when the handshake fails, does not resume (when it must), or takes over {@code timeout};
     *                          {@code plain} is closed then
     */
    public SSLSocket secureData(Socket plain, Duration timeout) throws DataTlsException {
        SSLSocket socket;
        try {
            socket = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
            TlsContext.configure(socket);
            socket.setEnableSessionCreation(!dataMustResume);
            TlsContext.handshake(socket, plain, timeout);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new DataTlsException("TLS handshake failed (" + e.getMessage()
                    + "); data connections must resume the control connection's TLS session", e);
        }
        SSLSession data = socket.getSession();
        if (dataMustResume && !isResumptionOf(data, controlSession)) {
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
