package dev.jftp.server.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.protocol.listing.ListingFormat;
import dev.jftp.server.filesystem.FileEntry;
import dev.jftp.server.filesystem.FileNameTooLongException;
import dev.jftp.server.filesystem.Upload;
import dev.jftp.server.filesystem.UploadMode;
import dev.jftp.server.filesystem.VirtualPath;
import dev.jftp.server.protocol.ControlCharacters;
import dev.jftp.server.security.Permission;
import java.io.IOException;
import java.nio.channels.FileChannel;
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
        s.restartOffset = offset;
        s.reply(ReplyCode.PENDING_FURTHER_INFO, "Restarting at " + offset + ". Send RETR, STOR or APPE to proceed");
    }

    static void retr(FtpSession s, String argument) throws FtpReplyException, IOException {
        long offset = s.takeRestartOffset();
        s.require(Permission.READ);
        VirtualPath path = s.resolve(argument);
        FileChannel file;
        long size;
        try {
            file = s.files.openForRead(path);
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
            long bytes = s.transfer(argument + " (" + size + " bytes)", (connection, progress) ->
                    connection.sendFile(file, offset, size, s.ascii, progress));
            log(s, "RETR", path, bytes, started);
        }
    }

    static void stor(FtpSession s, String argument) throws FtpReplyException, IOException {
        long offset = s.takeRestartOffset();
        VirtualPath path = s.resolve(argument);
        if (offset > 0) {
            requireResumable(s, argument, path, offset);
        }
        receive(s, argument, path, offset > 0 ? UploadMode.RESUME : UploadMode.REPLACE, offset, "STOR");
    }

    /** REST n + STOR resumes an existing file of at least n bytes; a missing file is refused before anything is made. */
    private static void requireResumable(FtpSession s, String argument, VirtualPath path, long offset) throws FtpReplyException {
        s.require(Permission.WRITE);
        try {
            s.files.stat(path);
        } catch (NoSuchFileException e) {
            throw new FtpReplyException(ReplyCode.INVALID_RESTART_POINT, "Restart offset " + offset + " is past the end of " + argument + ": no such file");
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
    }

    static void appe(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.takeRestartOffset(); // APPE always appends at the end (RFC 959); REST has no further meaning
        receive(s, argument, s.resolve(argument), UploadMode.APPEND, 0, "APPE");
    }

    /** STOU (RFC 959, RFC 1123 section 4.1.2.9): store under a name the server makes unique. */
    static void stou(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.takeRestartOffset();
        s.require(Permission.WRITE);
        String base = argument.isEmpty() ? "stou" : s.resolve(argument).name();
        VirtualPath dir = argument.isEmpty() ? s.cwd : s.resolve(argument).parent();
        for (int attempt = 0; attempt < 100; attempt++) {
            String name = attempt == 0 && !argument.isEmpty() ? base : base + "." + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
            VirtualPath candidate = dir.child(name);
            try {
                s.files.stat(candidate);
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
        s.require(Permission.WRITE);
        Upload upload;
        try {
            upload = s.files.openForWrite(path, mode, offset);
        } catch (IOException e) {
            throw uploadRefused(e, argument);
        }
        try (upload) {
            long started = System.nanoTime();
            String description = verb.equals("STOU") ? "FILE: " + argument : argument;
            long bytes = s.transfer(description, (connection, progress) -> {
                try {
                    long n = connection.receiveFile(upload.channel(), s.ascii, progress);
                    if (s.controlConnectionEnded() || s.isTransferAborted()) {
                        // The control connection ended before the data (a client that died: nobody can
                        // be told the upload succeeded), or ABOR ended it: either way not a finished
                        // upload, which must not replace the old file.
                        throw new java.nio.channels.AsynchronousCloseException();
                    }
                    upload.commit();
                    return n;
                } catch (IOException | RuntimeException e) {
                    // Discard the partial data before the failure is answered, so that a client
                    // retrying after a 452 finds the space free again.
                    upload.close();
                    throw e;
                }
            });
            log(s, verb, path, bytes, started);
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
        s.closeDataChannel();
        s.abortRequested = false;
        s.reply(ReplyCode.CLOSING_DATA, "ABOR command successful");
    }

    static void allo(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.SUPERFLUOUS, "ALLO not needed; space is allocated as data arrives");
    }

    /** {@code bytes} is what the transfer returned: the bytes moved, or -1 when it failed (then what it moved before). */
    static void log(FtpSession s, String verb, VirtualPath path, long bytes, long startedNanos) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        String seconds = millis / 1000 + "." + (millis % 1000 + 1000 + "").substring(1); // "%.3f" without a Formatter per file
        xferlog.info("{} session={} user={} client={} path={} bytes={} seconds={} status={}", verb, s.id(), s.userName(),
                s.clientAddress().getHostAddress(), ControlCharacters.escape(path.toString()), bytes >= 0 ? bytes : s.lastTransferBytes, seconds,
                bytes < 0 ? "failed" : "ok");
    }

    /** The RFC 3659 "perm" fact for this session's user. */
    static String perm(FtpSession s, FileEntry entry) {
        return ListingFormat.permFact(entry, s.user.may(Permission.WRITE), s.user.may(Permission.DELETE),
                s.user.may(Permission.RENAME), s.user.may(Permission.MKDIR));
    }
}
