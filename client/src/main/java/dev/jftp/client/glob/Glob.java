package dev.jftp.client.glob;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Shell-style wildcards in one path segment: {@code *}, {@code ?}, {@code [abc]}, {@code [a-z]},
 * {@code [!x]}/{@code [^x]}; a backslash makes the next character literal. As in a shell, a
 * wildcard does not match a leading dot: {@code *} skips {@code .profile}, {@code .*} finds it.
 */
public final class Glob {
    private final Pattern regex;
    private final boolean dotExplicit;

    private Glob(Pattern regex, boolean dotExplicit) {
        this.regex = regex;
        this.dotExplicit = dotExplicit;
    }

    /** True when the text has an unescaped wildcard. */
    public static boolean hasMagic(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?') {
                return true;
            } else if (c == '[' && text.indexOf(']', i + 2) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The text with its escaping backslashes taken away. */
    public static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Puts a backslash before every wildcard character, so that the name matches only itself. */
    public static String escape(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Compiles one segment (no '/'). */
    public static Glob compile(String segment) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < segment.length()) {
                        re.append(Pattern.quote(String.valueOf(segment.charAt(++i))));
                    } else {
                        re.append("\\\\");
                    }
                }
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = classEnd(segment, i);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        re.append(characterClass(segment.substring(i + 1, end)));
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        boolean dotExplicit = segment.startsWith(".") || segment.startsWith("\\.");
        return new Glob(Pattern.compile(re.toString(), Pattern.DOTALL), dotExplicit);
    }

    /** Index of the ']' that closes the class opened at {@code open}, or -1. A ']' right after '[' or '[!' is a member. */
    private static int classEnd(String s, int open) {
        int i = open + 1;
        if (i < s.length() && (s.charAt(i) == '!' || s.charAt(i) == '^')) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
        }
        for (; i < s.length(); i++) {
            if (s.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    private static String characterClass(String body) {
        StringBuilder re = new StringBuilder("[");
        int first = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            re.append('^');
            first = 1;
        }
        for (int i = first; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '-' && i > first && i < body.length() - 1) {
                re.append('-'); // a range such as a-z; a '-' first or last is itself
            } else if (Character.isLetterOrDigit(c)) {
                re.append(c);
            } else {
                re.append('\\').append(c);
            }
        }
        return re.append(']').toString();
    }

    public boolean matches(String name) {
        if (name.startsWith(".") && !dotExplicit) {
            return false;
        }
        return regex.matcher(name).matches();
    }

    /** Splits a path pattern at '/', dropping empty segments. */
    static List<String> segments(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String part : pattern.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }
}
