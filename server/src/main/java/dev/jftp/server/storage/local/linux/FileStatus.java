package dev.jftp.server.storage.local.linux;

import java.time.Instant;

/**
 * What statx(2) says of a file: its type and permission bits ({@code st_mode}), size, modification
 * time, and the device and inode that name it.
 */
public record FileStatus(int mode, long size, long modifiedSeconds, int modifiedNanos, long device, long inode) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** The permission bits (rwx for owner, group, others), as {@code ls -l} shows them. */
    public int permissions() {
        return mode & 0777;
    }

    public Instant modified() {
        return Instant.ofEpochSecond(modifiedSeconds, modifiedNanos);
    }

    /** The same file: same device and inode. */
    public boolean sameFile(FileStatus other) {
        return device == other.device && inode == other.inode;
    }

    /** What names the file uniquely, printed as the JDK prints its file keys: "(dev=803,ino=42)". */
    public FileKey key() {
        return new FileKey(device, inode);
    }

    /** A file's device and inode; {@link #toString()} is the JDK's form, from which FTP's "unique" fact is made. */
    public record FileKey(long device, long inode) {
        @Override
        public String toString() {
            return "(dev=" + Long.toHexString(device) + ",ino=" + inode + ')';
        }
    }
}
