package dev.jftp.server.storage.local.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Linux system calls the jailed file system needs and the JDK does not offer relative to a
 * directory handle ({@code openat2}, {@code mkdirat}, {@code renameat2}, {@code statx},
 * {@code getdents64}...), called through the FFM API (java.lang.foreign). Paths are raw bytes, as
 * the kernel sees them; each call takes a fresh confined arena for its arguments. A failure is an
 * {@link ErrnoException}; calls interrupted by a signal (EINTR) are repeated, but close.
 *
 * <p>Only Linux on x86-64 and AArch64 ({@link #SUPPORTED}): the two differ in O_DIRECTORY and
 * O_NOFOLLOW, and the structures used (open_how, statx, linux_dirent64, timespec) are the same on
 * both. {@code openat2} is called through {@code syscall(2)}, since glibc before 2.40 (Debian 12
 * has 2.36) has no wrapper for it; its number, 437, is the same on every architecture.
 */
public final class LinuxCalls {
    private static final String ARCH = System.getProperty("os.arch");
    private static final boolean AARCH64 = "aarch64".equals(ARCH);
    /** True where these calls and constants are right: Linux on x86-64 or AArch64. */
    public static final boolean SUPPORTED = "Linux".equals(System.getProperty("os.name"))
            && (AARCH64 || "amd64".equals(ARCH) || "x86_64".equals(ARCH));

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
    public static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    public static final int O_CLOEXEC = 02000000;
    /** open(2): a file without a name in the directory given, for {@link #linkat} to name later (Linux 3.11+). */
    public static final int O_TMPFILE = 020000000 | O_DIRECTORY;
    /** A handle that names a file without opening it: no driver's open runs, nothing can block. */
    public static final int O_PATH = 010000000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int AT_SYMLINK_FOLLOW = 0x400;

    /** openat2: no "..", absolute path or symbolic link may lead out of the starting directory (EXDEV). */
    public static final long RESOLVE_BENEATH = 0x08;
    /** openat2: no /proc magic links (they jump anywhere). */
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;

    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;

    private static final long SYS_OPENAT2 = 437;
    /** STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_INO | STATX_SIZE */
    private static final int STATX_WANTED = 0x1 | 0x2 | 0x40 | 0x100 | 0x200;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final byte[] EMPTY = {};
    private static final int PATH_MAX = 4096;

    private LinuxCalls() {
    }

    /** The path that reaches the file open as {@code fd} itself, whatever its name is now. */
    public static byte[] procPath(int fd) {
        return ("/proc/self/fd/" + fd).getBytes(StandardCharsets.US_ASCII);
    }

    public static int openat(int dirfd, byte[] path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment p = cString(arena, path);
            while (true) {
                int fd = (int) Libc.OPENAT.invokeExact(state, dirfd, p, flags, mode);
                if (fd >= 0) {
                    return fd;
                }
                retryOrThrow("openat", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * openat2(2): opens {@code path} relative to {@code dirfd} with the RESOLVE_* restrictions in
     * {@code resolve}. ENOSYS where the kernel is older than 5.6, EPERM where a seccomp filter
     * forbids it.
     */
    public static int openat2(int dirfd, byte[] path, long flags, long mode, long resolve) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment p = cString(arena, path);
            MemorySegment how = arena.allocate(24, 8); // struct open_how { u64 flags, mode, resolve; }
            how.set(JAVA_LONG, 0, flags);
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            while (true) {
                long fd = (long) Libc.SYSCALL_OPENAT2.invokeExact(state, SYS_OPENAT2, (long) dirfd, p, how, 24L);
                if (fd >= 0) {
                    return (int) fd;
                }
                retryOrThrow("openat2", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Closes {@code fd}; never repeated (on Linux the descriptor is gone even when close fails) and never fails. */
    public static void close(int fd) {
        try {
            int ignored = (int) Libc.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * pwrite(2) of what is left of {@code src} at {@code position} of the file open as {@code fd};
     * advances {@code src} by the bytes written and returns their number. A direct buffer is passed
     * as it is; a heap buffer is copied to native memory first, as the JDK's own channels do.
     */
    public static int pwrite(int fd, ByteBuffer src, long position) throws ErrnoException {
        int length = src.remaining();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment bytes;
            if (src.isDirect()) {
                bytes = MemorySegment.ofBuffer(src);
            } else {
                bytes = arena.allocate(length);
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, bytes, 0, length);
            }
            long n;
            while ((n = (long) Libc.PWRITE.invokeExact(state, fd, bytes, (long) length, position)) < 0) {
                retryOrThrow("pwrite", state);
            }
            src.position(src.position() + (int) n);
            return (int) n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void mkdirat(int dirfd, byte[] name, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment p = cString(arena, name);
            while ((int) Libc.MKDIRAT.invokeExact(state, dirfd, p, mode) != 0) {
                retryOrThrow("mkdirat", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** unlinkat(2): never follows a symbolic link; {@link #AT_REMOVEDIR} for a directory. */
    public static void unlinkat(int dirfd, byte[] name, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment p = cString(arena, name);
            while ((int) Libc.UNLINKAT.invokeExact(state, dirfd, p, flags) != 0) {
                retryOrThrow("unlinkat", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** renameat2(2): neither name is followed if it is a symbolic link; flags {@link #RENAME_NOREPLACE}, {@link #RENAME_EXCHANGE}. */
    public static void renameat2(int fromDir, byte[] from, int toDir, byte[] to, int flags) throws ErrnoException {
        fromTo(Libc.RENAMEAT2, "renameat2", fromDir, from, toDir, to, flags);
    }

    /**
     * linkat(2): a new name {@code to} in {@code toDir} for the file {@code from} relative to
     * {@code fromDir}, or for the open file {@code fromDir} itself with an empty {@code from} and
     * {@link #AT_EMPTY_PATH}. Never replaces: EEXIST when {@code to} exists, a symbolic link included.
     */
    public static void linkat(int fromDir, byte[] from, int toDir, byte[] to, int flags) throws ErrnoException {
        fromTo(Libc.LINKAT, "linkat", fromDir, from, toDir, to, flags);
    }

    /** A call of the form {@code int call(int fromDir, const char *from, int toDir, const char *to, int flags)}. */
    private static void fromTo(MethodHandle function, String call, int fromDir, byte[] from, int toDir, byte[] to, int flags)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment f = cString(arena, from);
            MemorySegment t = cString(arena, to);
            while ((int) function.invokeExact(state, fromDir, f, toDir, t, flags) != 0) {
                retryOrThrow(call, state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** statx(2) of {@code path} relative to {@code dirfd}; {@link #AT_SYMLINK_NOFOLLOW} for a link itself. */
    public static FileStatus statx(int dirfd, byte[] path, int flags) throws ErrnoException {
        FileStatus status = statxIfExists(dirfd, path, flags);
        if (status == null) {
            throw new ErrnoException("statx", ErrnoException.ENOENT);
        }
        return status;
    }

    /**
     * As {@link #statx}, but null where there is no such file: an upload's new name, the usual
     * case, then throws and catches nothing.
     */
    public static FileStatus statxIfExists(int dirfd, byte[] path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment p = cString(arena, path);
            MemorySegment buffer = arena.allocate(256, 8); // struct statx
            while ((int) Libc.STATX.invokeExact(state, dirfd, p, flags, STATX_WANTED, buffer) != 0) {
                if ((int) Libc.ERRNO.get(state, 0L) == ErrnoException.ENOENT) {
                    return null;
                }
                retryOrThrow("statx", state);
            }
            // struct statx: stx_mode u16 @28, stx_ino u64 @32, stx_size u64 @40, stx_mtime {s64 sec @112, u32 nsec @120},
            // stx_dev_major u32 @136, stx_dev_minor u32 @140
            int mode = buffer.get(JAVA_SHORT, 28) & 0xffff;
            long major = buffer.get(JAVA_INT, 136) & 0xffffffffL;
            long minor = buffer.get(JAVA_INT, 140) & 0xffffffffL;
            // glibc's makedev(), so that the device reads as the JDK's file keys print it
            long device = ((major & 0x00000fffL) << 8) | ((major & 0xfffff000L) << 32) | (minor & 0xffL) | ((minor & 0xffffff00L) << 12);
            return new FileStatus(mode, buffer.get(JAVA_LONG, 40), buffer.get(JAVA_LONG, 112), buffer.get(JAVA_INT, 120), device,
                    buffer.get(JAVA_LONG, 32));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The status of the open file {@code fd} itself (a symbolic link, when it is an O_PATH handle of one). */
    public static FileStatus fstat(int fd) throws ErrnoException {
        return statx(fd, EMPTY, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
    }

    /** readlinkat(2): the text of a symbolic link (with an empty path: the link open as {@code dirfd}). */
    public static byte[] readlinkat(int dirfd, byte[] path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment p = cString(arena, path);
            MemorySegment buffer = arena.allocate(PATH_MAX);
            long n;
            while ((n = (long) Libc.READLINKAT.invokeExact(state, dirfd, p, buffer, (long) PATH_MAX)) < 0) {
                retryOrThrow("readlinkat", state);
            }
            if (n >= PATH_MAX) {
                throw new ErrnoException("readlinkat", ErrnoException.ENAMETOOLONG);
            }
            return buffer.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The absolute path the kernel knows for the open file {@code fd} (its /proc/self/fd link). */
    public static byte[] pathOf(int fd) throws ErrnoException {
        return readlinkat(AT_FDCWD, procPath(fd));
    }

    public static void fchmod(int fd, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            while ((int) Libc.FCHMOD.invokeExact(state, fd, mode) != 0) {
                retryOrThrow("fchmod", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Changes the permission bits of the file open as {@code fd}, also when it is an O_PATH handle,
     * which fchmod(2) refuses: through its /proc/self/fd link, which leads to that very file, as glibc does.
     */
    public static void chmodOpen(int fd, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment p = cString(arena, procPath(fd));
            while ((int) Libc.FCHMODAT.invokeExact(state, AT_FDCWD, p, mode, 0) != 0) {
                retryOrThrow("fchmodat", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Sets the modification time of the file open as {@code fd} (an O_PATH handle too); the access time stays. */
    public static void setModifiedOpen(int fd, long seconds, int nanos) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment p = cString(arena, procPath(fd));
            MemorySegment times = arena.allocate(32, 8); // struct timespec[2]: access, modification
            times.set(JAVA_LONG, 0, 0);
            times.set(JAVA_LONG, 8, UTIME_OMIT);
            times.set(JAVA_LONG, 16, seconds);
            times.set(JAVA_LONG, 24, nanos);
            while ((int) Libc.UTIMENSAT.invokeExact(state, AT_FDCWD, p, times, 0) != 0) {
                retryOrThrow("utimensat", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * getdents64(2): fills {@code into} with linux_dirent64 records of the directory open as
     * {@code fd}; the number of bytes, 0 at the end.
     */
    public static int getdents64(int fd, byte[] into) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment buffer = arena.allocate(into.length, 8);
            long n;
            while ((n = (long) Libc.GETDENTS64.invokeExact(state, fd, buffer, (long) into.length)) < 0) {
                retryOrThrow("getdents64", state);
            }
            MemorySegment.copy(buffer, JAVA_BYTE, 0, into, 0, (int) n);
            return (int) n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Returns (to repeat the call) on EINTR; throws the call's error otherwise. */
    private static void retryOrThrow(String call, MemorySegment state) throws ErrnoException {
        int errno = (int) Libc.ERRNO.get(state, 0L);
        if (errno != ErrnoException.EINTR) {
            throw new ErrnoException(call, errno);
        }
    }

    private static MemorySegment cString(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(bytes.length + 1L); // zeroed: the last byte is the NUL
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
        return s;
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** The C library's functions, looked up when first needed (so that the constants work anywhere). */
    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");

        static final MethodHandle OPENAT = function("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), SAVE_ERRNO, Linker.Option.firstVariadicArg(3));
        static final MethodHandle SYSCALL_OPENAT2 = function("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), SAVE_ERRNO, Linker.Option.firstVariadicArg(1));
        static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle MKDIRAT = function("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), SAVE_ERRNO);
        static final MethodHandle UNLINKAT = function("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), SAVE_ERRNO);
        static final MethodHandle RENAMEAT2 = function("renameat2",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), SAVE_ERRNO);
        static final MethodHandle LINKAT = function("linkat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), SAVE_ERRNO);
        static final MethodHandle STATX = function("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), SAVE_ERRNO);
        static final MethodHandle READLINKAT = function("readlinkat",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), SAVE_ERRNO);
        static final MethodHandle FCHMOD = function("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), SAVE_ERRNO);
        static final MethodHandle FCHMODAT = function("fchmodat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), SAVE_ERRNO);
        static final MethodHandle UTIMENSAT = function("utimensat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), SAVE_ERRNO);
        static final MethodHandle PWRITE = function("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), SAVE_ERRNO);
        static final MethodHandle GETDENTS64 = function("getdents64",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), SAVE_ERRNO);

        private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
            MemorySegment address = LINKER.defaultLookup().find(name)
                    .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name + "()"));
            return LINKER.downcallHandle(address, descriptor, options);
        }
    }
}
