package dev.jftp.server.filesystem;

import dev.jftp.protocol.listing.ListedFile;
import java.time.Instant;

/**
 * What a listing or a status command shows of one file.
 *
 * @param name        the file's name within its directory
 * @param type        file, directory or something else (a symbolic link that leads out of the jail, a device)
 * @param size        size in bytes
 * @param modified    last modification time
 * @param permissions Unix permission bits (for example 0644)
 * @param fileKey     what names the underlying file uniquely on this server (the file system's file key,
 *                    or already the text of the RFC 3659 "unique" fact); null when unknown
 */
public record FileEntry(String name, Type type, long size, Instant modified, int permissions, Object fileKey) implements ListedFile {
    public enum Type { FILE, DIRECTORY, OTHER }

    /**
     * The RFC 3659 "unique" fact: "803U42" for Linux's file key "(dev=803,ino=42)". Made on demand,
     * since only MLSx shows it (making it for every entry of LIST took an eighth of that command's CPU).
     */
    @Override
    public String uniqueId() {
        if (fileKey == null) {
            return "0";
        }
        String key = fileKey.toString();
        int dev = key.indexOf("dev=");
        int ino = key.indexOf(",ino=");
        if (!key.startsWith("(") || dev < 0 || ino < dev || !key.endsWith(")")) {
            return key;
        }
        return key.substring(dev + 4, ino) + 'U' + key.substring(ino + 5, key.length() - 1);
    }

    @Override
    public int mode() {
        return permissions;
    }

    @Override
    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    @Override
    public boolean isFile() {
        return type == Type.FILE;
    }

    public FileEntry withName(String newName) {
        return new FileEntry(newName, type, size, modified, permissions, fileKey);
    }
}
