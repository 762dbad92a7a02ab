package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.control.Command;
import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.metrics.JftpdMetrics;
import dev.jftp.server.net.ConnectionOrigin;
import dev.jftp.server.tls.TlsConfig;
import dev.jftp.server.tls.TlsSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control connection, from the 220 greeting to the close. Its parts: the {@link ControlChannel}
 * (lines in, replies out, TLS), the {@link SessionState} (what the commands remember), the
 * {@link TransferRunner} (the data connections) and {@link SessionThreads} (which thread runs what).
 * Each command is looked up in the command table and run by {@link #execute}, the one place every
 * command goes through; the handlers reach the session through the methods here.
 */
public final class FtpSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(FtpSession.class);
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * The counter of the command this thread is running, so that every reply it sends (150 and 226
     * of a transfer too) is counted under its verb; unset outside {@link #execute}.
     */
    private static final ThreadLocal<JftpdMetrics.CommandCounter> COMMAND = new ThreadLocal<>();

    private final SessionContext context;
    private final long id = IDS.incrementAndGet();
    private final ConnectionOrigin origin;
    private final InetAddress clientAddress;
    private final InetAddress localAddress;
    /** Implicit FTPS: TLS from the first byte, before the greeting. */
    private final boolean implicitTls;
    private final ControlChannel control;
    private final SessionState state = new SessionState();
    private final TransferRunner transfers = new TransferRunner(this);
    private final SessionThreads threads;

    /** The session ends after the command now running (QUIT, a refused login, a timeout). */
    private volatile boolean closing;
    /** Set by the reader when the client closed or broke the control connection. */
    private volatile boolean controlEnded;
    /** Set by {@link #shutdown()}: the server is stopping. */
    private volatile boolean shuttingDown;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Released by {@link #shutdown()}; waits of the session (a failed login's delay) end early on it. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param origin      where the connection comes from (its client address is the one every check uses)
     * @param implicitTls whether the connection came to the implicit FTPS port
     */
    public FtpSession(SessionContext context, Socket socket, ConnectionOrigin origin, boolean implicitTls) throws IOException {
        this.context = context;
        this.implicitTls = implicitTls;
        this.origin = origin;
        this.clientAddress = origin.client().getAddress();
        this.localAddress = socket.getLocalAddress(); // a system call each time it is asked (PASV asks every time)
        this.control = new ControlChannel(socket, id, context.config().idleTimeout());
        this.threads = new SessionThreads(this, control);
    }

    public long id() {
        return id;
    }

    public InetAddress clientAddress() {
        return clientAddress;
    }

    /** Where the connection comes from: the client, and the proxy it came through (PROXY protocol), if any. */
    public ConnectionOrigin origin() {
        return origin;
    }

    public InetAddress localAddress() {
        return localAddress;
    }

    public SessionContext context() {
        return context;
    }

    public SessionState state() {
        return state;
    }

    public TransferRunner transfers() {
        return transfers;
    }

    public boolean isTransferring() {
        return transfers.isRunning();
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        // At DEBUG: the end line names the client too (a login used to log three lines: start, login, end).
        log.debug("session {} start from {}", id, clientAddress.getHostAddress());
        threads.run(() -> {
            control.configure();
            if (implicitTls) {
                secureControl(new byte[0]);
            }
            reply(ReplyCode.SERVICE_READY, "jftpd ready");
        });
        long tenths = (System.nanoTime() - started) / 100_000_000;
        log.info("session {} from {} end ({} {}.{}s)", id, clientAddress.getHostAddress(),
                state.isLoggedIn() ? state.user().name() : "not logged in", tenths / 10, tenths % 10);
    }

    // ---- commands ----

    /**
     * Runs one command: looks it up in the command table, checks what the table asks (a login, an
     * argument), forgets REST and RNFR unless the command keeps them, and runs its handler; a
     * refusal is answered with its reply and logged in one line. Every command passes here.
     */
    void execute(Command command) throws IOException {
        if (log.isDebugEnabled()) {
            log.debug("session {} <- {}", id, command.forLog());
        }
        CommandSpec spec = context.commands().get(command.verb());
        if (spec == null || !spec.keepsRestartOffset()) {
            state.forgetRestartOffset();
        }
        COMMAND.set(context.metrics().command(command.verb()));
        try {
            if (spec == null) {
                throw new FtpReplyException(ReplyCode.SYNTAX_ERROR, "'" + shorten(command.verb()) + "': command not understood");
            }
            if (spec.login() && !state.isLoggedIn()) {
                throw new FtpReplyException(ReplyCode.NOT_LOGGED_IN, "Please log in with USER and PASS first");
            }
            if (spec.argument() && !command.hasArgument()) {
                throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Syntax: " + spec.help());
            }
            if (!spec.keepsRename()) {
                state.forgetRename();
            }
            spec.handler().handle(this, command.argument());
        } catch (SessionThreads.NotQuick handOver) {
            throw handOver;
        } catch (FtpReplyException e) {
            if (spec != null && spec.usesDataConnection()) {
                state.closeDataChannel(); // refused: the data connection asked for goes too
            }
            if (!e.alreadyLogged()) {
                log.info("session {} {}: \"{}\" -> {} {}", id, state.userName(), shorten(command.forLog()), e.code(),
                        ControlCharacters.escape(e.getMessage()));
            }
            reply(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("session {}: \"{}\" failed", id, shorten(command.forLog()), e);
            reply(ReplyCode.LOCAL_ERROR, "Internal error; the command was not completed");
        } finally {
            COMMAND.remove();
        }
    }

    private static void countReply(ReplyCode code) {
        JftpdMetrics.CommandCounter counter = COMMAND.get();
        if (counter != null) {
            counter.replied(code.code());
        }
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    // ---- for handlers ----

    /**
     * A reply; line breaks in {@code text} make it a multi-line reply. Any other control character
     * (a bare CR from a client's command line, say) is escaped, see ControlCharacters.
     */
    public void reply(ReplyCode code, String text) throws IOException {
        control.reply(code, text);
        countReply(code);
    }

    /** A multi-line reply (RFC 959 section 4.2). */
    public void replyLines(ReplyCode code, List<String> lines) throws IOException {
        control.replyLines(code, lines);
        countReply(code);
    }

    /**
     * The reply to PASV, EPSV, PORT or EPRT, which prepares a data connection. With PROT P on a TLS
     * 1.3 control connection a new session ticket travels inside it, for the data connection it
     * prepares to resume (see {@link TlsSession}).
     */
    public void replyPreparingData(ReplyCode code, String text) throws IOException {
        control.replyPreparingData(code, text, state.protectData());
        countReply(code);
    }

    /** See {@link SessionThreads#requireWorker()}: hands the command to the worker when it runs on the reader. */
    public void requireWorker() {
        threads.requireWorker();
    }

    /** See {@link SessionThreads#handOverUnlessQuick}: a download of {@code bytes} goes on here only when it cannot block. */
    public void handOverUnlessQuick(long bytes, long restartOffsetTaken) throws IOException {
        threads.handOverUnlessQuick(bytes, restartOffsetTaken);
    }

    /** See {@link SessionThreads#handOverUnlessQuickUpload()}: an upload begins here only where its rest can move to the worker. */
    public void handOverUnlessQuickUpload() throws IOException {
        threads.handOverUnlessQuickUpload();
    }

    /** The most an upload takes on the reader thread before its rest moves to the worker (see SessionThreads). */
    public static final long QUICK_UPLOAD_LIMIT = SessionThreads.QUICK_TRANSFER_LIMIT;

    /** See {@link SessionThreads#quickTransferDeadline()}: 0 on the worker, else when a transfer begun on the reader must move. */
    public long quickTransferDeadline() {
        return threads.quickTransferDeadline();
    }

    /** Runs an upload's receive loop on a borrowed platform thread if one is free (see {@link SessionThreads#receiveOnUploadThread}). */
    public <T> T receiveOnUploadThread(IoWork<T> receive) throws IOException {
        return SessionThreads.receiveOnUploadThread(receive);
    }

    /** A piece of work that returns a value and may fail with an IOException. */
    @FunctionalInterface
    public interface IoWork<T> {
        T run() throws IOException;
    }

    /** See {@link SessionThreads#continueOnWorker}; the replies there still count under the command's verb. */
    void continueOnWorker(SessionThreads.SessionWork rest) {
        JftpdMetrics.CommandCounter counter = COMMAND.get();
        threads.continueOnWorker(() -> {
            COMMAND.set(counter);
            try {
                rest.run();
            } finally {
                COMMAND.remove();
            }
        });
    }

    /** See {@link SessionThreads#controlConnectionEnded()}: asked by an upload before it keeps the file. */
    public boolean controlConnectionEnded() throws IOException {
        return threads.controlConnectionEnded();
    }

    /**
     * AUTH TLS accepted (RFC 4217 section 4): replies 234, runs the TLS handshake on the control
     * connection and switches replies and the reader to TLS. A failed handshake ends the session,
     * since the connection's state is then unknown.
     */
    public void startTls(String acceptedText) throws IOException, FtpReplyException {
        ControlHandover handover = threads.pendingHandover();
        if (handover == null) {
            throw new FtpReplyException(ReplyCode.LOCAL_ERROR, "AUTH must be a command of its own");
        }
        reply(ReplyCode.SECURITY_EXCHANGE_OK, acceptedText);
        TlsSession tls;
        try {
            tls = secureControl(handover.readAhead());
        } catch (IOException e) {
            handover.ended();
            throw e;
        }
        handover.secured(tls.controlSocket().getInputStream());
    }

    /** The server side of the control connection's TLS handshake, then replies go through TLS. */
    private TlsSession secureControl(byte[] readAhead) throws IOException {
        TlsConfig config = context.config().tls();
        try {
            TlsSession tls = control.secure(readAhead, config);
            context.metrics().tlsHandshake(true);
            state.setTls(tls);
            return tls;
        } catch (IOException e) {
            context.metrics().tlsHandshake(false);
            closing = true;
            log.info("session {}: TLS handshake with {} failed: {}", id, clientAddress.getHostAddress(), e.toString());
            throw e;
        }
    }

    /** Waits for {@code delay}, or less if the server stops meanwhile. */
    public void pause(Duration delay) throws InterruptedException {
        stopped.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** True once the session is ending or the client has gone. */
    public boolean isClosing() {
        return closing || controlEnded;
    }

    /** Ends the session after the current command (QUIT, or a refused login). */
    public void close() {
        closing = true;
    }

    // ---- lifecycle ----

    /** True once the session is ending (its threads stop after what they run). */
    boolean isEnding() {
        return closing;
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    /** The reader saw the client close or break the control connection. */
    void controlEnded() {
        controlEnded = true;
    }

    /** Ends the waits of the session (a failed login's delay) at once. */
    void releaseWaits() {
        stopped.countDown();
    }

    /** Stops what still runs and closes the connections; once, by whichever of the two threads ends first. */
    void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        transfers.abortRunning();
        state.closeDataChannel();
        threads.releaseHandovers();
        if (!controlEnded) {
            control.closeTls(); // close_notify, if the client is still there
        }
        control.close();
    }

    /**
     * Called by the listener's watchdog (one thread for all sessions): ends a read of the control
     * connection that has waited past its idle or line timeout (see ControlChannel.endReadIfOverdue).
     */
    public void endReadIfOverdue(long nowNanos) {
        control.endReadIfOverdue(nowNanos);
    }

    /**
     * Called by the listener's watchdog (one thread for all sessions): when a reply has waited for
     * the client longer than the idle timeout, the client is not reading, and the session ends.
     * Closing the socket ends the blocked write with an exception.
     */
    public void closeIfReplyStuck(long nowNanos) {
        Duration idle = context.config().idleTimeout();
        if (control.replyStuckLongerThan(nowNanos, idle)) {
            log.info("session {}: client {} has not taken a reply for {} s; closing", id, clientAddress.getHostAddress(), idle.toSeconds());
            controlEnded = true;
            closing = true;
            transfers.stop();
            stopped.countDown();
            control.close();
        }
    }

    /**
     * The logged-in user's account was removed (through any node): 421, and the session ends at
     * once, a transfer running included. Called by the listener, from a thread of its own.
     */
    public void accountRemoved() {
        log.info("session {}: the account of {} was removed; closing the session", id, state.userName());
        closing = true;
        transfers.abortRunning();
        try {
            control.reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Your account was removed; closing control connection");
        } catch (IOException e) {
            log.debug("session {}: telling the client its account was removed: {}", id, e.toString());
        }
        control.close();
        threads.wakeForShutdown();
        stopped.countDown();
    }

    /** Closes the control connection now (server shutdown). */
    public void shutdown() {
        shuttingDown = true;
        closing = true;
        transfers.abortRunning();
        control.close();
        threads.wakeForShutdown();
        // Also ends a failed login's delay (up to LoginThrottle.MAX_DELAY), which would otherwise hold up
        // the stop. Not an interrupt: one that lands in FileChannel I/O closes the file under the transfer.
        stopped.countDown();
    }
}
