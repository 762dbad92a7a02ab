package dev.jftp.server.ftp.command;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.ftp.session.MovedToWorker;
import dev.jftp.server.ftp.session.SessionState;
import dev.jftp.server.ftp.session.TransferRunner;
import dev.jftp.server.metrics.JftpdMetrics;
import dev.jftp.server.storage.FileNameTooLongException;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Commands that move file content over a data connection: RETR, STOR, STOU, APPE, REST, ABOR, ALLO. */
final class TransferCommands {
    /** One line per transfer, like xferlog: direction, user, path, bytes, seconds, status. */
    private static final Logger xferlog = LoggerFactory.getLogger("dev.jftp.xferlog");

    private TransferCommands() {
    }

    /** REST n (RFC 3659 section 5): the next RETR, STOR or APPE starts at byte n. */
    static void rest(FtpSession s, String argument) throws FtpReplyException, IOException {
        long offset;
        try {
            offset = Long.parseLong(argument.trim());
        } catch (NumberFormatException e) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "REST needs a byte offset");
        }
        if (offset < 0) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "REST offset must not be negative");
        }
        s.state().setRestartOffset(offset);
        s.reply(ReplyCode.PENDING_FURTHER_INFO, "Restarting at " + offset + ". Send RETR, STOR or APPE to proceed");
    }

    static void retr(FtpSession s, String argument) throws FtpReplyException, IOException {
        SessionState state = s.state();
        if (!state.mayBeQuickDownload()) {
            s.requireWorker(); // a quick download is binary, in the clear, over a passive connection (see handOverUnlessQuick)
        }
        long offset = state.takeRestartOffset();
        state.require(Permission.READ);
        VirtualPath path = state.resolve(argument);
        SeekableByteChannel file;
        long size;
        try {
            file = state.files().openForRead(path);
            size = file.size();
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        try (file) {
            if (offset > size) {
                throw new FtpReplyException(ReplyCode.INVALID_RESTART_POINT, "Restart offset " + offset + " is past the end of the file (" + size + " bytes)");
            }
            s.handOverUnlessQuick(size - offset, offset);
            long started = System.nanoTime();
            boolean ascii = state.ascii();
            long bytes = s.transfers().transfer(argument + " (" + size + " bytes)", (connection, progress) ->
                    connection.send(file, offset, size, ascii, progress));
            log(s, "RETR", path, bytes, started);
        }
    }

    static void stor(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.handOverUnlessQuickUpload(); // before anything is taken or opened
        long offset = s.state().takeRestartOffset();
        VirtualPath path = s.state().resolve(argument);
        if (offset > 0) {
            if (!s.state().files().capabilities().resumeInPlace()) {
                throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED,
                        "REST " + offset + " with STOR is not available on this server's storage: send the whole file");
            }
            requireResumable(s, argument, path, offset);
        }
        receive(s, argument, path, offset > 0 ? UploadMode.RESUME : UploadMode.REPLACE, offset, "STOR");
    }

    /** REST n + STOR resumes an existing file of at least n bytes; a missing file is refused before anything is made. */
    private static void requireResumable(FtpSession s, String argument, VirtualPath path, long offset) throws FtpReplyException {
        s.state().require(Permission.WRITE);
        try {
            s.state().files().stat(path);
        } catch (NoSuchFileException e) {
            throw new FtpReplyException(ReplyCode.INVALID_RESTART_POINT, "Restart offset " + offset + " is past the end of " + argument + ": no such file");
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
    }

    static void appe(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.state().takeRestartOffset(); // APPE always appends at the end (RFC 959); REST has no further meaning
        if (!s.state().files().capabilities().resumeInPlace()) {
            throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "APPE is not available on this server's storage: it cannot append to a file");
        }
        receive(s, argument, s.state().resolve(argument), UploadMode.APPEND, 0, "APPE");
    }

    /** STOU (RFC 959, RFC 1123 section 4.1.2.9): store under a name the server makes unique. */
    static void stou(FtpSession s, String argument) throws FtpReplyException, IOException {
        SessionState state = s.state();
        state.takeRestartOffset();
        state.require(Permission.WRITE);
        String base = argument.isEmpty() ? "stou" : state.resolve(argument).name();
        VirtualPath dir = argument.isEmpty() ? state.cwd() : state.resolve(argument).parent();
        for (int attempt = 0; attempt < 100; attempt++) {
            String name = attempt == 0 && !argument.isEmpty() ? base : base + "." + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
            VirtualPath candidate = dir.child(name);
            try {
                state.files().stat(candidate);
                continue; // taken
            } catch (NoSuchFileException free) {
                receive(s, name, candidate, UploadMode.REPLACE, 0, "STOU");
                return;
            } catch (IOException e) {
                throw uploadRefused(e, name);
            }
        }
        throw new FtpReplyException(ReplyCode.FILE_NAME_NOT_ALLOWED, "Could not find a unique file name");
    }

    private static void receive(FtpSession s, String argument, VirtualPath path, UploadMode mode, long offset, String verb)
            throws FtpReplyException, IOException {
        s.state().require(Permission.WRITE);
        UploadSink upload;
        try {
            upload = s.state().files().openForWrite(path, mode, offset);
        } catch (IOException e) {
            throw uploadRefused(e, argument);
        }
        long started = System.nanoTime();
        String description = verb.equals("STOU") ? "FILE: " + argument : argument;
        boolean ascii = s.state().ascii();
        // Begun on the reader thread, the body may stop with MovedToWorker and run again on the
        // worker (see TransferRunner.upload): it goes on where it stopped, since the file channel
        // and the data connection keep their positions, and only binary uploads begin there.
        TransferRunner.TransferBody body = (connection, progress) -> {
            try {
                long deadline = s.quickTransferDeadline(); // (0 on the worker, where uploads wait as long as the data takes)
                long n;
                if (deadline == 0) {
                    n = s.receiveOnUploadThread(() -> connection.receiveFile(upload.channel(), ascii, progress));
                } else if (connection.receiveFileBefore(upload.channel(), progress, deadline, FtpSession.QUICK_UPLOAD_LIMIT)) {
                    n = progress.bytes();
                } else {
                    throw MovedToWorker.INSTANCE;
                }
                if (s.controlConnectionEnded() || s.transfers().isAborted()) {
                    // The control connection ended before the data (a client that died: nobody can
                    // be told the upload succeeded), or ABOR ended it: either way not a finished
                    // upload, which must not replace the old file.
                    throw new java.nio.channels.AsynchronousCloseException();
                }
                upload.commit();
                return ascii ? n : progress.bytes();
            } catch (MovedToWorker moved) {
                throw moved; // not a failure: the rest runs on the worker
            } catch (IOException | RuntimeException e) {
                // Discard the partial data before the failure is answered, so that a client
                // retrying after a 452 finds the space free again.
                upload.close();
                throw e;
            }
        };
        try {
            s.transfers().upload(description, body, bytes -> {
                upload.close();
                log(s, verb, path, bytes, started);
            });
        } catch (FtpReplyException | IOException | RuntimeException e) {
            upload.close(); // no data connection (else the transfer's end closed it already: closing twice does nothing)
            throw e;
        }
    }

    /** The reply to an upload that cannot start: 553 (RFC 959: file name not allowed) for a name taken or too long, before any data. */
    private static FtpReplyException uploadRefused(IOException e, String argument) {
        return switch (e) {
            case FileAlreadyExistsException exists -> new FtpReplyException(ReplyCode.FILE_NAME_NOT_ALLOWED, argument + ": File exists");
            case FileNameTooLongException tooLong -> new FtpReplyException(ReplyCode.FILE_NAME_NOT_ALLOWED, argument + ": " + tooLong.getReason());
            default -> FtpReplyException.of(e, argument);
        };
    }

    /**
     * ABOR (RFC 959 section 4.1.3): the reader thread already stopped the transfer running or about
     * to start (which answered 426); either way ABOR itself is answered 226.
     */
    static void abor(FtpSession s, String argument) throws IOException {
        s.state().closeDataChannel();
        s.transfers().abortAnswered();
        s.reply(ReplyCode.CLOSING_DATA, "ABOR command successful");
    }

    static void allo(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.SUPERFLUOUS, "ALLO not needed; space is allocated as data arrives");
    }

    /** {@code bytes} is what the transfer returned: the bytes moved, or -1 when it failed (then what it moved before). */
    static void log(FtpSession s, String verb, VirtualPath path, long bytes, long startedNanos) {
        long nanos = System.nanoTime() - startedNanos;
        s.context().metrics().transferFinished(verb.equals("RETR") ? JftpdMetrics.Direction.DOWNLOAD : JftpdMetrics.Direction.UPLOAD,
                bytes >= 0 ? bytes : s.transfers().lastTransferBytes(), nanos, bytes >= 0);
        if (!xferlog.isInfoEnabled()) {
            return; // at WARN and above (as the benchmark runs): no path escaped, no seconds formatted
        }
        long millis = nanos / 1_000_000;
        String seconds = millis / 1000 + "." + (millis % 1000 + 1000 + "").substring(1); // "%.3f" without a Formatter per file
        xferlog.info("{} session={} user={} client={} path={} bytes={} seconds={} status={}", verb, s.id(), s.state().userName(),
                s.clientAddress().getHostAddress(), ControlCharacters.escape(path.toString()), bytes >= 0 ? bytes : s.transfers().lastTransferBytes(), seconds,
                bytes < 0 ? "failed" : "ok");
    }
}
