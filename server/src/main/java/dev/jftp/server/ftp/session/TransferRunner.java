package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.ftp.data.DataChannel;
import dev.jftp.server.ftp.data.DataConnection;
import dev.jftp.server.ftp.data.DataConnectionLostException;
import dev.jftp.server.ftp.data.TransferProgress;
import dev.jftp.server.tls.DataTlsException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the transfers of one session (RETR, STOR, APPE, STOU, listings): opens the data connection
 * the client asked for, announces it with 150, protects it (PROT P), runs the body, and answers 226,
 * or 425/426/451/452 for what went wrong. Every transfer ends in {@link #transfer}'s last block,
 * the one place to count them.
 *
 * <p>ABOR and the end of the session come from the reader thread while the worker runs the
 * transfer: {@link #abortRequested()} stops the transfer running or about to start,
 * {@link #progressReport()} answers STAT meanwhile.
 */
public final class TransferRunner {
    private static final Logger log = LoggerFactory.getLogger(TransferRunner.class);

    private final FtpSession session;

    /** Set by the reader when ABOR arrives; stops the transfer running or about to start; ABOR's handler clears it. */
    private volatile boolean abortRequested;

    /** The transfer now running, if any; read by the reader thread for ABOR and STAT. */
    private volatile RunningTransfer transfer;

    /** The data channel a transfer command is waiting to connect; ABOR or a client gone closes it. */
    private volatile DataChannel opening;

    /** Bytes the last transfer moved over the data connection, also when it failed (for the transfer log). */
    private long lastTransferBytes;

    /** A transfer in progress: its data connection (closed by ABOR) and its byte count. */
    private record RunningTransfer(String description, DataConnection connection, TransferProgress progress, boolean[] aborted) {
        void abort() {
            aborted[0] = true;
            try {
                connection.abort();
            } catch (IOException e) {
                log.debug("closing aborted data connection: {}", e.toString());
            }
        }
    }

    /** What a transfer does with its open data connection; returns the bytes moved. */
    @FunctionalInterface
    public interface TransferBody {
        long run(DataConnection connection, TransferProgress progress) throws IOException;
    }

    TransferRunner(FtpSession session) {
        this.session = session;
    }

    /** What an upload does once it is over: {@code bytes} as {@link #transfer} returns them. */
    @FunctionalInterface
    public interface TransferEnd {
        void ended(long bytes) throws IOException;
    }

    /**
     * Opens the data connection, announces it with 150, runs the body and answers 226, or 425/426/451/452
     * when it fails. Returns the bytes moved, or -1 when the transfer did not complete.
     */
    public long transfer(String description, TransferBody body) throws IOException, FtpReplyException {
        return finish(open(description), true, body);
    }

    /**
     * An upload, which may begin on the reader thread (see SessionThreads.handOverUnlessQuickUpload):
     * as {@link #transfer}, then {@code end}. When the body cannot finish on the reader without
     * waiting (it throws {@link MovedToWorker}), its rest goes to the worker: the same
     * body again, which goes on where it stopped, then the reply and {@code end}, there. Either way
     * {@code end} runs once, also when the transfer fails, unless the data connection could not be
     * opened (then this throws and {@code end} never runs).
     */
    public void upload(String description, TransferBody body, TransferEnd end) throws IOException, FtpReplyException {
        RunningTransfer running = open(description);
        long bytes = -1;
        try {
            bytes = finish(running, true, body);
        } catch (MovedToWorker moved) {
            session.continueOnWorker(() -> {
                long rest = -1;
                try {
                    rest = finish(running, false, body);
                } finally {
                    end.ended(rest);
                }
            });
            return;
        } catch (IOException | RuntimeException | Error e) {
            end.ended(-1);
            throw e;
        }
        end.ended(bytes);
    }

    /** Opens the transfer's data connection; from here on it is the running transfer (ABOR, STAT). */
    private RunningTransfer open(String description) throws IOException, FtpReplyException {
        SessionState state = session.state();
        SessionContext context = session.context();
        DataChannel channel = state.takeDataChannel();
        if (channel == null) {
            throw new FtpReplyException(ReplyCode.CANT_OPEN_DATA, "Use PORT, EPRT, PASV or EPSV first");
        }
        if (state.tls() != null && !state.protectData() && context.config().tls().required()) {
            channel.close();
            throw new FtpReplyException(ReplyCode.PROTECTION_DENIED, "Data connections must be protected on this server: send PBSZ 0 and PROT P");
        }
        DataConnection connection;
        // The reader sets abortRequested, then looks at opening and transfer; this thread sets them,
        // then looks at abortRequested: whichever comes second sees the other, so no ABOR is missed.
        opening = channel;
        try {
            if (abortRequested || session.isClosing()) {
                throw new AsynchronousCloseException();
            }
            connection = channel.open(context.config().dataTimeout());
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
        if (abortRequested || session.isClosing()) {
            running.abort();
        }
        context.transferStarted();
        return running;
    }

    /**
     * Announces the transfer (unless it was, on the reader), runs the body and answers; the one end
     * of every transfer that was opened, except one whose rest moved to the worker, which ends there.
     */
    private long finish(RunningTransfer running, boolean announce, TransferBody body) throws IOException {
        SessionState state = session.state();
        SessionContext context = session.context();
        DataConnection connection = running.connection();
        boolean moved = false;
        try {
            if (announce) {
                session.reply(ReplyCode.OPENING_DATA_CONNECTION, "Opening " + (state.ascii() ? "ASCII" : "BINARY") + " mode"
                        + (state.protectData() ? " TLS" : "") + " data connection for " + running.description());
                if (state.protectData()) {
                    boolean secured = false;
                    try {
                        connection.secure(state.tls(), context.config().tls().handshakeTimeout());
                        secured = true;
                    } finally {
                        context.metrics().tlsHandshake(secured);
                    }
                }
            }
            long bytes = body.run(connection, running.progress());
            connection.close();
            session.reply(ReplyCode.CLOSING_DATA, "Transfer complete");
            return bytes;
        } catch (MovedToWorker e) {
            moved = true; // the rest, this end included, runs on the worker (see upload)
            throw e;
        } catch (IOException e) {
            String description = running.description();
            log.debug("session {}: transfer of {} ended by {}", session.id(), description, e.toString());
            if (session.isShuttingDown()) {
                // RFC 959 section 4.2: 421 tells the client the service, not just this transfer, is going away.
                session.reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Server shutting down; transfer aborted");
            } else if (running.aborted()[0] || session.isEnding()) {
                session.reply(ReplyCode.TRANSFER_ABORTED, "Connection closed; transfer aborted");
            } else if (e instanceof DataTlsException) {
                log.info("session {}: data connection for {} refused: {}", session.id(), ControlCharacters.escape(description), e.getMessage());
                session.reply(ReplyCode.CANT_OPEN_DATA, "Can't open data connection: " + e.getMessage());
            } else if (FtpReplyException.isDiskFull(e)) {
                session.reply(ReplyCode.INSUFFICIENT_STORAGE, "Insufficient storage space; transfer aborted");
            } else if (e instanceof SocketException || e instanceof ClosedChannelException || e instanceof DataConnectionLostException
                    || e instanceof SSLException || isConnectionLost(e)) {
                session.reply(ReplyCode.TRANSFER_ABORTED, "Data connection lost; transfer aborted");
            } else {
                log.info("session {}: transfer of {} failed: {}", session.id(), ControlCharacters.escape(description),
                        ControlCharacters.escape(e.toString()));
                session.reply(ReplyCode.LOCAL_ERROR, "Local error: " + e.getMessage());
            }
            return -1;
        } finally {
            if (!moved) {
                lastTransferBytes = running.progress().bytes();
                transfer = null;
                context.transferEnded();
                try {
                    connection.close();
                } catch (IOException e) {
                    log.debug("closing data connection: {}", e.toString());
                }
            }
        }
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

    /** Bytes the last transfer moved, also when it failed. */
    public long lastTransferBytes() {
        return lastTransferBytes;
    }

    /** True when ABOR (or the end of the session) stopped the transfer now running. */
    public boolean isAborted() {
        RunningTransfer t = transfer;
        return t != null && t.aborted()[0];
    }

    public boolean isRunning() {
        return transfer != null;
    }

    /** ABOR has been answered: the next transfer may run. */
    public void abortAnswered() {
        abortRequested = false;
    }

    /** ABOR arrived (reader thread): stops the transfer running, or the one about to start. */
    void abortRequested() {
        abortRequested = true;
        stop();
    }

    /** Stops the transfer running, or the wait for its data connection (the client went, the session ends). */
    void stop() {
        RunningTransfer t = transfer;
        if (t != null) {
            t.abort();
        }
        DataChannel waiting = opening;
        if (waiting != null) {
            waiting.close();
        }
    }

    /** Aborts the transfer running, if any; the data connection it waits for is left to its timeout. */
    void abortRunning() {
        RunningTransfer t = transfer;
        if (t != null) {
            t.abort();
        }
    }

    /** STAT during a transfer (RFC 959 section 4.1.3): what runs, and how far it got; null when nothing runs. */
    String progressReport() {
        RunningTransfer t = transfer;
        return t == null ? null : "Transfer in progress: " + t.description() + ", " + t.progress().bytes() + " bytes so far";
    }

    /**
     * A transfer that moved no byte since the last look, which a client that stopped sending or
     * reading causes: it is aborted, since it must not hold the session for ever. False when
     * nothing runs or it moves.
     */
    boolean abortIfStalled() {
        RunningTransfer running = transfer;
        if (running != null && running.progress().stalledSinceLastCheck()) {
            log.info("session {}: transfer of {} stalled; aborting it", session.id(), ControlCharacters.escape(running.description()));
            running.abort();
            return true;
        }
        return false;
    }
}
