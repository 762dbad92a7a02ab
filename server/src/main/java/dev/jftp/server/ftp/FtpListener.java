package dev.jftp.server.ftp;

import dev.jftp.server.core.Services;
import dev.jftp.server.ftp.data.PassiveListeners;
import dev.jftp.server.ftp.command.CommandTable;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.ftp.session.SessionContext;
import dev.jftp.server.accounts.AccountStore;
import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.accounts.User;
import dev.jftp.server.limits.ConnectionLimiter;
import dev.jftp.server.metrics.JftpdMetrics;
import dev.jftp.server.net.ConnectionOrigin;
import dev.jftp.server.net.ProxyProtocol;
import dev.jftp.server.net.ProxyProtocolException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTP door of a node: the accept loop and lifecycle. It listens, runs each connection on its own
 * virtual thread, where it is admitted under the node's session limits and served; {@link #close()}
 * stops accepting, lets running transfers finish up to the grace period, then closes every session.
 * It is handed the node's {@link Services} and builds none of them.
 */
public final class FtpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FtpListener.class);
    /** Large, so a burst of connects waits in the kernel instead of being refused. */
    private static final int BACKLOG = 4096;

    static {
        // A TLS 1.2 client may ask for a new handshake at any time (renegotiation); each costs the
        // server a full handshake, so a client could keep a core busy with them. FTPS needs none:
        // JSSE then answers a client's request with a fatal alert. It reads this property once, at
        // its first server-side handshake, so it is set before any session starts; an explicit
        // -Djdk.tls.rejectClientInitiatedRenegotiation=false still wins.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final FtpListenerConfig config;
    private final SessionContext context;
    private final ConnectionLimiter limiter;
    private final AccountStore accounts;
    private final JftpdMetrics metrics;
    private final Set<FtpSession> sessions = ConcurrentHashMap.newKeySet();
    private final ServerSocket listener;
    private final Thread acceptThread;
    /** Implicit FTPS (TLS from the first byte), when configured; else null. */
    private final ServerSocket implicitListener;
    private final Thread implicitAcceptThread;
    /**
     * Ends sessions whose client stopped taking replies (see FtpSession.closeIfReplyStuck), ends
     * reads of the control connection that waited past their timeout (FtpSession.endReadIfOverdue)
     * and drops strangers' connections to passive ports (see PassiveListeners).
     */
    private final Thread watchdog;
    private volatile boolean stopping;

    private FtpListener(FtpListenerConfig config, Services services) throws IOException {
        this.config = config;
        this.context = new SessionContext(config.sessions(), services, CommandTable.standard());
        this.limiter = services.limiter();
        this.accounts = services.accounts();
        this.metrics = services.metrics();
        this.listener = listen(config.bindAddress(), config.port());
        this.acceptThread = Thread.ofPlatform().name("ftp-accept").daemon(false).unstarted(() -> acceptLoop(listener, false));
        int implicitPort = config.sessions().tls().implicitPort();
        if (implicitPort >= 0) {
            try {
                this.implicitListener = listen(config.bindAddress(), implicitPort);
            } catch (IOException e) {
                listener.close();
                throw new IOException("implicit TLS port " + implicitPort + ": " + e.getMessage(), e);
            }
            this.implicitAcceptThread = Thread.ofPlatform().name("ftps-accept").daemon(false).unstarted(() -> acceptLoop(implicitListener, true));
        } else {
            this.implicitListener = null;
            this.implicitAcceptThread = null;
        }
        this.watchdog = Thread.ofPlatform().name("ftp-watchdog").daemon(true).unstarted(this::watchLoop);
    }

    /**
     * The watchdog's loop: every {@link PassiveListeners#SWEEP_MILLIS}, sweeps the passive listeners
     * and looks at every session's reply write and control read. One thread for the whole server,
     * and nothing on a session's hot path but two volatile writes per reply, two per read on a
     * virtual thread, and a set insertion and removal per PASV.
     */
    private void watchLoop() {
        while (!stopping) {
            try {
                Thread.sleep(PassiveListeners.SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return; // close() stops it
            }
            try {
                context.passiveListeners().sweep();
                long now = System.nanoTime();
                for (FtpSession session : sessions) {
                    session.endReadIfOverdue(now);
                    session.closeIfReplyStuck(now);
                }
            } catch (RuntimeException e) {
                log.error("watchdog", e);
            }
        }
    }

    /**
     * A listener whose connections are channels (their sockets are the channels' adaptors): a
     * session's reader can then look at its control connection without waiting (see
     * ControlChannel.lookWithoutWaiting), which a plain socket cannot do.
     */
    private static ServerSocket listen(InetAddress address, int port) throws IOException {
        ServerSocket socket = ServerSocketChannel.open().socket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), BACKLOG);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Binds and starts accepting; sessions use {@code services}, which the caller closes after this listener. */
    public static FtpListener start(FtpListenerConfig config, Services services) throws IOException {
        FtpListener server = new FtpListener(config, services);
        services.accounts().onChange(server::accountChanged);
        server.acceptThread.start();
        server.watchdog.start();
        if (server.implicitAcceptThread != null) {
            server.implicitAcceptThread.start();
        }
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The implicit FTPS port, or -1 when there is none. */
    public int implicitTlsPort() {
        return implicitListener == null ? -1 : implicitListener.getLocalPort();
    }

    public InetAddress address() {
        return listener.getInetAddress();
    }

    public int sessionCount() {
        return sessions.size();
    }

    private void acceptLoop(ServerSocket listener, boolean implicitTls) {
        while (!stopping) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!stopping) {
                    log.error("accept failed: {}", e.toString());
                    pause();
                }
                continue;
            }
            Thread.ofVirtual().name("ftp-session-new").start(() -> serve(socket, implicitTls));
        }
    }

    /**
     * An account changed, through this node or another (the store tells within seconds): when it
     * is gone, the sessions logged in as it end. Asked on a thread of its own, since the store's
     * listener must be quick; while the store cannot be asked, sessions go on (a database down
     * does not end anybody's session).
     */
    private void accountChanged(String name) {
        if (sessions.stream().noneMatch(s -> isLoggedInAs(s, name))) {
            return;
        }
        Thread.ofVirtual().name("ftp-account-check").start(() -> {
            try {
                if (accounts.find(name).isPresent()) {
                    return; // changed, not removed: its sessions go on (a new password counts from the next login)
                }
            } catch (AccountStoreUnavailableException e) {
                log.info("account '{}' changed but the account store cannot say how: its sessions go on ({})", name, e.getMessage());
                return;
            }
            for (FtpSession session : sessions) {
                if (isLoggedInAs(session, name)) {
                    session.accountRemoved();
                }
            }
        });
    }

    private static boolean isLoggedInAs(FtpSession session, String name) {
        User user = session.state().user(); // read once: REIN may clear it meanwhile
        return user != null && !user.anonymous() && user.name().equals(name);
    }

    /**
     * One accepted connection, on its own virtual thread: where it comes from is decided here, once
     * (with {@code --proxy-protocol}, from the PROXY header a trusted proxy sends first), then it is
     * admitted under the session limits by that address, and served.
     */
    private void serve(Socket socket, boolean implicitTls) {
        ConnectionOrigin origin = originOf(socket);
        if (origin == null) {
            return;
        }
        InetAddress address = origin.client().getAddress();
        ConnectionLimiter.Verdict verdict = limiter.tryAdmit(address);
        if (verdict != ConnectionLimiter.Verdict.ADMITTED) {
            refuse(socket, address, verdict);
            return;
        }
        FtpSession session;
        try {
            session = new FtpSession(context, socket, origin, implicitTls);
        } catch (IOException | RuntimeException e) {
            log.warn("could not start a session for {}: {}", address.getHostAddress(), e.toString());
            limiter.release(address);
            closeQuietly(socket);
            return;
        }
        Thread.currentThread().setName("ftp-session-" + session.id());
        sessions.add(session);
        metrics.sessionOpened(JftpdMetrics.Protocol.FTP);
        try {
            if (stopping) {
                session.shutdown(); // accepted just before the stop: close() may have missed it
            }
            session.run();
        } finally {
            metrics.sessionClosed(JftpdMetrics.Protocol.FTP);
            sessions.remove(session);
            limiter.release(address);
        }
    }

    /**
     * Where the connection comes from: its peer, or with {@code --proxy-protocol} the client a
     * trusted proxy's header names. Null when a trusted proxy sent no valid header: the connection
     * is closed, with one log line unless the proxy closed it before sending anything (a plain TCP
     * check).
     */
    private ConnectionOrigin originOf(Socket socket) {
        ProxyProtocol proxyProtocol = config.proxyProtocol();
        if (proxyProtocol == null) {
            return ConnectionOrigin.direct((InetSocketAddress) socket.getRemoteSocketAddress());
        }
        try {
            return proxyProtocol.originOf(socket);
        } catch (ProxyProtocolException e) {
            if (e.closedBeforeHeader()) {
                log.debug("{}", e.getMessage());
            } else {
                log.warn("{}", e.getMessage());
            }
        } catch (IOException e) {
            log.debug("reading a PROXY header: {}", e.toString());
        }
        closeQuietly(socket);
        return null;
    }

    /**
     * 421 at connect (RFC 959 section 5.4 allows it in place of 220) and close. The close is an
     * orderly one (FIN after the reply): an abortive close (SO_LINGER 0) discards a reply still in
     * the send buffer and resets the connection, so the client would never see why. A normal close
     * does not block; the kernel finishes it.
     */
    private void refuse(Socket socket, InetAddress address, ConnectionLimiter.Verdict verdict) {
        String text = verdict == ConnectionLimiter.Verdict.SERVER_FULL
                ? "421 Too many users connected, try again later\r\n"
                : "421 Too many connections from your address\r\n";
        log.info("refused {}: {}", address.getHostAddress(), verdict);
        try {
            // A normal close (FIN after the reply), not a reset: a reset can overtake the reply and
            // the client then never sees why it was turned away. The kernel sends both without
            // blocking this thread; the TIME_WAIT entries it keeps cost no port.
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            log.debug("refusing {}: {}", socket.getInetAddress(), e.toString());
        } finally {
            closeQuietly(socket);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("close: {}", e.toString());
        }
    }

    /** Stops accepting, waits up to the grace period for running transfers, then closes every session. */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        for (ServerSocket s : implicitListener == null ? List.of(listener) : List.of(listener, implicitListener)) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("closing listener: {}", e.toString());
            }
        }
        Duration grace = config.shutdownGrace();
        long deadline = System.nanoTime() + grace.toNanos();
        while (context.activeTransfers() > 0 && System.nanoTime() < deadline) {
            pause();
        }
        if (context.activeTransfers() > 0) {
            log.warn("stopping with {} transfer(s) still running after {} s", context.activeTransfers(), grace.toSeconds());
        }
        for (FtpSession session : sessions) {
            session.shutdown();
        }
        watchdog.interrupt();
        try {
            watchdog.join(5000);
            acceptThread.join(5000);
            if (implicitAcceptThread != null) {
                implicitAcceptThread.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long closeDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < closeDeadline) {
            pause();
        }
        // The node closes the services (storage, accounts) once every listener has stopped.
    }
}
