package dev.jftp.protocol.listing;

import java.time.Instant;

/**
 * One remote directory entry as a listing describes it. Unknown facts are -1 or null.
 *
 * @param name       the name (for a glob match, the path as the user will see it)
 * @param kind       file, directory, link, other or unknown (NLST gives names only)
 * @param size       bytes, or -1
 * @param modified   last modification, or null
 * @param mode       permission bits (e.g. 0644), or -1
 * @param owner      owner name or number, or null
 * @param group      group name or number, or null
 * @param linkTarget where a symbolic link points, or null
 */
public record RemoteEntry(String name, Kind kind, long size, Instant modified, int mode, String owner, String group,
                          String linkTarget) {
    public enum Kind { FILE, DIRECTORY, LINK, OTHER, UNKNOWN }

    public static RemoteEntry unknown(String name) {
        return new RemoteEntry(name, Kind.UNKNOWN, -1, null, -1, null, null, null);
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    public boolean isFile() {
        return kind == Kind.FILE;
    }

    public RemoteEntry withName(String newName) {
        return new RemoteEntry(newName, kind, size, modified, mode, owner, group, linkTarget);
    }
}
