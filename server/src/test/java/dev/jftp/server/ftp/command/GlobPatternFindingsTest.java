package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for what the listing-abuse tests found in {@link GlobPattern}: matching
 * backtracked, costing name length x pattern length steps, so that one "NLST dir/*aaaa...ab" over
 * 100,000 names of 206 characters took about 20 s of CPU. The matcher is now linear in the name;
 * these check that it still agrees with the reference on exactly those patterns and on the syntax's
 * corners (the fuzz target compares the two on random input).
 */
class GlobPatternFindingsTest {
    private static final String LONG = "a".repeat(200);

    @Test
    void backtrackingPatternsGiveTheSameAnswersAsTheReference() {
        List<String> patterns = List.of("*" + "a".repeat(120) + "b", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
                "*" + "?".repeat(150) + "b*", "[a-z]*[!a]*[a]*[a]*[a]*[a]*9999999", "*" + "[a]".repeat(60) + "x",
                "*" + "a".repeat(120) + "*", "a*" + "?".repeat(200) + "*", "*" + "a".repeat(199) + "?000042");
        List<String> names = List.of(LONG + "000042", LONG + "999999", LONG + "b", "a".repeat(255), "b" + LONG, "");
        for (String pattern : patterns) {
            GlobPattern glob = GlobPattern.compile(pattern);
            for (String name : names) {
                assertThat(glob.matches(name)).as("%s on %s", pattern, name)
                        .isEqualTo(ListingArgumentFuzzTest.ReferenceGlob.matches(pattern, name));
            }
        }
        assertThat(GlobPattern.compile("*" + "a".repeat(199) + "?000042").matches(LONG + "000042")).isTrue();
    }

    @Test
    void syntaxCorners() {
        assertThat(GlobPattern.compile("*.txt").matches("a.txt")).isTrue();
        assertThat(GlobPattern.compile("*.txt").matches("a.txt.gz")).isFalse();
        assertThat(GlobPattern.compile("?").matches("")).isFalse();
        assertThat(GlobPattern.compile("**").matches("")).isTrue();
        assertThat(GlobPattern.compile("[]]x").matches("]x")).isTrue();
        assertThat(GlobPattern.compile("[!]]x").matches("]x")).isFalse();
        assertThat(GlobPattern.compile("[!]]x").matches("ax")).isTrue();
        assertThat(GlobPattern.compile("[a-c]").matches("b")).isTrue();
        assertThat(GlobPattern.compile("[^a-c]").matches("b")).isFalse();
        assertThat(GlobPattern.compile("[ab").matches("[ab")).as("unclosed bracket is a plain character").isTrue();
        assertThat(GlobPattern.compile("é*").matches("été")).isTrue();
        assertThat(GlobPattern.compile("[é-ë]").matches("ê")).isTrue();
        // 255 tokens: the state set spans four words
        String longest = "?".repeat(GlobPattern.MAX_PATTERN_LENGTH);
        assertThat(GlobPattern.compile(longest).matches("x".repeat(255))).isTrue();
        assertThat(GlobPattern.compile(longest).matches("x".repeat(254))).isFalse();
        assertThat(GlobPattern.compile("*" + "?".repeat(254)).matches("x".repeat(300))).isTrue();
    }
}
