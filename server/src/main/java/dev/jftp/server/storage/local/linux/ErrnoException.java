package dev.jftp.server.storage.local.linux;

import java.io.IOException;

/**
 * A system call that failed, with its errno. The message names the call and the error
 * ("openat2: No such file or directory"), never a path: whoever knows which path was meant (as the
 * client named it) makes the exception that is shown.
 */
public final class ErrnoException extends IOException {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int EOPNOTSUPP = 95;
    public static final int ESTALE = 116;
    public static final int EDQUOT = 122;

    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + describe(errno), null);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /**
     * No stack trace: these are answers more than accidents (ENOENT for a new upload's name, EXDEV
     * for an absolute link), thrown on ordinary paths, and whoever reports one makes its own exception.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The error's text as strerror(3) gives it in the C locale, which is what the rest of the server matches on (disk full). */
    public String reason() {
        return describe(errno);
    }

    static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case EINTR -> "Interrupted system call";
            case EIO -> "Input/output error";
            case ENXIO -> "No such device or address";
            case EBADF -> "Bad file descriptor";
            case EAGAIN -> "Resource temporarily unavailable";
            case ENOMEM -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case EBUSY -> "Device or resource busy";
            case EEXIST -> "File exists";
            case EXDEV -> "Invalid cross-device link";
            case ENOTDIR -> "Not a directory";
            case EISDIR -> "Is a directory";
            case EINVAL -> "Invalid argument";
            case ENFILE -> "Too many open files in system";
            case EMFILE -> "Too many open files";
            case ETXTBSY -> "Text file busy";
            case EFBIG -> "File too large";
            case ENOSPC -> "No space left on device";
            case EROFS -> "Read-only file system";
            case EMLINK -> "Too many links";
            case ENAMETOOLONG -> "File name too long";
            case ENOSYS -> "Function not implemented";
            case ENOTEMPTY -> "Directory not empty";
            case ELOOP -> "Too many levels of symbolic links";
            case EOPNOTSUPP -> "Operation not supported";
            case ESTALE -> "Stale file handle";
            case EDQUOT -> "Disk quota exceeded";
            default -> "error " + errno;
        };
    }
}
