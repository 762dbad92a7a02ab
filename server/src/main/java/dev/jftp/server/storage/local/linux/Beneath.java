package dev.jftp.server.storage.local.linux;

import static dev.jftp.server.storage.local.linux.LinuxCalls.O_CLOEXEC;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_DIRECTORY;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_NOFOLLOW;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_PATH;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Opens a path beneath a directory handle so that no step can leave it, whatever others change in
 * the tree meanwhile: every step starts from a directory already open, and a symbolic link is
 * followed only as long as it stays beneath. Links within the tree work as usual (relative ones,
 * and absolute ones that spell the directory's real path); a link leading out fails with EXDEV.
 *
 * <p>With {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)} (Linux 5.6+) the kernel does it
 * in one call. The kernel refuses every absolute link under RESOLVE_BENEATH (EXDEV), so those, and
 * kernels without openat2 (ENOSYS) or where a seccomp filter forbids it (EPERM), take the walk: one
 * component at a time with {@code openat(O_PATH | O_NOFOLLOW)} from the directory reached so far,
 * reading each link's text itself (at most {@value #MAX_LINKS} links, as the kernel), with ".."
 * going back to the directory it came through and never above the start.
 */
public final class Beneath {
    /** As the kernel's MAXSYMLINKS: more links on one path is a loop (ELOOP). */
    static final int MAX_LINKS = 40;
    /** openat2 says EAGAIN when a rename elsewhere raced its ".." handling; it is then tried again a few times. */
    private static final int RETRIES = 4;
    private static final byte[] DOT = {'.'};
    private static final byte[] EMPTY = {};

    private static volatile Boolean openat2Works;

    private final boolean useOpenat2;

    private Beneath(boolean useOpenat2) {
        this.useOpenat2 = useOpenat2;
    }

    /** openat2 where the kernel lets us call it, else the walk. */
    public static Beneath best() {
        return new Beneath(openat2Available());
    }

    /** Always the component-by-component walk (what runs without openat2; tests use it to check it). */
    public static Beneath walking() {
        return new Beneath(false);
    }

    public boolean usesOpenat2() {
        return useOpenat2;
    }

    /** Whether openat2 can be called here: found once, by opening "." beneath the working directory. */
    public static boolean openat2Available() {
        Boolean known = openat2Works;
        if (known == null) {
            try {
                LinuxCalls.close(LinuxCalls.openat2(LinuxCalls.AT_FDCWD, DOT, O_PATH | O_CLOEXEC, 0,
                        LinuxCalls.RESOLVE_BENEATH | LinuxCalls.RESOLVE_NO_MAGICLINKS));
                known = true;
            } catch (ErrnoException e) {
                known = false; // ENOSYS (before Linux 5.6), EPERM (seccomp), anything else: the walk works everywhere
            }
            openat2Works = known;
        }
        return known;
    }

    /**
     * Opens {@code path} (components as bytes, none of them "/" or NUL) beneath {@code dirfd},
     * following symbolic links while they stay beneath it, the last component's too.
     *
     * @param anchors the absolute paths of {@code dirfd} (its real path, the path it was named by),
     *                against which absolute links are read: a link to "/srv/ftp/pub/x" is "pub/x"
     *                beneath "/srv/ftp"; with none, no absolute link leads beneath
     * @param flags  {@link LinuxCalls#O_PATH} (possibly with O_DIRECTORY), or a real open of a
     *               directory such as {@code O_RDONLY | O_DIRECTORY}
     * @return a new descriptor (close-on-exec), the caller's to close
     * @throws ErrnoException EXDEV for a path that leads out, or the error of the step that failed
     */
    public int open(int dirfd, List<byte[]> anchors, List<byte[]> path, int flags) throws ErrnoException {
        if (path.isEmpty()) {
            return LinuxCalls.openat(dirfd, DOT, flags | O_CLOEXEC, 0);
        }
        if (useOpenat2) {
            byte[] joined = join(path);
            for (int attempt = 0; ; attempt++) {
                try {
                    return LinuxCalls.openat2(dirfd, joined, flags | O_CLOEXEC, 0,
                            LinuxCalls.RESOLVE_BENEATH | LinuxCalls.RESOLVE_NO_MAGICLINKS);
                } catch (ErrnoException e) {
                    if (e.errno() == ErrnoException.EXDEV || (e.errno() == ErrnoException.EAGAIN && attempt >= RETRIES)) {
                        break; // an absolute link (or one leading out): the walk tells which
                    }
                    if (e.errno() != ErrnoException.EAGAIN) {
                        throw e;
                    }
                }
            }
        }
        return walk(dirfd, anchors, path, flags);
    }

