package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as sftp does: blanks separate words; '...' and "..." group
 * blanks into a word; a backslash makes the next character literal. A backslash before a wildcard
 * ({@code * ? [ ]}) or before a backslash is kept, so that the glob expansion that follows sees the
 * character as escaped; commands that take literal names remove it.
 */
public final class LineParser {
    private LineParser() {
    }

    public static List<String> split(String line) throws ClientException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    i = escaped(line, i, word);
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == ' ' || c == '\t') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\' && i + 1 < line.length()) {
                i = escaped(line, i, word);
            } else {
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new ClientException("Unterminated quote (" + quote + ") in command line");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The word written so that {@link #split} gives it back unchanged and no glob expands it. */
    public static String quote(String word) {
        return quote(word, true);
    }

    /** The pattern written so that {@link #split} gives it back unchanged, its wildcards still wildcards. */
    public static String quoteKeepingWildcards(String pattern) {
        return quote(pattern, false);
    }

    private static String quote(String word, boolean wildcards) {
        StringBuilder sb = new StringBuilder(word.length() + 8);
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            boolean wildcard = c == '*' || c == '?' || c == '[' || c == ']';
            // Kept wildcards keep their backslashes too: a\* still means a literal star.
            if (c == ' ' || c == '\t' || c == '\'' || c == '"' || (wildcards && (wildcard || c == '\\'))) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static int escaped(String line, int backslash, StringBuilder word) {
        char next = line.charAt(backslash + 1);
        if (next == '*' || next == '?' || next == '[' || next == ']' || next == '\\') {
            word.append('\\');
        }
        word.append(next);
        return backslash + 1;
    }
}
