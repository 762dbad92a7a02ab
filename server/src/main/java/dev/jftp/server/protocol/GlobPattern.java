package dev.jftp.server.protocol;

/**
 * Shell-style wildcards for the last segment of a LIST/NLST argument: '*', '?' and bracket
 * classes ("[abc]", "[a-z]", "[!x]"). Matching is iterative with bounded backtracking (linear in
 * the name for a single '*', at most name length x pattern length in general), so a hostile
 * pattern cannot make it run away.
 */
public final class GlobPattern {
    public static final int MAX_PATTERN_LENGTH = 255;

    private final String pattern;

    private GlobPattern(String pattern) {
        this.pattern = pattern;
    }

    public static boolean isGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    public static GlobPattern compile(String pattern) {
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("pattern too long");
        }
        return new GlobPattern(pattern);
    }

    public boolean matches(String name) {
        int p = 0;
        int n = 0;
        int starP = -1;
        int starN = 0;
        while (n < name.length()) {
            if (p < pattern.length()) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    starP = p++;
                    starN = n;
                    continue;
                }
                if (c == '?') {
                    p++;
                    n++;
                    continue;
                }
                if (c == '[') {
                    int end = classEnd(p);
                    if (end > 0) {
                        if (classMatches(p + 1, end, name.charAt(n))) {
                            p = end + 1;
                            n++;
                            continue;
                        }
                    } else if (name.charAt(n) == '[') {
                        p++;
                        n++;
                        continue;
                    }
                } else if (c == name.charAt(n)) {
                    p++;
                    n++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP + 1;
            n = ++starN;
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Index of the ']' closing the class opened at {@code open}, or -1 when it is a plain '['. */
    private int classEnd(int open) {
        int i = open + 1;
        if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
            i++;
        }
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++; // a leading ']' is a member
        }
        while (i < pattern.length() && pattern.charAt(i) != ']') {
            i++;
        }
        return i < pattern.length() ? i : -1;
    }

    private boolean classMatches(int from, int end, char c) {
        boolean negate = pattern.charAt(from) == '!' || pattern.charAt(from) == '^';
        int i = negate ? from + 1 : from;
        boolean found = false;
        boolean first = true;
        while (i < end) {
            char lo = pattern.charAt(i);
            if (lo == ']' && !first) {
                break;
            }
            first = false;
            if (i + 2 < end && pattern.charAt(i + 1) == '-') {
                char hi = pattern.charAt(i + 2);
                if (c >= lo && c <= hi) {
                    found = true;
                }
                i += 3;
            } else {
                if (c == lo) {
                    found = true;
                }
                i++;
            }
        }
        return found != negate;
    }
}
