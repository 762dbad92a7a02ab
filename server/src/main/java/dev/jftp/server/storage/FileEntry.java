package dev.jftp.server.storage;

import dev.jftp.protocol.listing.ListedFile;
import java.time.Instant;

/**
 * What a listing or a status command shows of one entry, whatever the backend.
 *
 * @param name     the entry's name within its directory
 * @param type     file, directory or something else (a link leading out of the jail, a device)
 * @param size     size in bytes (0 for a directory on backends that have no size for them)
 * @param modified last modification time
 * @param mode     Unix permission bits (for example 0644), or {@link #NO_MODE} when the backend has none
 * @param identity what names the entry uniquely in its storage (the RFC 3659 "unique" fact is made
 *                 from it on demand, by {@link #uniqueId()}); null when unknown
 */
public record FileEntry(String name, Type type, long size, Instant modified, int mode, Object identity) implements ListedFile {
    public static final int NO_MODE = -1;

    public enum Type { FILE, DIRECTORY, OTHER }

    @Override
    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    @Override
    public boolean isFile() {
        return type == Type.FILE;
    }

    public boolean hasMode() {
        return mode != NO_MODE;
    }

    /**
     * The RFC 3659 "unique" fact: "803U42" for Linux's file key "(dev=803,ino=42)", else the
     * identity's text. Made on demand, since only MLSx shows it (making it for every entry of LIST
     * took an eighth of that command's CPU).
     */
    @Override
    public String uniqueId() {
        if (identity == null) {
            return "0";
        }
        String key = identity.toString();
        int dev = key.indexOf("dev=");
        int ino = key.indexOf(",ino=");
        if (!key.startsWith("(") || dev < 0 || ino < dev || !key.endsWith(")")) {
            return key;
        }
        return key.substring(dev + 4, ino) + 'U' + key.substring(ino + 5, key.length() - 1);
    }

    public FileEntry withName(String newName) {
        return new FileEntry(newName, type, size, modified, mode, identity);
    }
}
