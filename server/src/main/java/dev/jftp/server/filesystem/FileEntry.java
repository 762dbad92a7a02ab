package dev.jftp.server.filesystem;

import java.time.Instant;

/**
 * What a listing or a status command shows of one file.
 *
 * @param name        the file's name within its directory
 * @param type        file, directory or something else (a symbolic link that leads out of the jail, a device)
 * @param size        size in bytes
 * @param modified    last modification time
 * @param permissions Unix permission bits (for example 0644)
 * @param uniqueId    a string that names the underlying file uniquely on this server (RFC 3659 "unique" fact)
 */
public record FileEntry(String name, Type type, long size, Instant modified, int permissions, String uniqueId) {
    public enum Type { FILE, DIRECTORY, OTHER }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    public boolean isFile() {
        return type == Type.FILE;
    }

    public FileEntry withName(String newName) {
        return new FileEntry(newName, type, size, modified, permissions, uniqueId);
    }
}
