package dev.jftp.server.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An absolute, normalised path inside a user's jail, such as "/" or "/docs/a.txt".
 * It has no "." or ".." segments and can never name anything above "/": ".." at the root stays at
 * the root, as in a Unix chroot.
 */
public final class VirtualPath implements Comparable<VirtualPath> {
    public static final VirtualPath ROOT = new VirtualPath(List.of());
    /** Paths deeper than this are refused; no real tree needs more and it bounds the work per command. */
    public static final int MAX_DEPTH = 256;

    private final List<String> segments;

    private VirtualPath(List<String> segments) {
        this.segments = segments;
    }

    /**
     * Resolves a client-supplied path against this directory. Absolute arguments start at the jail root.
     *
     * @throws InvalidPathException for a NUL byte, an empty argument or an absurd depth
     */
    public VirtualPath resolve(String argument) {
        if (argument == null || argument.isEmpty()) {
            throw new InvalidPathException("empty path");
        }
        if (argument.indexOf('\0') >= 0) {
            throw new InvalidPathException("path contains a NUL byte");
        }
        List<String> result = argument.startsWith("/") ? new ArrayList<>() : new ArrayList<>(segments);
        for (String segment : argument.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!result.isEmpty()) {
                    result.remove(result.size() - 1);
                }
                continue;
            }
            result.add(segment);
            if (result.size() > MAX_DEPTH) {
                throw new InvalidPathException("path too deep");
            }
        }
        return new VirtualPath(Collections.unmodifiableList(result));
    }

    public VirtualPath child(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.indexOf('\0') >= 0) {
            throw new InvalidPathException("bad file name: " + name);
        }
        List<String> result = new ArrayList<>(segments);
        result.add(name);
        return new VirtualPath(Collections.unmodifiableList(result));
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    public VirtualPath parent() {
        return isRoot() ? this : new VirtualPath(segments.subList(0, segments.size() - 1));
    }

    /** The last segment, or "/" for the root. */
    public String name() {
        return isRoot() ? "/" : segments.get(segments.size() - 1);
    }

    public List<String> segments() {
        return segments;
    }

    public boolean startsWith(VirtualPath other) {
        return segments.size() >= other.segments.size() && segments.subList(0, other.segments.size()).equals(other.segments);
    }

    @Override
    public String toString() {
        return "/" + String.join("/", segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtualPath other && segments.equals(other.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    @Override
    public int compareTo(VirtualPath o) {
        return toString().compareTo(o.toString());
    }

    /** A client path that cannot be a file name at all (as opposed to one that names nothing). */
    public static final class InvalidPathException extends IllegalArgumentException {
        public InvalidPathException(String message) {
            super(message);
        }
    }
}
