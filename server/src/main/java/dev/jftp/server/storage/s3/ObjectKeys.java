package dev.jftp.server.storage.s3;

import dev.jftp.server.storage.VirtualPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;

/**
 * The jail on S3: one user's virtual paths as keys below their prefix, and back.
 *
 * <p>The prefix is "" (a whole bucket) or ends with "/", and every key made here is the prefix
 * followed by the path's segments joined by "/". A {@link VirtualPath} has no "." or ".." segment and
 * no segment holds "/", so no key made here lies outside the prefix, nor does one merely start with
 * the same characters ("PREFIX-sibling.txt" and "PREFIXx/..." are not below "PREFIX/"). The other way
 * round, names in a listing are what follows the listed prefix; names no path could name ("", ".",
 * "..", made by other tools) are left out of listings.
 */
final class ObjectKeys {
    /** S3's limit on a key, in bytes of UTF-8. */
    static final int MAX_KEY_BYTES = 1024;

    private final String prefix;

    ObjectKeys(String prefix) {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a jail prefix ends with '/'");
        }
        this.prefix = prefix;
    }

    /** The user's root: "" or "…/". */
    String root() {
        return prefix;
    }

    /** The key of the file at {@code path}; the root is no file. */
    String file(VirtualPath path) throws FileSystemException {
        if (path.isRoot()) {
            throw new FileSystemException("/", null, "Is a directory");
        }
        StringBuilder key = new StringBuilder(prefix);
        for (String segment : path.segments()) {
            if (key.length() > prefix.length()) {
                key.append('/');
            }
            key.append(segment);
        }
        String result = key.toString();
        if (result.getBytes(StandardCharsets.UTF_8).length + 1 > MAX_KEY_BYTES) {
            // + 1: the same name must also fit as a directory ("name/"), or MKD and STOR would differ
            throw new FileSystemException(path.toString(), null, "File name too long");
        }
        return result;
    }

    /** The prefix of the directory at {@code path}: its key followed by "/", or the root. */
    String directory(VirtualPath path) throws FileSystemException {
        return path.isRoot() ? prefix : file(path) + "/";
    }

    /**
     * The name of a listed key or common prefix within the directory prefix it was listed under, or
     * null for a key that no virtual path can name (the directory's own marker, "", ".", "..").
     */
    static String nameIn(String directoryPrefix, String keyOrPrefix) {
        if (!keyOrPrefix.startsWith(directoryPrefix)) {
            return null; // not below what was asked for: never shown
        }
        String name = keyOrPrefix.substring(directoryPrefix.length());
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            return null;
        }
        return name;
    }
}
