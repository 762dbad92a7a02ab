package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.ftp.control.ControlLineReader;
import dev.jftp.server.tls.TlsConfig;
import dev.jftp.server.tls.TlsSession;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control connection of one session: command lines in (each read within the idle timeout, see
 * {@link #lineReader}), replies out (each in one write of its whole text), the switch to TLS (AUTH
 * TLS, implicit FTPS) and the close.
 */
final class ControlChannel {
    private static final Logger log = LoggerFactory.getLogger(ControlChannel.class);

    private final Socket socket;
    private final long sessionId;
    private final Duration idleTimeout;
    /** Replaced by the TLS stream once TLS is up; guarded by writeLock. */
    private OutputStream out;
    private final Object writeLock = new Object();
    private volatile TlsSession tls;

    /**
     * When the last reply was written: every command and every transfer ends with one, so idle
     * time counts from here (see ControlInput). Written under writeLock, read by the reader.
     */
    private volatile long lastReplyNanos = System.nanoTime();

    /**
     * When the reply being written began ({@link System#nanoTime()}), or 0 when none is. A reply
     * write blocks once the client stops reading and the socket buffers are full; sockets have no
     * write timeout, so the listener's watchdog reads this (see {@link #replyStuckLongerThan}).
     */
    private volatile long writeStartedNanos;

    /** {@link #watchedReadDeadline} when no read is watched. */
    private static final long NOT_WATCHED = 0;
    /** {@link #watchedReadDeadline} once the watchdog has ended an overdue read. */
    private static final long EXPIRED = Long.MIN_VALUE;
    /**
     * The deadline ({@link System#nanoTime()}) of the read now waiting with no socket timeout, kept
     * by the listener's watchdog instead (see ControlInput.read and {@link #endReadIfOverdue});
     * NOT_WATCHED or EXPIRED otherwise.
     */
    private final AtomicLong watchedReadDeadline = new AtomicLong(NOT_WATCHED);

    ControlChannel(Socket socket, long sessionId, Duration idleTimeout) throws IOException {
        this.socket = socket;
        this.sessionId = sessionId;
        this.idleTimeout = idleTimeout;
        // Each reply goes out in one write of its whole text (see write()): a buffered stream would
        // only copy it, and hold 8 KiB for every idle session.
        this.out = socket.getOutputStream();
    }

    /** Socket options for a control connection, set before the greeting. */
    void configure() throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
        // Clients send ABOR as TCP urgent data (RFC 959 section 4.1.3; Python's ftplib sends the whole
        // "ABOR\r\n" with MSG_OOB): without this the urgent byte, the line's LF, never reaches the reader.
        socket.setOOBInline(true);
        socket.setTcpNoDelay(true);
    }

    TlsSession tls() {
        return tls;
    }

    // ---- replies ----

    /**
     * A reply; line breaks in {@code text} make it a multi-line reply. Any other control character
     * (a bare CR from a client's command line, say) is escaped, see ControlCharacters.
     */
    void reply(ReplyCode code, String text) throws IOException {
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
    void replyLines(ReplyCode code, List<String> lines) throws IOException {
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
    void replyPreparingData(ReplyCode code, String text, boolean protectData) throws IOException {
        TlsSession session = tls;
        if (session == null || !protectData) {
            reply(code, text);
            return;
        }
        byte[] bytes = (code.code() + " " + text + "\r\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            session.writeWithNewTicket(out, bytes);
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

    /** True when the reply being written has waited for the client longer than {@code limit}. */
    boolean replyStuckLongerThan(long nowNanos, Duration limit) {
        long started = writeStartedNanos;
        return started != 0 && nowNanos - started > limit.toNanos();
    }

    // ---- command lines ----

    /**
     * A reader of command lines from the connection as it is now (clear, or TLS once it is up). Each
     * read waits at most the idle timeout counted from the last reply; see {@link ControlInput}.
     *
     * @param busy whether the session is busy (a transfer running, commands queued): then it is not idle
     */
    ControlLineReader lineReader(BooleanSupplier busy) throws IOException {
        return lineReader(tls != null ? tls.controlSocket().getInputStream() : socket.getInputStream(), busy);
    }

    ControlLineReader lineReader(InputStream raw, BooleanSupplier busy) {
        ControlInput input = new ControlInput(raw, busy);
        ControlLineReader reader = new ControlLineReader(input);
        input.reader = reader;
        currentInput = input;
        return reader;
    }

    /**
     * The control connection's input as the line reader sees it. Each read waits at most the idle
     * timeout; once a line has begun, only until that line is the idle timeout old. Without that
     * bound a client sending one byte now and then (slowloris) would hold its session for ever, as
     * every byte would restart the socket's read timeout.
     */
    /** The input of the latest line reader; used by the session's reader thread only. */
    private ControlInput currentInput;

    private final class ControlInput extends FilterInputStream {
        private final BooleanSupplier busy;
        ControlLineReader reader;
        /** See {@link ControlChannel#limitWaitForNextLine}; 0 when reads wait as long as the idle timeout allows. */
        long nextLineLimitNanos;

        ControlInput(InputStream in, BooleanSupplier busy) {
            super(in);
            this.busy = busy;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long idle = idleTimeout.toNanos();
            long started = reader == null ? ControlLineReader.NO_LINE : reader.lineStartedNanos();
            long wait = idle; // while busy: the period of the stall check (see SessionThreads)
            boolean timeoutEnds = true; // the session ends if this read times out (else it reads again)
            if (started != ControlLineReader.NO_LINE) {
                wait = started + idle - System.nanoTime();
                if (wait <= 0) {
                    throw new LineTimeoutException();
                }
            } else if (!busy.getAsBoolean()) {
                // Idle time counts from the end of the last command or transfer (its last reply),
                // not from when this read began: a read that began with a transfer still running
                // would otherwise count the transfer's time as idle.
                wait = lastReplyNanos + idle - System.nanoTime();
                if (wait <= 0) {
                    throw new SocketTimeoutException("idle");
                }
            } else {
                timeoutEnds = false;
            }
            boolean limited = started == ControlLineReader.NO_LINE && nextLineLimitNanos > 0 && nextLineLimitNanos < wait;
            if (limited) {
                wait = nextLineLimitNanos;
            } else if (timeoutEnds && tls == null && Thread.currentThread().isVirtual()) {
                return watchedRead(b, off, len, System.nanoTime() + wait, started != ControlLineReader.NO_LINE);
            }
            socket.setSoTimeout(Math.clamp((wait + 999_999) / 1_000_000, 1, Integer.MAX_VALUE));
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                if (started != ControlLineReader.NO_LINE) {
                    throw new LineTimeoutException();
                }
                if (limited) {
                    throw new NoLineYetException();
                }
                throw e;
            }
        }

        /**
         * A read on the session's virtual thread whose timeout would end the session: it waits with
         * no socket timeout, and the listener's watchdog, which looks every 100 ms, ends it once
         * {@code deadline} has passed ({@link #endReadIfOverdue}). A virtual thread's timed wait
         * costs a timer task scheduled and cancelled with the JDK's one delay-scheduler thread,
         * which each of them wakes: about a sixth of jftpd's CPU in a burst of logins. (Through TLS
         * the JDK would take the shut-down input as the peer's end, and no 421 could follow: those
         * reads keep the socket timeout, as do reads on platform threads, whose timed poll costs
         * nothing extra.)
         */
        private int watchedRead(byte[] b, int off, int len, long deadline, boolean lineStarted) throws IOException {
            if (deadline == NOT_WATCHED || deadline == EXPIRED) {
                deadline++;
            }
            socket.setSoTimeout(0);
            watchedReadDeadline.set(deadline);
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                if (watchedReadDeadline.compareAndSet(deadline, NOT_WATCHED)) {
                    throw e;
                }
                n = -1;
            }
            if (!watchedReadDeadline.compareAndSet(deadline, NOT_WATCHED)) {
                // Ended by the watchdog (what came in just as it did is dropped with the session).
                watchedReadDeadline.set(NOT_WATCHED);
                throw lineStarted ? new LineTimeoutException() : new SocketTimeoutException("idle");
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }
    }

    /**
     * Makes the reads of the latest {@link #lineReader} wait at most {@code limit} for the next line to begin (0: as
     * long as the idle timeout allows, the default); then they throw {@link NoLineYetException}, and
     * the reader may read again. Once a line has begun, its bytes are awaited as always.
     */
    void limitWaitForNextLine(Duration limit) {
        ControlInput input = currentInput;
        if (input != null) {
            input.nextLineLimitNanos = limit.toNanos();
        }
    }

    /** No line began within the limit set by {@link #limitWaitForNextLine}; nothing was lost. */
    static final class NoLineYetException extends SocketTimeoutException {
        NoLineYetException() {
            super("no command line yet");
        }
    }

    /** A command line that took longer than the idle timeout to arrive. */
    static final class LineTimeoutException extends SocketTimeoutException {
        LineTimeoutException() {
            super("command line not completed in time");
        }
    }

    /**
     * Whether {@link #lookWithoutWaiting} can tell: a connection in the clear, accepted as a
     * channel (the listener's are), whose reads can be made not to wait. (Through TLS the bytes
     * read would be records the TLS layer must see.)
     */
    boolean canLookWithoutWaiting() {
        return tls == null && socket.getChannel() != null;
    }

    /**
     * What the client has sent on the control connection since the last line, without waiting:
     * its end, nothing, or input (kept in {@code lines} for the reader). For the reader thread,
     * which alone reads the connection. Where it cannot tell (see {@link #canLookWithoutWaiting}),
     * INPUT: the caller must then look the way that waits.
     */
    ControlLineReader.Available lookWithoutWaiting(ControlLineReader lines) throws IOException {
        SocketChannel channel = socket.getChannel();
        if (lines == null || !canLookWithoutWaiting()) {
            return ControlLineReader.Available.INPUT;
        }
        // Under the write lock: a reply written meanwhile (from another thread: the server stopping)
        // needs the channel in blocking mode.
        synchronized (writeLock) {
            channel.configureBlocking(false);
            try {
                return lines.readAvailable(channel);
            } finally {
                channel.configureBlocking(true);
            }
        }
    }

    /**
     * For the listener's watchdog: ends the read waiting past its deadline with no socket timeout,
     * if there is one (see ControlInput.watchedRead), by shutting the connection's input down, which
     * wakes the reader; replies can still go out. The reader then reports the timeout.
     */
    void endReadIfOverdue(long nowNanos) {
        long deadline = watchedReadDeadline.get();
        if (deadline != NOT_WATCHED && deadline != EXPIRED && nowNanos - deadline >= 0
                && watchedReadDeadline.compareAndSet(deadline, EXPIRED)) {
            try {
                socket.shutdownInput();
            } catch (IOException e) {
                log.debug("session {}: ending an overdue read: {}", sessionId, e.toString());
            }
        }
    }

    /** True when the client has been idle for the idle timeout: no reply for that long. */
    boolean idleSinceLastReply() {
        return System.nanoTime() - lastReplyNanos >= idleTimeout.toNanos();
    }

    // ---- TLS ----

    /**
     * The server side of the control connection's TLS handshake (AUTH TLS after its 234, or implicit
     * FTPS before the greeting); replies go through TLS from then on.
     *
     * @param readAhead bytes of the handshake the reader already took from the connection
     */
    TlsSession secure(byte[] readAhead, TlsConfig config) throws IOException {
        TlsSession session = config.context().startControl(socket, readAhead, config.handshakeTimeout(), config.sessionReuseRequired());
        synchronized (writeLock) {
            out = new BufferedOutputStream(session.controlSocket().getOutputStream(), 8192);
        }
        tls = session;
        log.info("session {}: control connection now TLS ({})", sessionId, session.describe());
        return session;
    }

    // ---- the end ----

    /** No more replies (the client gets a FIN after the last one). */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads and drops what the client sends, until it closes, {@code within} has passed, or {@code limit} bytes. */
    void discardInput(Duration within, int limit) throws IOException {
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

    /** Ends TLS on the control connection with close_notify (RFC 8446 section 6.1). */
    void closeTls() {
        TlsSession session = tls;
        if (session != null) {
            try {
                session.controlSocket().shutdownOutput();
            } catch (IOException e) {
                log.debug("session {}: TLS close of the control connection: {}", sessionId, e.toString());
            }
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing control connection: {}", e.toString());
        }
    }
}
