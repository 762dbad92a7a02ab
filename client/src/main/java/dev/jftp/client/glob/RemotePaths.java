package dev.jftp.client.glob;

/** Remote paths are strings with '/' separators (RFC 959 leaves the form to the server; Unix servers use this one). */
public final class RemotePaths {
    private RemotePaths() {
    }

    /** {@code dir/name}; an empty dir means the working directory. */
    public static String join(String dir, String name) {
        if (dir.isEmpty() || dir.equals(".")) {
            return name;
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** The last segment: "c" for "a/b/c" and "a/b/c/". */
    public static String baseName(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    /** Everything up to and including the last '/', or "" when there is none. */
    public static String directoryPart(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }
}
