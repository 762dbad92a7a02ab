package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobPatternTest {
    private static boolean matches(String pattern, String name) {
        return GlobPattern.compile(pattern).matches(name);
    }

    @Test
    void starMatchesAnyRunIncludingNothing() {
        assertThat(matches("*.txt", "a.txt")).isTrue();
        assertThat(matches("*.txt", ".txt")).isTrue();
        assertThat(matches("*.txt", "a.txt.gz")).isFalse();
        assertThat(matches("a*b*c", "aXXbYYc")).isTrue();
        assertThat(matches("a*b*c", "aXXbYY")).isFalse();
        assertThat(matches("*", "")).isTrue();
        assertThat(matches("**", "anything")).isTrue();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        assertThat(matches("file?.log", "file1.log")).isTrue();
        assertThat(matches("file?.log", "file.log")).isFalse();
        assertThat(matches("file?.log", "file12.log")).isFalse();
        assertThat(matches("?", "é")).isTrue();
    }

    @Test
    void bracketClassesRangesAndNegation() {
        assertThat(matches("[abc].txt", "b.txt")).isTrue();
        assertThat(matches("[abc].txt", "d.txt")).isFalse();
        assertThat(matches("[a-c]1", "c1")).isTrue();
        assertThat(matches("[a-c]1", "d1")).isFalse();
        assertThat(matches("[!a-c]1", "d1")).isTrue();
        assertThat(matches("[^a-c]1", "a1")).isFalse();
        assertThat(matches("[]x]", "]")).isTrue();
        assertThat(matches("[]x]", "x")).isTrue();
    }

    @Test
    void anUnclosedBracketIsALiteral() {
        assertThat(matches("a[b", "a[b")).isTrue();
        assertThat(matches("a[b", "ab")).isFalse();
    }

    @Test
    void recognisesWhatIsAPattern() {
        assertThat(GlobPattern.isGlob("*.txt")).isTrue();
        assertThat(GlobPattern.isGlob("a?")).isTrue();
        assertThat(GlobPattern.isGlob("[ab]")).isTrue();
        assertThat(GlobPattern.isGlob("plain name.txt")).isFalse();
    }

    @Test
    void refusesOverlongPatterns() {
        assertThatThrownBy(() -> GlobPattern.compile("*".repeat(GlobPattern.MAX_PATTERN_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHostilePatternGetsTheRightAnswer() {
        // Exponential for naive recursive matchers; bounded by length x length here.
        String name = "a".repeat(5000);
        assertThat(matches("*a*a*a*a*a*a*a*a*a*a*a*a*b", name)).isFalse();
        assertThat(matches("*a*a*a*a*a*a*a*a*a*a*a*a*", name)).isTrue();
    }
}
