package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.storage.VirtualPath;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the LIST/NLST/MLSD argument parser ({@link ListingCommands#parse}) and the wildcard matcher
 * ({@link GlobPattern}). Any argument must give either a 501 (FtpReplyException) or a request for
 * one directory, with a pattern only for a wildcard in the last segment. The matcher is checked
 * against an independent reference (dynamic programming over the same pattern syntax). Time is
 * bounded by libFuzzer's per-input timeout (any input that hangs is a finding), and the slowest
 * input is reported in the final statistics.
 */
class ListingArgumentFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void argumentsGiveOneDirectoryAndPatternsMatchLikeTheReference(FuzzedDataProvider data) {
        String cwdText = data.consumeBoolean() ? "/pub/docs" : "/";
        String input = data.consumeRemainingAsString();
        // "argument NEWLINE name NEWLINE name...", so that seeds are plain text
        String[] parts = input.split("\n", 10);
        String argument = parts[0];
        VirtualPath cwd = VirtualPath.ROOT.resolve(cwdText);
        ListingCommands.ListingRequest request;
        try {
            request = ListingCommands.parse(cwd, argument);
        } catch (FtpReplyException refused) {
            assertThat(refused.code().code()).isEqualTo(501);
            return;
        }
        assertThat(request.directory()).isNotNull();
        assertThat(VirtualPath.ROOT.resolve(request.directory().toString())).isEqualTo(request.directory());
        if (request.glob() == null) {
            return;
        }
        String rest = request.path();
        String last = rest.substring(rest.lastIndexOf('/') + 1);
        assertThat(GlobPattern.isGlob(last)).isTrue();
        assertThat(last.length()).isLessThanOrEqualTo(GlobPattern.MAX_PATTERN_LENGTH);
        List<String> names = new ArrayList<>(List.of("a.txt", "b.TXT", "[x]", "readme", "*", "?", "-", "]", "!a", "ab]c"));
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isEmpty() && parts[i].length() <= 255 && !parts[i].contains("/")) {
                names.add(parts[i]);
            }
        }
        for (String name : names) {
            boolean matches = request.glob().matches(name);
            assertThat(matches).as("pattern %s on %s", last, name).isEqualTo(ReferenceGlob.matches(last, name));
        }
    }

    /**
     * The pattern syntax of {@link GlobPattern}, written independently: '*' any run, '?' any one
     * character, "[...]" a class ('!' or '^' first negates, a ']' right after the opening (and after
     * the negation) is a member, "a-z" a range), an unclosed '[' a plain character.
     */
    static final class ReferenceGlob {
        private sealed interface Token {
        }

        private record Star() implements Token {
        }

        private record AnyOne() implements Token {
        }

        private record Literal(char c) implements Token {
        }

        private record CharClass(boolean negated, String members) implements Token {
            boolean accepts(char c) {
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

        static List<Token> tokens(String pattern) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (i < pattern.length()) {
                char c = pattern.charAt(i);
                if (c == '*') {
                    tokens.add(new Star());
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
                        j++;
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

        static boolean matches(String pattern, String name) {
            List<Token> tokens = tokens(pattern);
            int t = tokens.size();
            int n = name.length();
            // can[i][j]: tokens from i match the name from j
            boolean[][] can = new boolean[t + 1][n + 1];
            can[t][n] = true;
            for (int i = t - 1; i >= 0; i--) {
                Token token = tokens.get(i);
                for (int j = n; j >= 0; j--) {
                    can[i][j] = switch (token) {
                        case Star s -> can[i + 1][j] || (j < n && can[i][j + 1]);
                        case AnyOne a -> j < n && can[i + 1][j + 1];
                        case Literal l -> j < n && name.charAt(j) == l.c() && can[i + 1][j + 1];
                        case CharClass c -> j < n && c.accepts(name.charAt(j)) && can[i + 1][j + 1];
                    };
                }
            }
            return can[0][0];
        }
    }
}
