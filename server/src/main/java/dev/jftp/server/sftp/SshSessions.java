package dev.jftp.server.sftp;

import dev.jftp.server.metrics.JftpdMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of each SSH connection as jftpd sees it: a number for the logs, a session permit from the
 * shared connection limits taken when it arrives (or a disconnect saying the server is full) and
 * given back when it ends, and the user it logged in as. MINA calls this on its I/O threads, so
 * nothing here blocks.
 */
final class SshSessions implements SessionListener {
    private static final Logger log = LoggerFactory.getLogger(SshSessions.class);

    private static final AttributeKey<Long> ID = new AttributeKey<>();
    private static final AttributeKey<Boolean> ADMITTED = new AttributeKey<>();
    private static final AttributeKey<Boolean> REFUSED = new AttributeKey<>();
    private static final AttributeKey<SftpUser> USER = new AttributeKey<>();
    private static final AttributeKey<String> LOGIN_METHOD = new AttributeKey<>();

    private final AtomicLong ids = new AtomicLong();
    private final SftpLogins logins;

    SshSessions(SftpLogins logins) {
        this.logins = logins;
    }

    @Override
    public void sessionCreated(Session session) {
        long id = ids.incrementAndGet();
        session.setAttribute(ID, id);
        InetAddress client = client(session);
        if (!logins.admit(client)) {
            // Told once the client has sent its version: a disconnect message before that is
            // garbage to it ("banner line contains invalid characters").
            log.info("sftp session {}: refused {}: too many sessions", id, client.getHostAddress());
            session.setAttribute(REFUSED, Boolean.TRUE);
            return;
        }
        session.setAttribute(ADMITTED, Boolean.TRUE);
        logins.metrics().sessionOpened(JftpdMetrics.Protocol.SFTP);
        log.debug("sftp session {}: connection from {}", id, client.getHostAddress());
    }

    @Override
    public void sessionPeerIdentificationReceived(Session session, String version, java.util.List<String> extraLines) {
        if (session.getAttribute(REFUSED) != null) {
            try {
                session.disconnect(SshConstants.SSH2_DISCONNECT_TOO_MANY_CONNECTIONS, "Too many sessions; try again later");
            } catch (IOException e) {
                session.close(true);
            }
        }
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event == Event.Authenticated) {
            SftpUser user = user(session);
            String method = session.getAttribute(LOGIN_METHOD);
            if (method != null && method.startsWith("key")) {
                logins.metrics().loginSucceeded(JftpdMetrics.LoginMethod.PUBLICKEY); // passwords are counted where they are checked
            }
            log.info("sftp session {}: {} logged in from {} ({})", id(session), user == null ? "?" : user.name(),
                    client(session).getHostAddress(), session.getAttribute(LOGIN_METHOD));
        }
    }

    @Override
    public void sessionClosed(Session session) {
        if (session.removeAttribute(ADMITTED) != null) {
            logins.release(client(session));
            logins.metrics().sessionClosed(JftpdMetrics.Protocol.SFTP);
            SftpUser user = session.getAttribute(USER);
            log.info("sftp session {}: closed{}", id(session), user == null ? " before login" : " (" + user.name() + ")");
        }
    }

    /** The session's number in the logs. */
    static long id(Session session) {
        Long id = session.getAttribute(ID);
        return id == null ? 0 : id;
    }

    /** Who the session logged in as; null before a login. */
    static SftpUser user(Session session) {
        return session.getAttribute(USER);
    }

    /**
     * Records who the session is logging in as, once the password or key has been accepted (for a
     * key, before MINA checks the signature; a session whose signature fails never gets to use it,
     * since the file system is made only after authentication succeeded).
     *
     * @param method "password", or "key SHA256:…", for the log line of the login
     */
    static void loggingInAs(Session session, SftpUser user, String method) {
        session.setAttribute(USER, user);
        session.setAttribute(LOGIN_METHOD, method);
    }

    static InetAddress client(Session session) {
        SocketAddress address = session.getRemoteAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }
}
