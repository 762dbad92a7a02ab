package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.control.Command;
import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.ftp.control.ControlLine;
import dev.jftp.server.ftp.control.ControlLineReader;
import dev.jftp.server.ftp.data.DataConnection;
import dev.jftp.server.ftp.data.PassiveDataChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threading model of one FTP session, all of it in this class.
 *
 * <p>The session's own virtual thread is its <em>reader</em>: it reads command lines, parses each
 * once into a {@link Command}, and runs the quick ones itself ({@link CommandSpec.Runs#ON_READER}:
 * no data connection, nothing that waits) whenever nothing else of the session is queued or running.
 * Transfers, listings, AUTH and anything that may wait go to a second virtual thread, the
 * <em>worker</em>, started the first time one is needed; it runs them one at a time, in order. A
 * command that may be quick ({@link CommandSpec.Runs#ON_READER_UNTIL_IT_WAITS}: PASS with a
 * remembered password, a small RETR) starts on the reader and hands itself, unchanged, to the
 * worker when it finds it must wait ({@link #requireWorker}, {@link #handOverUnlessQuick}). A session
 * of quick commands only (a login, a check, small downloads) thus runs on one thread, with no
 * wake-up of another per command.
 *
 * <p>A binary upload over a passive connection already made (STOR) begins on the reader too
 * ({@link #handOverUnlessQuickUpload}) and waits there for its data at most
 * {@link #QUICK_UPLOAD_WAIT}; a small file is then received, checked and kept with no other
 * thread woken. One whose data is still coming then or is over {@link #QUICK_TRANSFER_LIMIT}, or
 * that finds input on the control connection when it looks for the client's end, moves: its body
 * throws {@link MovedToWorker}, and its rest (the same body again, which goes on where it stopped,
 * the reply, the end) is the worker's next event ({@link #continueOnWorker}); meanwhile the reader
 * reads the control connection as for any transfer.
 *
 * <p>A session in a burst of quick commands (a client fetching many small files: PASV, RETR,
 * PASV, RETR...) moves its reader to a borrowed platform thread ({@link BurstThreads}): after
 * {@link #BURST_AFTER} quick commands in a row run on the reader, the read loop goes on on a burst
 * thread, if one is free, while the session's virtual thread waits. The kernel then wakes the
 * reader directly when a line arrives, instead of the JDK's poller waking a carrier thread. The
 * burst thread runs quick commands only and gives the loop back, with the line it read, as soon as
 * one needs the worker, or when no line begins within {@link #BURST_IDLE}: idle sessions hold no
 * platform thread, and the worker only ever gets work from the session's own thread (which
 * {@link #controlConnectionEnded()} relies on).
 *
 * <p>The worker receives a large upload (one that outgrew the reader, above) on a borrowed
 * platform thread too ({@link #receiveOnUploadThread}), from a set of its own, when one is free: the
 * kernel then wakes the receive loop directly as data arrives, where a virtual thread's every wait
 * costs the poller's and a carrier's wake-ups. The worker waits for the loop's end.
 *
 * <p>While the worker runs a transfer, the reader still sees the control connection: ABOR stops the
 * transfer at once and STAT reports its progress (RFC 959 section 4.1.3; see
 * {@link CommandSpec.WhileTransferring}); every other command waits its turn, which is the order RFC
 * 959 asks for. While AUTH runs, the reader waits, since the bytes after its reply are a TLS
 * handshake (see {@link ControlHandover}). The reader also watches time: an idle session, a command
 * line sent too slowly and a stalled transfer end here. (On the session's virtual thread the first
 * two are woken by the listener's watchdog rather than by a socket timeout, see ControlChannel.)
 *
 * <p>The session state is confined to one thread at a time: the reader runs a command only while
 * {@link #queued} is 0, that is when the worker has finished everything it was given (the counter
 * also orders the two threads' writes), and only the reader gives it work.
 */
final class SessionThreads {
    private static final Logger log = LoggerFactory.getLogger(SessionThreads.class);
    /**
     * Commands a client may have waiting behind the one running (RFC 959 lets a client send the next
     * command before the reply; few send more than a handful). One more is refused with 421 and the
     * session closed (see offer): the reader must never wait for room, since while it waits it
     * sees neither ABOR nor a timeout.
     */
    static final int QUEUE_LIMIT = 32;
    /** Largest transfer the reader thread may run itself (see handOverUnlessQuick). */
    static final long QUICK_TRANSFER_LIMIT = 64 * 1024;
    /**
     * How long an upload that began on the reader may wait there for its data before the rest of it
     * goes to the worker (see receivesOnReader): meanwhile no one reads the control connection, so
     * this is how much later than usual an ABOR may be seen.
     */
    static final Duration QUICK_UPLOAD_WAIT = Duration.ofMillis(20);
    /**
     * Quick commands in a row after which the reader moves to a burst thread (see BurstThreads).
     * Moving there and back costs two hand-offs, paid back only over several commands: a login
     * and one command (USER, PASS, PWD, then QUIT: a check) stays on the session's own thread.
     */
    static final int BURST_AFTER = 4;
    /** How long a burst thread waits for the next command line before the burst counts as over. */
    static final Duration BURST_IDLE = Duration.ofMillis(200);
    /** The platform threads that sessions in a burst of quick commands borrow (see BurstThreads). */
    private static final BurstThreads BURSTS = new BurstThreads(4 * Runtime.getRuntime().availableProcessors());
    /**
     * The platform threads that the receive loops of large uploads borrow, one per core: each keeps
     * its thread for the whole upload, however slow the client, so they are few; an upload that
     * finds none free is received on the worker. 1 GiB STOR from memory on a 2-core Intel Xeon, 16
     * rounds alternated with the build before and Pure-FTPd: 2,842 against 2,722 and 2,782 MiB/s
     * (medians; per round 1.05× the build before, 1.03× Pure-FTPd, which it matched before), jftpd's
     * CPU 0.35 against 0.38 s per GiB. (On the AMD machines of earlier stops the same move measured
     * 1.02× and 1.06× per round, within the noise.)
     */
    private static final BurstThreads UPLOADS = new BurstThreads(Runtime.getRuntime().availableProcessors(), "ftp-upload-");
    /** Upload receive loops run on upload threads since the start, by every session of this process (for tests). */
    static long uploadsOnPlatformThreads() {
        return UPLOADS.started();
    }

    /**
     * Runs {@code receive} (the receive loop of an upload, on the worker) on an upload thread if one
     * is free, else on the calling thread; the caller waits for its end either way, so the session's
     * state stays with one thread at a time.
     */
    static <T> T receiveOnUploadThread(FtpSession.IoWork<T> receive) throws IOException {
        if (!Thread.currentThread().isVirtual() || !UPLOADS.tryEnter()) {
            return receive.run();
        }
        try {
            return UPLOADS.run(() -> {
                try {
                    return receive.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Bursts run on burst threads since the start, by every session of this process (for tests). */
    static long burstsStarted() {
        return BURSTS.started();
    }

    /** How long {@link #controlConnectionEnded()} waits for the reader at most. */
    private static final Duration CONTROL_CHECK_LIMIT = Duration.ofSeconds(1);

    private final FtpSession session;
    private final ControlChannel control;
    /** One place more than the limit: the reader's last event always fits (see offer). */
    private final BlockingQueue<Event> inbox = new ArrayBlockingQueue<>(QUEUE_LIMIT + 1);
    /** Events given to the worker and not yet finished by it (see dispatch). */
    private final AtomicInteger queued = new AtomicInteger();
    /** Runs what the reader hands over; started the first time it is needed. Set by the reader only. */
    private volatile Thread worker;
    /** The session's own thread, which reads the control connection (see run). */
    private volatile Thread reader;
    /** True while the reader thread runs a command itself (see dispatch). */
    private boolean onReader;
    /** Set while an AUTH command runs on the worker: the reader waits on it. */
    private ControlHandover pendingHandover;
    /** The control connection's lines as the reader reads them now (clear, then TLS after AUTH). Reader only. */
    private ControlLineReader lines;
    /** Quick commands the reader ran itself since it last queued one (see readLoop). Reader only. */
    private int quickInARow;
    /** A line read on a burst thread that the session's own thread must handle (see readLoop). Reader only. */
    private ControlLine pendingLine;
    /** A command found not quick on a burst thread: the session's own thread queues it (see dispatch). Reader only. */
    private Command pendingCommand;
    /** The rest of an upload that began on the reader, for the worker (see continueOnWorker). Reader only. */
    private SessionWork pendingContinuation;

    /** What the reader hands to whoever runs the session's commands. */
    private sealed interface Event {
    }

    /** A command line, parsed once. */
    private record CommandLine(Command command) implements Event {
    }

    /** The rest of a transfer that began on the reader (see continueOnWorker). */
    private record Continuation(SessionWork rest) implements Event {
    }

    /** AUTH: the reader waits on the handover until it has run. */
    private record Auth(Command command, ControlHandover handover) implements Event {
    }

    /** A line that is no command: too long, or not UTF-8. */
    private record BadLine(ControlLine line) implements Event {
    }

    /** The client closed the connection. */
    private record EndOfStream() implements Event {
    }

    private record IdleTimeout() implements Event {
    }

    /** A command line was begun but not finished within the idle timeout (slowloris). */
    private record LineTimeout() implements Event {
    }

    private record Closed() implements Event {
    }

    SessionThreads(FtpSession session, ControlChannel control) {
        this.session = session;
        this.control = control;
    }

    /** What the reader and the worker each run until they are done (see runThenEnd). */
    @FunctionalInterface
    interface SessionWork {
        void run() throws IOException, InterruptedException;
    }

    /**
     * Runs the session on the calling thread, which becomes its reader: {@code start} (the greeting),
     * then the read loop; returns when the session is over.
     */
    void run(SessionWork start) {
        reader = Thread.currentThread();
        runThenEnd(() -> {
            start.run();
            try {
                lines = control.lineReader(this::isBusy);
            } catch (IOException e) {
                offerLast(new Closed());
                lines = null;
            }
            if (lines != null) {
                while (readLoop(false) == Pause.BURST) {
                    if (BURSTS.run(() -> readLoop(true)) == Pause.ENDED) {
                        break;
                    }
                }
            }
            Thread w = worker;
            if (w != null) {
                w.join(); // it runs what the reader queued last, then ends the session
            } else {
                runQueued(); // the reader's last event (end of stream, idle timeout...), with no worker to run it
            }
        });
    }

    /** The worker's loop: runs what the reader hands over, one event at a time, until the session closes. */
    private void workLoop() {
        runThenEnd(() -> {
            while (!session.isEnding()) {
                runEvent(inbox.take());
            }
        });
    }

    /**
     * Runs one of the session's two threads: a failure is logged, and either thread ending ends the
     * session (see FtpSession.end), which also stops the other.
     */
    private void runThenEnd(SessionWork work) {
        try {
            work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("session {}: control connection failed: {}", session.id(), e.toString());
        } catch (RuntimeException e) {
            log.error("session {}: unexpected failure", session.id(), e);
        } finally {
            session.end();
        }
    }

    /** Runs the events left in the inbox on this thread; for a session that never needed a worker. */
    private void runQueued() throws IOException {
        Event event;
        while (!session.isEnding() && (event = inbox.poll()) != null) {
            runEvent(event);
        }
    }

    private void runEvent(Event event) throws IOException {
        switch (event) {
            case CommandLine(Command command) -> session.execute(command);
            case Continuation(SessionWork rest) -> runContinuation(rest);
            case Auth(Command command, ControlHandover handover) -> {
                pendingHandover = handover;
                try {
                    session.execute(command);
                } finally {
                    pendingHandover = null;
                    handover.unchangedUnlessDecided();
                }
            }
            case BadLine(ControlLine.TooLong tooLong) -> {
                log.info("session {}: command line over {} bytes refused", session.id(), tooLong.limit());
                session.reply(ReplyCode.SYNTAX_ERROR, "Command line too long (limit " + tooLong.limit() + " bytes)");
            }
            case BadLine(ControlLine line) -> {
                log.info("session {}: command line is not valid UTF-8", session.id());
                session.reply(ReplyCode.BAD_ARGUMENTS, "Command line is not valid UTF-8 (RFC 2640)");
            }
            case EndOfStream end -> session.close();
            case Closed c -> session.close();
            case IdleTimeout t -> {
                long seconds = session.context().config().idleTimeout().toSeconds();
                log.info("session {}: idle timeout", session.id());
                session.reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Idle timeout (" + seconds + " s): closing control connection");
                session.close();
            }
            case LineTimeout t -> {
                long seconds = session.context().config().idleTimeout().toSeconds();
                log.info("session {}: command line not completed within {} s", session.id(), seconds);
                session.reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Command line not completed within " + seconds + " s: closing control connection");
                session.close();
            }
        }
        queued.updateAndGet(n -> Math.max(0, n - 1)); // (shutdown's Closed was never counted)
    }

    private void runContinuation(SessionWork rest) throws IOException {
        try {
            rest.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The AUTH command now running on the worker, whose handover the reader waits on; null when none. */
    ControlHandover pendingHandover() {
        return pendingHandover;
    }

    /** Why {@link #readLoop} returned. */
    enum Pause {
        /** The session is over (or its last event is queued). */
        ENDED,
        /**
         * From the session's own virtual thread: the session is in a burst of quick commands and
         * holds a burst thread; the read loop goes on there. From a burst thread: the burst is
         * over; the read loop goes on on the session's own thread.
         */
        BURST
    }

    /**
     * Reads lines until the connection ends; handles ABOR and STAT at once while a transfer runs.
     * On a burst thread ({@code onBurstThread}) it runs only quick commands, each on the reader,
     * and returns as soon as a line needs anything else (left in {@link #pendingLine} or
     * {@link #pendingCommand} for the session's own thread) or none begins within
     * {@link #BURST_IDLE}: nothing is ever handed to the worker from a burst thread.
     */
    private Pause readLoop(boolean onBurstThread) {
        TransferRunner transfers = session.transfers();
        if (onBurstThread) {
            control.limitWaitForNextLine(BURST_IDLE);
        }
        try {
            if (!onBurstThread && pendingCommand != null) {
                Command handOver = pendingCommand; // found not quick on the burst thread: straight to the worker
                pendingCommand = null;
                if (!offer(new CommandLine(handOver))) {
                    return Pause.ENDED;
                }
            }
            if (!onBurstThread && pendingContinuation != null) {
                handContinuationToWorker(); // an upload begun on the burst thread: the worker finishes it
            }
            while (!session.isEnding()) {
                ControlLine line = pendingLine;
                if (line != null) {
                    pendingLine = null;
                } else {
                    try {
                        line = lines.read();
                    } catch (ControlChannel.NoLineYetException quiet) {
                        return Pause.BURST; // (burst thread only) the burst is over
                    } catch (ControlChannel.LineTimeoutException slow) {
                        session.controlEnded();
                        transfers.abortRunning(); // the session ends now; nothing may be kept half-done
                        offerLast(new LineTimeout());
                        return Pause.ENDED;
                    } catch (SocketTimeoutException idle) {
                        if (transfers.isRunning()) {
                            // Busy, not idle; but a transfer that moved no byte for a whole idle period
                            // is a client that stopped sending or reading: it must not hold the session.
                            transfers.abortIfStalled();
                            continue;
                        }
                        if (isBusy() || !control.idleSinceLastReply()) {
                            continue; // busy, or the last command ended less than the idle timeout ago: not idle
                        }
                        offerLast(new IdleTimeout());
                        return Pause.ENDED;
                    }
                }
                if (onBurstThread && !(line instanceof ControlLine.Text)) {
                    pendingLine = line; // the end of the stream, a bad line: the session's own thread sees to it
                    return Pause.BURST;
                }
                switch (line) {
                    case ControlLine.EndOfStream end -> {
                        session.controlEnded();
                        transfers.stop(); // the client is gone: an upload must not be kept half-done
                        offerLast(new EndOfStream());
                        return Pause.ENDED;
                    }
                    case ControlLine.Text text -> {
                        Command command = Command.parse(text.text());
                        CommandSpec spec = session.context().commands().get(command.verb());
                        if (onBurstThread && !runsOnReaderNow(spec)) {
                            pendingLine = line;
                            return Pause.BURST;
                        }
                        if (spec != null && spec.runs() == CommandSpec.Runs.ON_WORKER_HOLDING_READER) {
                            ControlHandover handover = new ControlHandover(lines.bufferedBytes());
                            if (!offer(new Auth(command, handover))) {
                                return Pause.ENDED;
                            }
                            switch (handover.await()) {
                                case ControlHandover.Unchanged u -> {
                                }
                                case ControlHandover.Secured(InputStream tlsInput) -> lines = control.lineReader(tlsInput, this::isBusy);
                                case ControlHandover.Ended e -> {
                                    return Pause.ENDED;
                                }
                            }
                            continue;
                        }
                        if (spec != null && spec.whileTransferring() == CommandSpec.WhileTransferring.STOPS_IT) {
                            transfers.abortRequested();
                        } else if (spec != null && spec.whileTransferring() == CommandSpec.WhileTransferring.REPORTS_ON_IT
                                && !command.hasArgument()) {
                            String progress = transfers.progressReport();
                            if (progress != null) {
                                session.reply(ReplyCode.SYSTEM_STATUS, progress);
                                continue;
                            }
                        }
                        switch (dispatch(command, spec, onBurstThread)) {
                            case REFUSED -> {
                                return Pause.ENDED; // refused (see offer): the session is ending
                            }
                            case HANDED_BACK -> {
                                return Pause.BURST;
                            }
                            case RAN_ON_READER -> {
                                if (!onBurstThread && ++quickInARow >= BURST_AFTER && !session.isEnding() && BURSTS.tryEnter()) {
                                    return Pause.BURST;
                                }
                            }
                            case QUEUED -> quickInARow = 0;
                            case QUEUED_BEHIND -> {
                                // still a burst: the worker was only finishing the command before
                            }
                        }
                    }
                    default -> {
                        if (!offer(new BadLine(line))) {
                            return Pause.ENDED;
                        }
                    }
                }
            }
            offerLast(new Closed()); // a QUIT ran here: wake the worker, if any, so that it ends too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the session ended while AUTH was pending
        } catch (IOException e) {
            session.controlEnded();
            if (e instanceof SSLHandshakeException && !session.isEnding()) {
                // A handshake after the first (a refused renegotiation): worth a line, unlike a close.
                log.info("session {}: TLS handshake refused on the control connection from {}: {}", session.id(),
                        session.clientAddress().getHostAddress(), e.getMessage());
            } else if (!session.isEnding()) {
                log.debug("session {}: control read failed: {}", session.id(), e.toString());
            }
            transfers.stop();
            offerLast(new Closed());
        } finally {
            if (onBurstThread) {
                control.limitWaitForNextLine(Duration.ZERO);
            }
        }
        return Pause.ENDED;
    }

    /** Whether a command would run on the reader now: quick, with nothing of the session's running elsewhere. */
    private boolean runsOnReaderNow(CommandSpec spec) {
        // A verb the server does not know is only answered 500: no reason to queue it, and a client
        // sending a stream of them must not reach the queue's limit.
        return isQuick(spec) && !session.transfers().isRunning() && queued.get() == 0;
    }

    private static boolean isQuick(CommandSpec spec) {
        return spec == null || spec.runs() == CommandSpec.Runs.ON_READER || spec.runs() == CommandSpec.Runs.ON_READER_UNTIL_IT_WAITS;
    }

    /** A transfer is running, or the worker has commands to run: the session is not idle. */
    private boolean isBusy() {
        return session.transfers().isRunning() || queued.get() > 0;
    }

    /**
     * What {@link #dispatch} did with a command. QUEUED_BEHIND: a quick command queued only because
     * the worker had not yet finished the one before (it replies, then counts it done; a client
     * answering at once, or a loaded machine preempting the worker right after its write, wins that
     * race): it does not end a burst of quick commands, or a session that once used the worker would
     * queue command after command behind it and never reach a burst.
     */
    private enum Dispatched { RAN_ON_READER, QUEUED, QUEUED_BEHIND, HANDED_BACK, REFUSED }

    /**
     * Runs a command on the reader thread itself when the table lets it and the worker has nothing
     * queued or running, else queues it. Handing each command from the reader to the worker cost a
     * wake-up of another virtual thread per command, and often of a second carrier thread. On a
     * burst thread a command that turns out not to be quick is not queued but left in
     * {@link #pendingCommand} for the session's own thread (HANDED_BACK), and the rest of an upload
     * that moved (see continueOnWorker) is queued by the session's own thread too. REFUSED when the
     * command was refused and the session is ending (see offer).
     */
    private Dispatched dispatch(Command command, CommandSpec spec, boolean onBurstThread) throws IOException {
        boolean tried = runsOnReaderNow(spec);
        if (tried) {
            boolean ran = false;
            onReader = true;
            try {
                session.execute(command);
                ran = true;
            } catch (NotQuick handOver) {
                // the handler changed nothing yet: the worker runs the command from the start
                if (onBurstThread) {
                    pendingCommand = command;
                    return Dispatched.HANDED_BACK;
                }
            } finally {
                onReader = false;
            }
            if (ran && pendingContinuation == null) {
                return Dispatched.RAN_ON_READER;
            }
            if (ran) {
                // An upload that began here goes on on the worker (only now that onReader is false,
                // which the worker reads too).
                if (onBurstThread) {
                    return Dispatched.HANDED_BACK; // the session's own thread hands it over (see readLoop)
                }
                handContinuationToWorker();
                return Dispatched.QUEUED;
            }
        }
        // Quick, but the worker has taken everything queued and is still on it (finishing, mostly);
        // not a command that found it must wait (NotQuick above).
        boolean behind = !tried && isQuick(spec) && !session.transfers().isRunning() && inbox.isEmpty();
        if (!offer(new CommandLine(command))) {
            return Dispatched.REFUSED;
        }
        return behind ? Dispatched.QUEUED_BEHIND : Dispatched.QUEUED;
    }

    /**
     * Queues {@link #pendingContinuation} for the worker: the first event since the worker had
     * nothing (the reader ran the command), so it always fits. A session that began to end
     * meanwhile (a stop, the account removed) may have a worker that runs nothing more: then the
     * rest runs here, to its end (the end aborted its data connection), unless the worker took it.
     */
    private void handContinuationToWorker() {
        SessionWork rest = pendingContinuation;
        pendingContinuation = null;
        offer(new Continuation(rest));
        if (session.isEnding()) {
            releaseHandovers();
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
    private boolean offer(Event event) {
        boolean last = event instanceof Closed || event instanceof IdleTimeout || event instanceof LineTimeout || event instanceof EndOfStream;
        if (!last && inbox.size() >= QUEUE_LIMIT) {
            refusePipelining();
            return false;
        }
        queued.incrementAndGet();
        if (worker == null) {
            worker = Thread.ofVirtual().name("ftp-session-" + session.id() + "-worker").start(this::workLoop);
        }
        if (!inbox.offer(event)) { // cannot happen: one place is kept for the last event, and only this thread adds
            queued.decrementAndGet();
            throw new IllegalStateException("session " + session.id() + ": command queue full");
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
        log.info("session {}: more than {} commands waiting; closing", session.id(), QUEUE_LIMIT);
        session.close(); // the worker runs nothing queued after what it runs now
        // The 421 and the end of output go out before the running transfer is stopped: once stopped,
        // the worker ends the session and closes the connection, and a 421 written after that was
        // lost (CI saw only the transfer's 426).
        try {
            session.reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Too many commands waiting (more than " + QUEUE_LIMIT + "): closing control connection");
            control.shutdownOutput();
        } catch (IOException e) {
            log.debug("session {}: refusing pipelined commands: {}", session.id(), e.toString());
        }
        session.controlEnded();
        session.transfers().stop();
        session.releaseWaits(); // ends a failed login's delay on the worker too
        try {
            control.discardInput(Duration.ofSeconds(1), 1 << 20);
        } catch (IOException e) {
            log.debug("session {}: discarding pipelined commands: {}", session.id(), e.toString());
        }
        inbox.offer(new Closed()); // fits in the place kept; wakes a worker waiting for work
    }

    /**
     * The reader's last event. A session that never needed a worker does not start one for it: the
     * reader's own thread runs it once the read loop has ended (see run).
     */
    private void offerLast(Event event) {
        if (worker != null) {
            offer(event); // always fits (see offer)
        } else {
            inbox.offer(event); // never full: only the worker takes, and there is none
        }
    }

    /** The server stops: wakes the worker, which then ends. Never blocks. */
    void wakeForShutdown() {
        inbox.offer(new Closed()); // the reader's end-of-stream also wakes the session
    }

    /**
     * The session ended: an AUTH that will never run now would leave the reader waiting for its
     * handover for ever, and the rest of an upload that will never run would hold its data
     * connection and its unfinished file: it runs here, to its end (the session's end aborted its
     * data connection, so it fails at once and the old file stays).
     */
    void releaseHandovers() {
        for (Event left; (left = inbox.poll()) != null; ) {
            if (left instanceof Auth auth) {
                auth.handover().ended();
            } else if (left instanceof Continuation(SessionWork rest)) {
                try {
                    runContinuation(rest);
                } catch (IOException | RuntimeException e) {
                    log.debug("session {}: ending a transfer the session's end stopped: {}", session.id(), e.toString());
                }
            }
        }
    }

    // ---- for handlers that may run on the reader ----

    /**
     * Called by a handler about to do something that may wait: on the reader thread it hands the
     * command, from its start, to the worker; the handler must not have changed the session's state yet.
     */
    void requireWorker() {
        if (onReader) {
            throw NotQuick.INSTANCE;
        }
    }

    /**
     * Called by a download before it starts. On the worker it returns at once. On the reader
     * thread the transfer goes on only when it cannot block, since no one watches the control
     * connection for ABOR, STAT or a stall meanwhile: at most {@link #QUICK_TRANSFER_LIMIT} bytes,
     * over a data connection the client has already made, that fit in half of that socket's send
     * buffer, so that the kernel takes them in one write whether the client reads or not. Otherwise
     * it restores the REST offset the handler took and hands the command to the worker. A small
     * download then costs no wake-up of a second thread: 20-25% less CPU per file in the
     * benchmark's 1000 x 4 KiB figure.
     */
    void handOverUnlessQuick(long bytes, long restartOffsetTaken) throws IOException {
        if (!onReader) {
            return;
        }
        if (bytes <= QUICK_TRANSFER_LIMIT && session.state().dataChannel() instanceof PassiveDataChannel passive) {
            DataConnection connection = passive.acceptIfWaiting();
            if (connection != null && connection.takesInOneWrite(bytes)) {
                return;
            }
        }
        session.state().restoreRestartOffset(restartOffsetTaken);
        throw NotQuick.INSTANCE;
    }

    /**
     * Called by an upload before it opens anything. On the worker it returns at once. On the reader
     * thread the upload goes on only where it can hand its rest to the worker later (see
     * {@link #continueOnWorker}) and check the control connection without waiting (see
     * {@link #controlConnectionEnded()}): binary, in the clear on both connections, over a passive
     * data connection the client has already made, to a storage on this machine, from the start of
     * the file. Otherwise the command goes, unchanged, to the worker. A small upload then costs no
     * wake-up of a second thread.
     */
    void handOverUnlessQuickUpload() throws IOException {
        if (!onReader) {
            return;
        }
        SessionState state = session.state();
        if (state.mayBeQuickDownload() && control.tls() == null && state.restartOffset() == 0
                && state.files().capabilities().localCalls() && control.canLookWithoutWaiting()
                && state.dataChannel() instanceof PassiveDataChannel passive && passive.acceptIfWaiting() != null) {
            return;
        }
        throw NotQuick.INSTANCE;
    }

    /**
     * The deadline ({@link System#nanoTime()}) for a transfer's data on the reader thread, after
     * which it throws {@link MovedToWorker}; 0 on the worker, which waits as long as the data takes.
     */
    long quickTransferDeadline() {
        return onReader ? System.nanoTime() + QUICK_UPLOAD_WAIT.toNanos() : 0;
    }

    /**
     * The rest of a transfer that began on the reader thread and ran out of its time there (see
     * {@link MovedToWorker}): the worker runs it next, before any later command; meanwhile the
     * reader sees the transfer running (ABOR, STAT) as for any transfer on the worker.
     */
    void continueOnWorker(SessionWork rest) {
        if (!onReader || pendingContinuation != null) {
            throw new IllegalStateException("session " + session.id() + ": a transfer's rest can move to the worker only from the reader, once");
        }
        pendingContinuation = rest;
    }

    /** Thrown by handOverUnlessQuick and requireWorker: the command must run on the worker. */
    static final class NotQuick extends RuntimeException {
        static final NotQuick INSTANCE = new NotQuick();

        private NotQuick() {
            super("command handed to the worker", null, false, false);
        }
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
     * at most {@link #CONTROL_CHECK_LIMIT} for a reader the scheduler does not run. On the reader
     * itself (an upload that began there) it reads what has arrived without waiting; input found
     * there (an ABOR, perhaps) must be read first, so the upload moves to the worker
     * ({@link MovedToWorker}), which asks again.
     */
    boolean controlConnectionEnded() throws IOException {
        if (onReader) {
            // This thread is the control connection's reader: it looks itself, without waiting.
            return switch (control.lookWithoutWaiting(lines)) {
                case ENDED -> true;
                case NOTHING -> session.isClosing();
                // a command line arrived (an ABOR, perhaps): the worker decides once the reader has read it
                case INPUT -> throw MovedToWorker.INSTANCE;
            };
        }
        Thread r = reader;
        if (session.isClosing() || r == null || r == Thread.currentThread() || !r.isVirtual()) {
            return session.isClosing(); // (a platform thread blocked in a read would not retry on unpark)
        }
        LockSupport.unpark(r);
        long deadline = System.nanoTime() + CONTROL_CHECK_LIMIT.toNanos();
        for (int round = 0; !session.isClosing(); round++) {
            // unpark took it out of its parked state at once, so parked now means parked again
            Thread.State state = r.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.TERMINATED) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                log.debug("session {}: the reader did not get to check the control connection within {} ms", session.id(),
                        CONTROL_CHECK_LIMIT.toMillis());
                break;
            }
            if (round < 100) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(100_000);
            }
        }
        return session.isClosing();
    }
}
