package dev.jftp.server.ftp.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Shell-style wildcards for the last segment of a LIST/NLST argument: '*', '?' and bracket
 * classes ("[abc]", "[a-z]", "[!x]"; a ']' right after the opening bracket, or after its '!', is a
 * member; a '[' that is never closed is a plain character).
 *
 * <p>Matching runs the pattern as a set of states, one bit per pattern position, advanced for all
 * positions at once with a few word operations per character of the name. Its cost is linear in
 * the name whatever the pattern: a backtracking matcher needs name length x pattern length steps
 * for patterns such as "*aaaa...ab", and with 255-character patterns over a directory of 100,000
 * long names that was about 20 s of CPU for a single NLST.
 */
public final class GlobPattern {
    public static final int MAX_PATTERN_LENGTH = 255;

    private sealed interface Token {
        /** Whether this (non-star) token takes the character {@code c}. */
        boolean accepts(char c);
    }

    private record Star() implements Token {
        @Override
        public boolean accepts(char c) {
            return false;
        }
    }

    private record AnyOne() implements Token {
        @Override
        public boolean accepts(char c) {
            return true;
        }
    }

    private record Literal(char c) implements Token {
        @Override
        public boolean accepts(char other) {
            return other == c;
        }
    }

    private record CharClass(boolean negated, String members) implements Token {
        @Override
        public boolean accepts(char c) {
            boolean found = false;
            int i = 0;
            while (i < members.length()) {
                if (i + 2 < members.length() && members.charAt(i + 1) == '-') {
                    found |= c >= members.charAt(i) && c <= members.charAt(i + 2);
                    i += 3;
                } else {
                    found |= c == members.charAt(i);
                    i++;
                }
            }
            return found != negated;
        }
    }

    private static final int ASCII = 128;

    private final List<Token> tokens;
    /** Words per state set: bit i means "tokens before i have matched"; bit tokens.size() is the end. */
    private final int words;
    private final long[] starMask;
    /** For each ASCII character, the positions whose token takes it (other characters are computed). */
    private final long[][] acceptsAscii = new long[ASCII][];

    private GlobPattern(List<Token> tokens) {
        this.tokens = tokens;
        this.words = (tokens.size() + 1 + 63) / 64;
        this.starMask = new long[words];
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i) instanceof Star) {
                starMask[i >>> 6] |= 1L << i;
            }
        }
        for (char c = 0; c < ASCII; c++) {
            acceptsAscii[c] = acceptMask(c);
        }
    }

    public static boolean isGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    public static GlobPattern compile(String pattern) {
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("pattern too long");
        }
        return new GlobPattern(tokens(pattern));
    }

    private static List<Token> tokens(String pattern) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (tokens.isEmpty() || !(tokens.getLast() instanceof Star)) { // "**" is "*"
                    tokens.add(new Star());
                }
                i++;
            } else if (c == '?') {
                tokens.add(new AnyOne());
                i++;
            } else if (c == '[') {
                int j = i + 1;
                boolean negated = j < pattern.length() && (pattern.charAt(j) == '!' || pattern.charAt(j) == '^');
                if (negated) {
                    j++;
                }
                int membersStart = j;
                if (j < pattern.length() && pattern.charAt(j) == ']') {
                    j++; // a leading ']' is a member
                }
                int close = pattern.indexOf(']', j);
                if (close < 0) {
                    tokens.add(new Literal('['));
                    i++;
                } else {
                    tokens.add(new CharClass(negated, pattern.substring(membersStart, close)));
                    i = close + 1;
                }
            } else {
                tokens.add(new Literal(c));
                i++;
            }
        }
        return tokens;
    }

    private long[] acceptMask(char c) {
        long[] mask = new long[words];
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).accepts(c)) {
                mask[i >>> 6] |= 1L << i;
            }
        }
        return mask;
    }

    public boolean matches(String name) {
        long[] state = new long[words];
        long[] next = new long[words];
        state[0] = 1L;
        closeOverStars(state);
        for (int n = 0; n < name.length(); n++) {
            char c = name.charAt(n);
            long[] accepts = c < ASCII ? acceptsAscii[c] : acceptMask(c);
            // Positions that take c move on by one; a star stays where it is, having taken c.
            long carry = 0;
            boolean any = false;
            for (int w = 0; w < words; w++) {
                long moved = state[w] & accepts[w];
                next[w] = (moved << 1) | carry | (state[w] & starMask[w]);
                carry = moved >>> 63;
                any |= next[w] != 0;
            }
            if (!any) {
                return false;
            }
            long[] swap = state;
            state = next;
            next = swap;
            closeOverStars(state);
        }
        int end = tokens.size();
        return (state[end >>> 6] & (1L << end)) != 0;
    }

    /** A star may also match nothing: being before it is being after it (stars never follow stars). */
    private void closeOverStars(long[] state) {
        long carry = 0;
        for (int w = 0; w < words; w++) {
            long atStar = state[w] & starMask[w];
            long before = state[w];
            state[w] = before | (atStar << 1) | carry;
            carry = atStar >>> 63;
        }
    }
}
