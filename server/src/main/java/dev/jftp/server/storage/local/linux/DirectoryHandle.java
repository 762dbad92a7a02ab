package dev.jftp.server.storage.local.linux;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open directory (an O_PATH descriptor) shared by the threads that work beneath it: a user's
 * home. Each use holds it between {@link #acquire()} and {@link #release()}, and the descriptor is
 * closed only when it is closed and no use is left, so that a close racing an operation can never
 * make that operation run against whatever file later gets the same descriptor number (another
 * user's home). A handle nobody closes is closed once it is unreachable.
 */
public final class DirectoryHandle implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Descriptor descriptor;
    private final Cleaner.Cleanable cleanable;
    private final List<byte[]> anchors;
    private final FileStatus status;

    private DirectoryHandle(int fd, List<byte[]> anchors, FileStatus status) {
        this.descriptor = new Descriptor(fd);
        this.cleanable = CLEANER.register(this, descriptor);
        this.anchors = anchors;
        this.status = status;
    }

    /**
     * Takes over {@code fd}, an open directory that was named {@code namedAs} (an absolute path, or
     * null); closes it when that fails (not a directory).
     */
    public static DirectoryHandle adopt(int fd, byte[] namedAs) throws ErrnoException {
        try {
            FileStatus status = LinuxCalls.fstat(fd);
            if (!status.isDirectory()) {
                throw new ErrnoException("open directory", ErrnoException.ENOTDIR);
            }
            byte[] real = LinuxCalls.pathOf(fd);
            List<byte[]> anchors = namedAs == null || Arrays.equals(namedAs, real) ? List.of(real) : List.of(real, namedAs.clone());
            return new DirectoryHandle(fd, anchors, status);
        } catch (ErrnoException | RuntimeException e) {
            LinuxCalls.close(fd);
            throw e;
        }
    }

    /** The descriptor, to use until {@link #release()}; EBADF once the handle is closed. */
    public int acquire() throws ErrnoException {
        return descriptor.acquire();
    }

    public void release() {
        descriptor.release();
    }

    /**
     * Where the directory was when opened: its real path, then the path it was named by if that
     * differs (through a link); for reading absolute symbolic links, never for opening anything.
     */
    public List<byte[]> anchors() {
        return anchors;
    }

    /** Whether {@code other} is this very directory (same device and inode). */
    public boolean isSameDirectory(FileStatus other) {
        return status.sameFile(other);
    }

    @Override
    public void close() {
        cleanable.clean(); // at most once, whether called here or by the cleaner
    }

    /** The descriptor and its count of uses (1 for the handle itself while open); what the cleaner closes. */
    private static final class Descriptor implements Runnable {
        private final int fd;
        private final AtomicInteger uses = new AtomicInteger(1);

        Descriptor(int fd) {
            this.fd = fd;
        }

        int acquire() throws ErrnoException {
            while (true) {
                int n = uses.get();
                if (n == 0) {
                    throw new ErrnoException("directory handle", ErrnoException.EBADF);
                }
                if (uses.compareAndSet(n, n + 1)) {
                    return fd;
                }
            }
        }

        void release() {
            if (uses.decrementAndGet() == 0) {
                LinuxCalls.close(fd);
            }
        }

        @Override
        public void run() {
            release(); // the handle's own use
        }
    }
}
