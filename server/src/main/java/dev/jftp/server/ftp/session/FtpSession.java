package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import dev.jftp.server.ftp.control.Command;
import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.ftp.control.ControlLine;
import dev.jftp.server.ftp.control.ControlLineReader;
import dev.jftp.server.ftp.data.DataChannel;
import dev.jftp.server.ftp.data.DataConnection;
import dev.jftp.server.ftp.data.PassiveDataChannel;
import dev.jftp.server.ftp.data.TransferProgress;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.tls.DataTlsException;
import dev.jftp.server.tls.TlsConfig;
import dev.jftp.server.tls.TlsSession;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control connection, from the 220 greeting to the close.
 *
 * <p>The session's own virtual thread is its reader: it reads command lines and runs the quick
 * ones itself (see {@link #dispatch}). Transfers, listings, AUTH and a login that must wait go to a
 * second virtual thread, the worker, started the first time one is needed; it runs them one at a
 * time. While it runs a transfer the reader still sees the control connection, so ABOR stops the
 * transfer at once and STAT reports its progress (RFC 959 section 4.1.3); every other command waits
 * its turn, which is the order RFC 959 asks for. A session of quick commands only (a login, a
 * check, small downloads) thus runs on one thread, with no wake-up of another per command.
 */
public final class FtpSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(FtpSession.class);
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * Commands a client may have waiting behind the one running (RFC 959 lets a client send the next
     * command before the reply; few send more than a handful). One more is refused with 421 and the
     * session closed (see offer): the reader must never wait for room, since while it waits it
     * sees neither ABOR nor a timeout.
     */
    private static final int QUEUE_LIMIT = 32;
    /** The commands that use the prepared data connection; when one is refused, the connection goes too. */
    private static final Set<String> TRANSFER_VERBS = Set.of("RETR", "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD");

    private final ServerContext server;
    private final Socket socket;
    private final long id = IDS.incrementAndGet();
    private final InetAddress clientAddress;
    private final InetAddress localAddress;
    /** Replaced by the TLS stream once TLS is up; guarded by writeLock. */
    private OutputStream out;
    private final Object writeLock = new Object();
    /** Implicit FTPS: TLS from the first byte, before the greeting. */
    private final boolean implicitTls;
    /** One place more than the limit: the reader's last event always fits (see offer). */
    private final BlockingQueue<ControlEvent> inbox = new ArrayBlockingQueue<>(QUEUE_LIMIT + 1);
    /** Events given to the worker and not yet finished by it (see dispatch). */
    private final AtomicInteger queued = new AtomicInteger();
    /**
     * Commands the reader may run itself (see dispatch): quick ones that open no data connection.
     * Transfers and listings stay with the worker, so the reader is free to see ABOR and
     * STAT while they run; so do AUTH and anything not named here.
     */
    private static final Set<String> RUN_BY_READER = Set.of("USER", "ACCT", "QUIT", "PWD", "XPWD", "CWD", "XCWD",
            "CDUP", "XCUP", "TYPE", "MODE", "STRU", "PASV", "EPSV", "PORT", "EPRT", "REST", "NOOP", "SYST", "FEAT", "OPTS",
            "SIZE", "MDTM", "MLST", "DELE", "MKD", "XMKD", "RMD", "XRMD", "RNFR", "RNTO", "ALLO", "HELP");
    private volatile boolean closing;
    /**
     * Runs what the reader hands over (transfers, listings, AUTH, a login that must wait); started the
     * first time it is needed, so that a session of quick commands only (a login, a check) costs one
     * thread. Set by the reader only.
     */
    private volatile Thread worker;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set by {@link #shutdown()}: the server is stopping. */
    private volatile boolean shuttingDown;
    /** Released by {@link #shutdown()}; waits of the session (a failed login's delay) end early on it. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Set by the reader when the client closed or broke the control connection. */
    private volatile boolean controlEnded;
    /** The session's own thread, which reads the control connection (see run). */
    private volatile Thread reader;
    /** How long {@link #controlConnectionEnded()} waits for the reader at most. */
    private static final java.time.Duration CONTROL_CHECK_LIMIT = java.time.Duration.ofSeconds(1);

    // Session state: touched by one thread at a time, the worker or the reader (see dispatch).
    User user;
    StorageView files;
    VirtualPath cwd = VirtualPath.ROOT;
    String pendingUser;
    int failedLogins;
    boolean ascii = true; // RFC 959 section 3.1.1.1: ASCII is the default type
    long restartOffset;
    VirtualPath renameFrom;
    DataChannel dataChannel;
    boolean epsvAll;
    String hashAlgorithm = "SHA-256";
    /** Bytes the last transfer moved over the data connection, also when it failed (for the transfer log). */
    long lastTransferBytes;
    /** TLS on the control connection (RFC 4217), once AUTH TLS or implicit FTPS set it up. */
    TlsSession tls;
    /** PBSZ was given (RFC 4217 section 8: PROT needs it first). */
    boolean protectionBufferSizeSet;
    /** PROT P: data connections speak TLS (RFC 4217 section 9). */
    boolean protectData;
    /** Set while an AUTH command runs: the reader waits on it (see ControlHandover). */
    ControlHandover pendingHandover;

    /** True while the reader thread runs a command itself (see dispatch). */
    private boolean onReader;

    /** Set by the reader when ABOR arrives; stops the transfer running or about to start; ABOR's handler clears it. */
    volatile boolean abortRequested;

    /** The transfer now running, if any; read by the reader thread for ABOR and STAT. */
    private volatile RunningTransfer transfer;

    /** The data channel a transfer command is waiting to connect; ABOR or a client gone closes it. */
    private volatile DataChannel opening;

    private sealed interface ControlEvent {
    }

    private record Line(ControlLine line) implements ControlEvent {
    }

    /** An AUTH line: the reader waits on the handover until it has run. */
    private record Auth(ControlLine.Text line, ControlHandover handover) implements ControlEvent {
    }

    private record IdleTimeout() implements ControlEvent {
    }

    /** A command line was begun but not finished within the idle timeout (slowloris). */
    private record LineTimeout() implements ControlEvent {
    }

    private record Closed() implements ControlEvent {
    }

    /** A transfer in progress: its data connection (closed by ABOR) and its byte count. */
    record RunningTransfer(String description, DataConnection connection, TransferProgress progress, boolean[] aborted) {
        void abort() {
            aborted[0] = true;
            try {
                connection.abort();
            } catch (IOException e) {
                log.debug("closing aborted data connection: {}", e.toString());
            }
        }
    }

    public FtpSession(ServerContext server, Socket socket) throws IOException {
        this(server, socket, false);
    }

    /** @param implicitTls whether the connection came to the implicit FTPS port */
    public FtpSession(ServerContext server, Socket socket, boolean implicitTls) throws IOException {
        this.server = server;
        this.socket = socket;
        this.implicitTls = implicitTls;
        this.clientAddress = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
        this.localAddress = socket.getLocalAddress(); // a system call each time it is asked (PASV asks every time)
        // Each reply goes out in one write of its whole text (see write()): a buffered stream would
        // only copy it, and hold 8 KiB for every idle session.
        this.out = socket.getOutputStream();
    }

    public long id() {
        return id;
    }

    public InetAddress clientAddress() {
        return clientAddress;
    }

    public InetAddress localAddress() {
        return localAddress;
    }

    ServerContext server() {
        return server;
    }

    public boolean isTransferring() {
        return transfer != null;
    }

    @Override
    public void run() {
        reader = Thread.currentThread();
        long started = System.nanoTime();
        // At DEBUG: the end line names the client too (a login used to log three lines: start, login, end).
        log.debug("session {} start from {}", id, clientAddress.getHostAddress());
        runThenEnd(() -> {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, server.config().idleTimeout().toMillis()));
            // Clients send ABOR as TCP urgent data (RFC 959 section 4.1.3; Python's ftplib sends the whole
            // "ABOR\r\n" with MSG_OOB): without this the urgent byte, the line's LF, never reaches the reader.
            socket.setOOBInline(true);
            socket.setTcpNoDelay(true);
            if (implicitTls) {
                secureControl(new byte[0]);
            }
            reply(ReplyCode.SERVICE_READY, "jftpd ready");
            readLoop();
            Thread w = worker;
            if (w != null) {
                w.join(); // it runs what the reader queued last, then ends the session
            } else {
                runQueued(); // the reader's last event (end of stream, idle timeout...), with no worker to run it
            }
        });
        long tenths = (System.nanoTime() - started) / 100_000_000;
        log.info("session {} from {} end ({} {}.{}s)", id, clientAddress.getHostAddress(),
                user == null ? "not logged in" : user.name(), tenths / 10, tenths % 10);
    }

    /** The worker's loop: runs what the reader hands over, one event at a time, until the session closes. */
    private void workLoop() {
        runThenEnd(() -> {
            while (!closing) {
                runEvent(inbox.take());
            }
        });
    }

    /** What the reader and the worker each run until they are done (see runThenEnd). */
    @FunctionalInterface
    private interface SessionWork {
        void run() throws IOException, InterruptedException;
    }

    /**
     * Runs one of the session's two threads: a failure is logged, and either thread ending ends the
     * session (see endSession), which also stops the other.
     */
    private void runThenEnd(SessionWork work) {
        try {
            work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("session {}: control connection failed: {}", id, e.toString());
        } catch (RuntimeException e) {
            log.error("session {}: unexpected failure", id, e);
        } finally {
            endSession();
        }
    }

    /** Runs the events left in the inbox on this thread; for a session that never needed a worker. */
    private void runQueued() throws IOException {
        ControlEvent event;
        while (!closing && (event = inbox.poll()) != null) {
            runEvent(event);
        }
    }

    private void runEvent(ControlEvent event) throws IOException {
        switch (event) {
            case Line(ControlLine.Text text) -> execute(Command.parse(text.text()));
            case Line(ControlLine.TooLong tooLong) -> {
                log.info("session {}: command line over {} bytes refused", id, tooLong.limit());
                reply(ReplyCode.SYNTAX_ERROR, "Command line too long (limit " + tooLong.limit() + " bytes)");
            }
            case Line(ControlLine.InvalidEncoding bad) -> {
                log.info("session {}: command line is not valid UTF-8", id);
                reply(ReplyCode.BAD_ARGUMENTS, "Command line is not valid UTF-8 (RFC 2640)");
            }
            case Line(ControlLine.EndOfStream end) -> closing = true;
            case Auth(ControlLine.Text text, ControlHandover handover) -> {
                pendingHandover = handover;
                try {
                    execute(Command.parse(text.text()));
                } finally {
                    pendingHandover = null;
                    handover.unchangedUnlessDecided();
                }
            }
            case Closed c -> closing = true;
            case IdleTimeout t -> {
                log.info("session {}: idle timeout", id);
                reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Idle timeout (" + server.config().idleTimeout().toSeconds() + " s): closing control connection");
                closing = true;
            }
            case LineTimeout t -> {
                log.info("session {}: command line not completed within {} s", id, server.config().idleTimeout().toSeconds());
                reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Command line not completed within " + server.config().idleTimeout().toSeconds() + " s: closing control connection");
                closing = true;
            }
        }
        queued.updateAndGet(n -> Math.max(0, n - 1)); // (shutdown's Closed was never counted)
    }

    /** Stops what still runs and closes the connections; once, by whichever of the two threads ends first. */
    private void endSession() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        RunningTransfer t = transfer;
        if (t != null) {
            t.abort();
        }
        closeDataChannel();
        // An AUTH that will never run now would leave the reader waiting for its handover for ever.
        for (ControlEvent left; (left = inbox.poll()) != null; ) {
            if (left instanceof Auth auth) {
                auth.handover().ended();
            }
        }
        closeTls();
        closeQuietly();
    }

    /** Reads lines until the connection ends; handles ABOR and STAT at once while a transfer runs. */
    private void readLoop() {
        ControlLineReader reader;
        try {
            InputStream raw = tls != null ? tls.controlSocket().getInputStream() : socket.getInputStream();
            ControlInput input = new ControlInput(raw);
            reader = new ControlLineReader(input);
            input.reader = reader;
        } catch (IOException e) {
            offerLast(new Closed());
            return;
        }
        try {
            while (!closing) {
                ControlLine line;
                try {
                    line = reader.read();
                } catch (LineTimeoutException slow) {
                    controlEnded = true;
                    RunningTransfer t = transfer;
                    if (t != null) {
                        t.abort(); // the session ends now; nothing may be kept half-done
                    }
                    offerLast(new LineTimeout());
                    return;
                } catch (SocketTimeoutException idle) {
                    RunningTransfer running = transfer;
                    if (running != null) {
                        // Busy, not idle; but a transfer that moved no byte for a whole idle period
                        // is a client that stopped sending or reading: it must not hold the session.
                        if (running.progress().stalledSinceLastCheck()) {
                            log.info("session {}: transfer of {} stalled; aborting it", id, ControlCharacters.escape(running.description()));
                            running.abort();
                        }
                        continue;
                    }
                    if (isBusy() || System.nanoTime() - lastReplyNanos < server.config().idleTimeout().toNanos()) {
                        continue; // busy, or the last command ended less than the idle timeout ago: not idle
                    }
                    offerLast(new IdleTimeout());
                    return;
                }
                if (line instanceof ControlLine.EndOfStream) {
                    controlEnded = true;
                    stopTransfer(); // the client is gone: an upload must not be kept half-done
                    offerLast(new Line(line));
                    return;
                }
                if (line instanceof ControlLine.Text text && Command.parse(text.text()).verb().equals("AUTH")) {
                    ControlHandover handover = new ControlHandover(reader.bufferedBytes());
                    if (!offer(new Auth(text, handover))) {
                        return;
                    }
                    switch (handover.await()) {
                        case ControlHandover.Unchanged u -> {
                        }
                        case ControlHandover.Secured(InputStream tlsInput) -> {
                            ControlInput secured = new ControlInput(tlsInput);
                            reader = new ControlLineReader(secured);
                            secured.reader = reader;
                        }
                        case ControlHandover.Ended e -> {
                            return;
                        }
                    }
                    continue;
                }
                if (line instanceof ControlLine.Text text) {
                    Command c = Command.parse(text.text());
                    RunningTransfer t = transfer;
                    if (c.verb().equals("ABOR")) {
                        abortRequested = true;
                        stopTransfer();
                    } else if (t != null && c.verb().equals("STAT") && !c.hasArgument()) {
                        reply(ReplyCode.SYSTEM_STATUS, "Transfer in progress: " + t.description() + ", " + t.progress().bytes() + " bytes so far");
                        continue;
                    }
                }
                if (!dispatch(line)) {
                    return; // refused (see offer): the session is ending
                }
            }
            offerLast(new Closed()); // a QUIT ran here: wake the worker, if any, so that it ends too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the session ended while AUTH was pending
        } catch (IOException e) {
            controlEnded = true;
            if (e instanceof javax.net.ssl.SSLHandshakeException && !closing) {
                // A handshake after the first (a refused renegotiation): worth a line, unlike a close.
                log.info("session {}: TLS handshake refused on the control connection from {}: {}", id, clientAddress.getHostAddress(), e.getMessage());
            } else if (!closing) {
                log.debug("session {}: control read failed: {}", id, e.toString());
            }
            stopTransfer();
            offerLast(new Closed());
        }
    }

    /** Stops the transfer running, or the wait for its data connection. Called by the reader thread. */
    private void stopTransfer() {
        RunningTransfer t = transfer;
        if (t != null) {
            t.abort();
        }
        DataChannel waiting = opening;
        if (waiting != null) {
            waiting.close();
        }
    }

    /**
     * The control connection's input as the line reader sees it. Each read waits at most the idle
     * timeout; once a line has begun, only until that line is the idle timeout old. Without that
     * bound a client sending one byte now and then (slowloris) would hold its session for ever, as
     * every byte would restart the socket's read timeout.
     */
    private final class ControlInput extends FilterInputStream {
        ControlLineReader reader;

        ControlInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long idle = server.config().idleTimeout().toNanos();
            long started = reader == null ? ControlLineReader.NO_LINE : reader.lineStartedNanos();
            long wait = idle; // while busy: the period of the stall check (see readLoop)
            if (started != ControlLineReader.NO_LINE) {
                wait = started + idle - System.nanoTime();
                if (wait <= 0) {
                    throw new LineTimeoutException();
                }
            } else if (!isBusy()) {
                // Idle time counts from the end of the last command or transfer (its last reply),
                // not from when this read began: a read that began with a transfer still running
                // would otherwise count the transfer's time as idle.
                wait = lastReplyNanos + idle - System.nanoTime();
                if (wait <= 0) {
                    throw new SocketTimeoutException("idle");
                }
            }
            socket.setSoTimeout(Math.clamp((wait + 999_999) / 1_000_000, 1, Integer.MAX_VALUE));
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                if (started != ControlLineReader.NO_LINE) {
                    throw new LineTimeoutException();
                }
                throw e;
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }
    }

    /** A command line that took longer than the idle timeout to arrive. */
    private static final class LineTimeoutException extends SocketTimeoutException {
        LineTimeoutException() {
            super("command line not completed in time");
        }
    }

    /**
     * Hands an event to the worker, starting it the first time one is needed. Called by the reader
     * only, which is the only one to add events: it never waits for room. A command past
     * {@link #QUEUE_LIMIT} waiting ones ends the session instead (see refusePipelining); the
     * reader's last event (end of stream, a timeout) always fits in the place kept for it.
     *
     * @return false when the command was refused and the session is ending
     */
    private boolean offer(ControlEvent event) {
        boolean last = event instanceof Closed || event instanceof IdleTimeout || event instanceof LineTimeout
                || event instanceof Line(ControlLine.EndOfStream end);
        if (!last && inbox.size() >= QUEUE_LIMIT) {
            refusePipelining();
            return false;
        }
        queued.incrementAndGet();
        if (worker == null) {
            worker = Thread.ofVirtual().name("ftp-session-" + id + "-worker").start(this::workLoop);
        }
        if (!inbox.offer(event)) { // cannot happen: one place is kept for the last event, and only this thread adds
            queued.decrementAndGet();
            throw new IllegalStateException("session " + id + ": command queue full");
        }
        return true;
    }

    /**
     * A client with more than {@link #QUEUE_LIMIT} commands waiting behind the running one (a
     * stalled download and a stream of NOOPs, say): 421 and close. What it still sent is read and
     * dropped for a moment, so that closing a socket with unread input does not reset the
     * connection before the client has read the 421.
     */
    private void refusePipelining() {
        log.info("session {}: more than {} commands waiting; closing", id, QUEUE_LIMIT);
        closing = true;
        controlEnded = true;
        stopTransfer();
        stopped.countDown(); // ends a failed login's delay on the worker too
        try {
            reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Too many commands waiting (more than " + QUEUE_LIMIT + "): closing control connection");
            socket.shutdownOutput();
            discardInput(Duration.ofSeconds(1), 1 << 20);
        } catch (IOException e) {
            log.debug("session {}: refusing pipelined commands: {}", id, e.toString());
        }
        inbox.offer(new Closed()); // fits in the place kept; wakes a worker waiting for work
    }

    /** Reads and drops what the client sends, until it closes, {@code within} has passed, or {@code limit} bytes. */
    private void discardInput(Duration within, int limit) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        InputStream in = socket.getInputStream();
        byte[] scratch = new byte[8192];
        for (int total = 0; total < limit; ) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            socket.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(scratch);
            } catch (SocketTimeoutException e) {
                return;
            }
            if (n < 0) {
                return;
            }
            total += n;
        }
    }

    /**
     * The reader's last event. A session that never needed a worker does not start one for it: the
     * reader's own thread runs it once the read loop has ended (see run).
     */
    private void offerLast(ControlEvent event) {
        if (worker != null) {
            offer(event); // always fits (see offer)
        } else {
            inbox.offer(event); // never full: only the worker takes, and there is none
        }
    }

    /**
     * Runs a command that moves no data right here on the reader thread when the worker has
     * nothing queued or running, else queues it. Handing each command from the reader to the session
     * thread cost a wake-up of another virtual thread per command, and often of a second carrier
     * thread. The session state stays confined to one thread at a time: the reader runs a command
     * only while {@link #queued} is 0, that is when the worker has finished everything it was
     * given (the counter also orders the two threads' writes), and only the reader gives it work.
     * False when the command was refused and the session is ending (see offer).
     */
    private boolean dispatch(ControlLine line) throws IOException {
        if (line instanceof ControlLine.Text text && transfer == null && queued.get() == 0) {
            Command command = Command.parse(text.text());
            String verb = command.verb();
            // PASS and a RETR that may be quick start here and hand themselves over when they must wait.
            // A verb the server does not know is only answered 500: no reason to queue it, and a
            // client sending a stream of them must not reach the queue's limit.
            if (RUN_BY_READER.contains(verb) || verb.equals("PASS") || (verb.equals("RETR") && mayBeQuickTransfer())
                    || !server.commands().containsKey(verb)) {
                onReader = true;
                try {
                    execute(command);
                    return true;
                } catch (NotQuick handOver) {
                    // the handler changed nothing yet: the worker runs the command from the start
                } finally {
                    onReader = false;
                }
            }
        }
        return offer(new Line(line));
    }

    /**
     * A download small enough to need no watching: binary, over a passive data connection, in the
     * clear. Whether it really is quick is decided by {@link #handOverUnlessQuick} once the size is known.
     */
    private boolean mayBeQuickTransfer() {
        return !ascii && !protectData && dataChannel instanceof PassiveDataChannel;
    }

    /**
     * Called by a transfer handler before it starts. On the worker it returns at once. On the
     * reader thread (see dispatch) the transfer goes on only when it cannot block, since no one
     * watches the control connection for ABOR, STAT or a stall meanwhile: at most
     * {@link #QUICK_TRANSFER_LIMIT} bytes, over a data connection the client has already made, that
     * fit in half of that socket's send buffer, so that the kernel takes them in one write whether
     * the client reads or not. Otherwise it restores the REST offset the handler took and hands the
     * command to the worker. A small download then costs no wake-up of a second thread:
     * 20-25% less CPU per file in the benchmark's 1000 x 4 KiB figure.
     */
    void handOverUnlessQuick(long bytes, long restartOffsetTaken) throws IOException {
        if (!onReader) {
            return;
        }
        if (bytes <= QUICK_TRANSFER_LIMIT && dataChannel instanceof PassiveDataChannel passive) {
            DataConnection connection = passive.acceptIfWaiting();
            if (connection != null && bytes <= connection.sendBufferSize() / 2) {
                return;
            }
        }
        restartOffset = restartOffsetTaken;
        throw NotQuick.INSTANCE;
    }

    /**
     * Called by a handler about to do something that may wait (see dispatch): on the reader thread
     * it hands the command, from its start, to the worker; the handler must not have
     * changed the session's state yet.
     */
    void requireWorker() {
        if (onReader) {
            throw NotQuick.INSTANCE;
        }
    }

    /** Largest transfer the reader thread may run itself (see handOverUnlessQuick). */
    static final long QUICK_TRANSFER_LIMIT = 64 * 1024;

    /** Thrown by handOverUnlessQuick and requireWorker: the command must run on the worker. */
    private static final class NotQuick extends RuntimeException {
        static final NotQuick INSTANCE = new NotQuick();

        private NotQuick() {
            super("transfer handed to the worker", null, false, false);
        }
    }

    private void execute(Command command) throws IOException {
        if (log.isDebugEnabled()) {
            log.debug("session {} <- {}", id, command.forLog());
        }
        CommandSpec spec = server.commands().get(command.verb());
        clearRestartUnless(command.verb());
        try {
            if (spec == null) {
                throw new FtpReplyException(ReplyCode.SYNTAX_ERROR, "'" + shorten(command.verb()) + "': command not understood");
            }
            if (spec.login() && user == null) {
                throw new FtpReplyException(ReplyCode.NOT_LOGGED_IN, "Please log in with USER and PASS first");
            }
            if (spec.argument() && !command.hasArgument()) {
                throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Syntax: " + spec.help());
            }
            if (!command.verb().equals("RNTO")) {
                clearRenameUnless(command.verb());
            }
            spec.handler().handle(this, command.argument());
        } catch (NotQuick handOver) {
            throw handOver;
        } catch (FtpReplyException e) {
            if (TRANSFER_VERBS.contains(command.verb())) {
                closeDataChannel();
            }
            if (e.code() != ReplyCode.NOT_LOGGED_IN || !command.verb().equals("PASS")) {
                log.info("session {} {}: \"{}\" -> {} {}", id, user == null ? "-" : user.name(), shorten(command.forLog()), e.code(),
                        ControlCharacters.escape(e.getMessage()));
            }
            reply(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("session {}: \"{}\" failed", id, shorten(command.forLog()), e);
            reply(ReplyCode.LOCAL_ERROR, "Internal error; the command was not completed");
        }
    }

    /**
     * Commands after which a REST offset still holds: the transfer commands it restarts, and those
     * that set up the data connection, which clients send on either side of REST (Commons Net and
     * ftplib send PASV, then REST; jftp sends REST, then EPSV).
     */
    private static final Set<String> KEEP_RESTART = Set.of("REST", "RETR", "STOR", "PASV", "EPSV", "PORT", "EPRT");

    /**
     * REST must come right before the transfer it restarts (RFC 3659 section 5.3); any other
     * command clears it, so that it never applies to a later, unrelated transfer.
     */
    private void clearRestartUnless(String verb) {
        if (restartOffset != 0 && !KEEP_RESTART.contains(verb)) {
            restartOffset = 0;
        }
    }

    /** RNFR must be followed directly by RNTO (RFC 959 section 4.1.3). */
    private void clearRenameUnless(String verb) {
        if (!verb.equals("RNFR")) {
            renameFrom = null;
        }
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    // ---- replies ----

    /**
     * A reply; line breaks in {@code text} make it a multi-line reply. Any other control character
     * (a bare CR from a client's command line, say) is escaped, see ControlCharacters.
     */
    public void reply(ReplyCode code, String text) throws IOException {
        if (text.indexOf('\n') >= 0) { // (a regular expression compiled for every reply cost more than the reply)
            replyLines(code, List.of(text.split("\r?\n", -1)));
            return;
        }
        write(code.code() + " " + ControlCharacters.escape(text) + "\r\n");
    }

    /**
     * A multi-line reply (RFC 959 section 4.2): "code-first line", middle lines, "code last line".
     * Middle lines start with a space so that none can be mistaken for the end.
     */
    public void replyLines(ReplyCode code, List<String> lines) throws IOException {
        if (lines.size() == 1) {
            write(code.code() + " " + ControlCharacters.escape(lines.get(0)) + "\r\n");
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(code.code()).append('-').append(ControlCharacters.escape(lines.get(0))).append("\r\n");
        for (int i = 1; i < lines.size() - 1; i++) {
            sb.append(' ').append(ControlCharacters.escape(lines.get(i))).append("\r\n");
        }
        sb.append(code.code()).append(' ').append(ControlCharacters.escape(lines.get(lines.size() - 1))).append("\r\n");
        write(sb.toString());
    }

    /**
     * The reply to PASV, EPSV, PORT or EPRT, which prepares a data connection. With PROT P on a TLS
     * 1.3 control connection a new session ticket travels inside it, for the data connection it
     * prepares to resume (see {@link TlsSession}).
     */
    void replyPreparingData(ReplyCode code, String text) throws IOException {
        if (tls == null || !protectData) {
            reply(code, text);
            return;
        }
        byte[] bytes = (code.code() + " " + text + "\r\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            tls.writeWithNewTicket(out, bytes);
        }
    }

    private void write(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            long now = System.nanoTime();
            writeStartedNanos = now | 1; // (never 0, which means no write)
            try {
                out.write(bytes);
                out.flush();
            } finally {
                writeStartedNanos = 0;
                lastReplyNanos = now;
            }
        }
    }

    /**
     * When the last reply was written: every command and every transfer ends with one, so idle
     * time counts from here (see ControlInput). Written under writeLock, read by the reader.
     */
    private volatile long lastReplyNanos = System.nanoTime();

    /** A transfer is running, or the worker has commands to run: the session is not idle. */
    private boolean isBusy() {
        return transfer != null || queued.get() > 0;
    }

    /**
     * When the reply being written began ({@link System#nanoTime()}), or 0 when none is. A reply
     * write blocks once the client stops reading and the socket buffers are full; sockets have no
     * write timeout, so the server's watchdog reads this (see {@link #closeIfReplyStuck}).
     */
    private volatile long writeStartedNanos;

    /**
     * Called by the server's watchdog (one thread for all sessions): when a reply has waited for the
     * client longer than the idle timeout, the client is not reading, and the session ends. Closing
     * the socket ends the blocked write with an exception.
     */
    public void closeIfReplyStuck(long nowNanos) {
        long started = writeStartedNanos;
        if (started != 0 && nowNanos - started > server.config().idleTimeout().toNanos()) {
            log.info("session {}: client {} has not taken a reply for {} s; closing", id, clientAddress.getHostAddress(),
                    server.config().idleTimeout().toSeconds());
            controlEnded = true;
            closing = true;
            stopTransfer();
            stopped.countDown();
            closeQuietly();
        }
    }

    // ---- helpers for handlers ----

    /** Resolves a client path against the working directory. */
    VirtualPath resolve(String argument) throws FtpReplyException {
        try {
            return cwd.resolve(argument);
        } catch (VirtualPath.InvalidPathException e) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Bad path: " + e.getMessage());
        }
    }

    void require(Permission permission) throws FtpReplyException {
        if (user == null || !user.may(permission)) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, "Permission denied (" + permission.word() + ")");
        }
    }

    /** Takes the REST offset; it applies to the next transfer only. */
    long takeRestartOffset() {
        long offset = restartOffset;
        restartOffset = 0;
        return offset;
    }

    void setDataChannel(DataChannel channel) {
        closeDataChannel();
        dataChannel = channel;
    }

    void closeDataChannel() {
        if (dataChannel != null) {
            dataChannel.close();
            dataChannel = null;
        }
    }

    /** What a transfer does with its open data connection; returns the bytes moved. */
    @FunctionalInterface
    interface TransferBody {
        long run(DataConnection connection, TransferProgress progress) throws IOException;
    }

    /**
     * Opens the data connection, announces it with 150, runs the body and answers 226, or 425/426/451/452
     * when it fails. Returns the bytes moved, or -1 when the transfer did not complete.
     */
    long transfer(String description, TransferBody body) throws IOException, FtpReplyException {
        DataChannel channel = dataChannel;
        dataChannel = null;
        if (channel == null) {
            throw new FtpReplyException(ReplyCode.CANT_OPEN_DATA, "Use PORT, EPRT, PASV or EPSV first");
        }
        if (tls != null && !protectData && server.config().tls().required()) {
            channel.close();
            throw new FtpReplyException(ReplyCode.PROTECTION_DENIED, "Data connections must be protected on this server: send PBSZ 0 and PROT P");
        }
        DataConnection connection;
        // The reader sets abortRequested, then looks at opening and transfer; this thread sets them,
        // then looks at abortRequested: whichever comes second sees the other, so no ABOR is missed.
        opening = channel;
        try {
            if (abortRequested || isClosing()) {
                throw new java.nio.channels.AsynchronousCloseException();
            }
            connection = channel.open(server.config().dataTimeout());
        } catch (IOException e) {
            channel.close();
            if (abortRequested) {
                throw new FtpReplyException(ReplyCode.TRANSFER_ABORTED, "Transfer aborted before the data connection was made");
            }
            throw new FtpReplyException(ReplyCode.CANT_OPEN_DATA, "Can't open data connection: " + e.getMessage());
        } finally {
            opening = null;
        }
        RunningTransfer running = new RunningTransfer(description, connection, new TransferProgress(), new boolean[1]);
        transfer = running;
        if (abortRequested || isClosing()) {
            running.abort();
        }
        server.transferStarted();
        try {
            reply(ReplyCode.OPENING_DATA_CONNECTION, "Opening " + (ascii ? "ASCII" : "BINARY") + " mode"
                    + (protectData ? " TLS" : "") + " data connection for " + description);
            if (protectData) {
                connection.secure(tls, server.config().tls().handshakeTimeout());
            }
            long bytes = body.run(connection, running.progress());
            connection.close();
            reply(ReplyCode.CLOSING_DATA, "Transfer complete");
            return bytes;
        } catch (IOException e) {
            log.debug("session {}: transfer of {} ended by {}", id, description, e.toString());
            if (shuttingDown) {
                // RFC 959 section 4.2: 421 tells the client the service, not just this transfer, is going away.
                reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Server shutting down; transfer aborted");
            } else if (running.aborted()[0] || closing) {
                reply(ReplyCode.TRANSFER_ABORTED, "Connection closed; transfer aborted");
            } else if (e instanceof DataTlsException) {
                log.info("session {}: data connection for {} refused: {}", id, ControlCharacters.escape(description), e.getMessage());
                reply(ReplyCode.CANT_OPEN_DATA, "Can't open data connection: " + e.getMessage());
            } else if (FtpReplyException.isDiskFull(e)) {
                reply(ReplyCode.INSUFFICIENT_STORAGE, "Insufficient storage space; transfer aborted");
            } else if (e instanceof SocketException || e instanceof java.nio.channels.ClosedChannelException
                    || e instanceof dev.jftp.server.ftp.data.DataConnectionLostException
                    || e instanceof javax.net.ssl.SSLException
                    || isConnectionLost(e)) {
                reply(ReplyCode.TRANSFER_ABORTED, "Data connection lost; transfer aborted");
            } else {
                log.info("session {}: transfer of {} failed: {}", id, ControlCharacters.escape(description), ControlCharacters.escape(e.toString()));
                reply(ReplyCode.LOCAL_ERROR, "Local error: " + e.getMessage());
            }
            return -1;
        } finally {
            lastTransferBytes = running.progress().bytes();
            transfer = null;
            server.transferEnded();
            try {
                connection.close();
            } catch (IOException e) {
                log.debug("closing data connection: {}", e.toString());
            }
        }
    }

    /** True when ABOR (or the end of the session) stopped the transfer now running. */
    boolean isTransferAborted() {
        RunningTransfer t = transfer;
        return t != null && t.aborted()[0];
    }

    /**
     * AUTH TLS accepted (RFC 4217 section 4): replies 234, runs the TLS handshake on the control
     * connection and switches replies and the reader to TLS. A failed handshake ends the session,
     * since the connection's state is then unknown.
     */
    void startTls(String acceptedText) throws IOException, FtpReplyException {
        ControlHandover handover = pendingHandover;
        if (handover == null) {
            throw new FtpReplyException(ReplyCode.LOCAL_ERROR, "AUTH must be a command of its own");
        }
        reply(ReplyCode.SECURITY_EXCHANGE_OK, acceptedText);
        try {
            secureControl(handover.readAhead());
        } catch (IOException e) {
            handover.ended();
            throw e;
        }
        handover.secured(tls.controlSocket().getInputStream());
    }

    /** The server side of the control connection's TLS handshake, then replies go through TLS. */
    private void secureControl(byte[] readAhead) throws IOException {
        try {
            TlsConfig config = server.config().tls();
            tls = config.context().startControl(socket, readAhead, config.handshakeTimeout(), config.sessionReuseRequired());
        } catch (IOException e) {
            closing = true;
            log.info("session {}: TLS handshake with {} failed: {}", id, clientAddress.getHostAddress(), e.toString());
            throw e;
        }
        synchronized (writeLock) {
            out = new BufferedOutputStream(tls.controlSocket().getOutputStream(), 8192);
        }
        log.info("session {}: control connection now TLS ({})", id, tls.describe());
    }

    /**
     * NIO socket channels report a peer that went away as a plain IOException ("Broken pipe",
     * "Connection reset by peer"), not a SocketException; it is still the data connection that failed (426),
     * not the server (451).
     */
    private static boolean isConnectionLost(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("Broken pipe") || m.contains("Connection reset"));
    }

    /** True once the session is ending or the client has gone. */
    boolean isClosing() {
        return closing || controlEnded;
    }

    /**
     * Whether the client's control connection has ended (or the session is closing); asked by an
     * upload whose data connection has ended, before it keeps the file. A client that is gone
     * cannot be told that its upload succeeded, so the upload must count as aborted; and a client
     * that dies closes both connections, the control connection usually first. The reader thread
     * notices that end, but the worker may see the end of the data first, since the threads run
     * when the scheduler lets them: a partial upload replaced the old file in about 1 of 10 such
     * deaths. So the reader is made to read again now. Unparking it makes its blocked socket read
     * retry at once (a spurious wake-up, which every JDK wait tolerates), and a read that starts
     * after the data connection's end sees the control connection's end if that came first. This
     * waits until the reader has seen that end or is parked again (about a read system call), or
     * at most {@link #CONTROL_CHECK_LIMIT} for a reader the scheduler does not run.
     */
    boolean controlConnectionEnded() {
        Thread r = reader;
        if (isClosing() || r == null || r == Thread.currentThread() || !r.isVirtual()) {
            return isClosing(); // (a platform thread blocked in a read would not retry on unpark)
        }
        java.util.concurrent.locks.LockSupport.unpark(r);
        long deadline = System.nanoTime() + CONTROL_CHECK_LIMIT.toNanos();
        for (int round = 0; !isClosing(); round++) {
            // unpark took it out of its parked state at once, so parked now means parked again
            Thread.State state = r.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.TERMINATED) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                log.debug("session {}: the reader did not get to check the control connection within {} ms", id,
                        CONTROL_CHECK_LIMIT.toMillis());
                break;
            }
            if (round < 100) {
                Thread.yield();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
        return isClosing();
    }

    /** Ends the session after the current command (QUIT, or a refused login). */
    void close() {
        closing = true;
    }

    /** Closes the control connection now (server shutdown). */
    public void shutdown() {
        shuttingDown = true;
        closing = true;
        RunningTransfer t = transfer;
        if (t != null) {
            t.abort();
        }
        closeQuietly();
        inbox.offer(new Closed()); // never blocks: the reader's end-of-stream also wakes the session
        // Also ends a failed login's delay (up to LoginThrottle.MAX_DELAY), which would otherwise hold up
        // the stop. Not an interrupt: one that lands in FileChannel I/O closes the file under the transfer.
        stopped.countDown();
    }

    /** Waits for {@code delay}, or less if the server stops meanwhile. */
    void pause(java.time.Duration delay) throws InterruptedException {
        stopped.await(delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Ends TLS on the control connection with close_notify (RFC 8446 section 6.1), if the client is still there. */
    private void closeTls() {
        if (tls != null && !controlEnded) {
            try {
                tls.controlSocket().shutdownOutput();
            } catch (IOException e) {
                log.debug("session {}: TLS close of the control connection: {}", id, e.toString());
            }
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing control connection: {}", e.toString());
        }
    }

    String userName() {
        return user == null ? "-" : user.name();
    }
}
