package dev.jftp.server.storage.local.linux;

import java.io.Closeable;
import java.util.Arrays;

/**
 * The names in an open directory, read with getdents64(2) a buffer at a time (as readdir(3) does),
 * as the raw bytes they have on disk: a name that is not valid UTF-8 arrives intact, and each can
 * be looked at relative to {@link #fd()} without a path. "." and ".." are left out.
 */
public final class DirectoryReader implements Closeable {
    /** readdir's buffer size in glibc; a few hundred names per system call. */
    private static final int BUFFER = 32 * 1024;

    private final int fd;
    private final byte[] buffer = new byte[BUFFER];
    private int filled;
    private int at;
    private boolean ended;
    private boolean closed;

    /** Takes over {@code fd}, a directory opened for reading (O_RDONLY | O_DIRECTORY). */
    public DirectoryReader(int fd) {
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    /** The next name, or null after the last. */
    public byte[] next() throws ErrnoException {
        while (true) {
            if (at >= filled) {
                if (ended) {
                    return null;
                }
                filled = LinuxCalls.getdents64(fd, buffer);
                at = 0;
                if (filled == 0) {
                    ended = true;
                    return null;
                }
            }
            // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; } (little-endian)
            int length = (buffer[at + 16] & 0xff) | (buffer[at + 17] & 0xff) << 8;
            int nameStart = at + 19;
            int nameEnd = nameStart;
            while (nameEnd < at + length && buffer[nameEnd] != 0) {
                nameEnd++;
            }
            at += length;
            int n = nameEnd - nameStart;
            if ((n == 1 && buffer[nameStart] == '.') || (n == 2 && buffer[nameStart] == '.' && buffer[nameStart + 1] == '.')) {
                continue;
            }
            return Arrays.copyOfRange(buffer, nameStart, nameEnd);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LinuxCalls.close(fd);
        }
    }
}
