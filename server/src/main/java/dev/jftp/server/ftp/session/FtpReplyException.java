package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.storage.InvalidOffsetException;
import dev.jftp.server.storage.JailViolationException;
import dev.jftp.server.storage.StorageUnavailableException;
import dev.jftp.server.storage.UnsupportedStorageOperationException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** A command that cannot be carried out, with the reply that says why. */
public final class FtpReplyException extends Exception {
    private final ReplyCode code;
    private final boolean alreadyLogged;

    public FtpReplyException(ReplyCode code, String message) {
        this(code, message, false);
    }

    private FtpReplyException(ReplyCode code, String message, boolean alreadyLogged) {
        super(message, null, false, false);
        this.code = code;
        this.alreadyLogged = alreadyLogged;
    }

    /** A refusal the handler has logged itself, in its own words: the session adds no line of its own. */
    public static FtpReplyException logged(ReplyCode code, String message) {
        return new FtpReplyException(code, message, true);
    }

    public ReplyCode code() {
        return code;
    }

    public boolean alreadyLogged() {
        return alreadyLogged;
    }

    /**
     * The reply for a storage failure on {@code path} (as the client named it). The storage contract
     * speaks in the JDK's file-system exceptions and its own few, whatever the backend.
     */
    public static FtpReplyException of(IOException e, String path) {
        if (isDiskFull(e)) {
            return new FtpReplyException(ReplyCode.INSUFFICIENT_STORAGE, path + ": insufficient storage space");
        }
        return switch (e) {
            case JailViolationException j -> new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, path + ": Permission denied");
            case NoSuchFileException n -> new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, path + ": No such file or directory");
            case AccessDeniedException a -> new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, path + ": Permission denied");
            case FileAlreadyExistsException f -> new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, path + ": File exists");
            case DirectoryNotEmptyException d -> new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, path + ": Directory not empty");
            case NotDirectoryException n -> new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, path + ": Not a directory");
            case InvalidOffsetException o -> new FtpReplyException(ReplyCode.INVALID_RESTART_POINT, path + ": " + o.getReason());
            // Handlers check the capabilities first and answer in their own words; this is the net below them.
            case UnsupportedStorageOperationException u -> new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, path + ": " + u.getReason());
            // A backend that may recover (S3 throttling): 451, "try again later"; its message names no secret.
            case StorageUnavailableException u -> new FtpReplyException(ReplyCode.LOCAL_ERROR, path + ": " + u.getMessage());
            case FileSystemException f when f.getReason() != null -> new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, path + ": " + f.getReason());
            default -> new FtpReplyException(ReplyCode.LOCAL_ERROR, path + ": local error in processing");
        };
    }

    /** ENOSPC and EDQUOT, as the JDK reports them. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