    private static int walk(int base, List<byte[]> anchors, List<byte[]> path, int flags) throws ErrnoException {
        ArrayDeque<byte[]> todo = new ArrayDeque<>(path);
        ArrayDeque<Integer> through = new ArrayDeque<>(); // the directories walked into, innermost first (base not included)
        int links = 0;
        boolean atDirectory = true; // base is one
        try {
            while (!todo.isEmpty()) {
                byte[] name = todo.pollFirst();
                if (!atDirectory) {
                    throw new ErrnoException("resolve", ErrnoException.ENOTDIR); // "file/x", "file/.", "file/.."
                }
                if (name.length == 0 || Arrays.equals(name, DOT)) {
                    continue;
                }
                if (isDotDot(name)) {
                    if (through.isEmpty()) {
                        throw new ErrnoException("resolve", ErrnoException.EXDEV); // above the start
                    }
                    LinuxCalls.close(through.pop());
                    continue;
                }
                int fd = LinuxCalls.openat(through.isEmpty() ? base : through.peek(), name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                FileStatus status;
                try {
                    status = LinuxCalls.fstat(fd);
                } catch (ErrnoException e) {
                    LinuxCalls.close(fd);
                    throw e;
                }
                if (status.isSymbolicLink()) {
                    byte[] target;
                    try {
                        target = LinuxCalls.readlinkat(fd, EMPTY);
                    } finally {
                        LinuxCalls.close(fd);
                    }
                    if (++links > MAX_LINKS) {
                        throw new ErrnoException("resolve", ErrnoException.ELOOP);
                    }
                    if (target.length > 0 && target[0] == '/') {
                        target = below(anchors, target);
                        if (target == null) {
                            throw new ErrnoException("resolve", ErrnoException.EXDEV);
                        }
                        closeAll(through); // an absolute link starts again at the top
                    }
                    List<byte[]> parts = split(target);
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.addFirst(parts.get(i));
                    }
                    continue;
                }
                through.push(fd);
                atDirectory = status.isDirectory();
            }
            if ((flags & O_DIRECTORY) != 0 && !atDirectory) {
                throw new ErrnoException("resolve", ErrnoException.ENOTDIR);
            }
            if (through.isEmpty() || (flags & O_PATH) == 0) {
                // The start itself, or a directory to open for real: "." of the handle we hold is that very directory.
                return LinuxCalls.openat(through.isEmpty() ? base : through.peek(), DOT, flags | O_CLOEXEC, 0);
            }
            return through.pop();
        } finally {
            closeAll(through);
        }
    }

    /** The part of absolute {@code target} below the first of {@code anchors} it lies in, or null when it lies in none. */
    static byte[] below(List<byte[]> anchors, byte[] target) {
        for (byte[] anchor : anchors) {
            byte[] inside = below(anchor, target);
            if (inside != null) {
                return inside;
            }
        }
        return null;
    }

    /** The part of absolute {@code target} below {@code anchor} ("" for the anchor itself), or null when it lies elsewhere. */
    static byte[] below(byte[] anchor, byte[] target) {
        if (anchor == null) {
            return null;
        }
        int a = anchor.length;
        while (a > 1 && anchor[a - 1] == '/') {
            a--; // "/srv/ftp/" is "/srv/ftp"
        }
        if (a == 1 && anchor[0] == '/') {
            return Arrays.copyOfRange(target, 1, target.length); // everything is below "/"
        }
        if (target.length < a || !Arrays.equals(anchor, 0, a, target, 0, a)) {
            return null;
        }
        if (target.length == a) {
            return EMPTY;
        }
        if (target[a] != '/') {
            return null; // "/srv/ftpx" is not below "/srv/ftp"
        }
        return Arrays.copyOfRange(target, a + 1, target.length);
    }

    /** The components of a link's text; empty ones (from "//" or a trailing "/") are dropped. */
    static List<byte[]> split(byte[] text) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length || text[i] == '/') {
                if (i > start) {
                    parts.add(Arrays.copyOfRange(text, start, i));
                }
                start = i + 1;
            }
        }
        return parts;
    }

    static byte[] join(List<byte[]> path) {
        int length = path.size() - 1;
        for (byte[] p : path) {
            length += p.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] p : path) {
            if (at > 0) {
                joined[at++] = '/';
            }
            System.arraycopy(p, 0, joined, at, p.length);
            at += p.length;
        }
        return joined;
    }

    private static boolean isDotDot(byte[] name) {
        return name.length == 2 && name[0] == '.' && name[1] == '.';
    }

    private static void closeAll(ArrayDeque<Integer> fds) {
        while (!fds.isEmpty()) {
            LinuxCalls.close(fds.pop());
        }
    }
}
