package dev.jftp.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtualPathTest {
    private final VirtualPath docs = VirtualPath.ROOT.resolve("/docs");

    @Test
    void resolvesRelativeArgumentsAgainstTheDirectory() {
        assertThat(docs.resolve("a.txt")).hasToString("/docs/a.txt");
        assertThat(docs.resolve("sub/b.txt").segments()).containsExactly("docs", "sub", "b.txt");
    }

    @Test
    void absoluteArgumentsStartAtTheJailRoot() {
        assertThat(docs.resolve("/etc/passwd")).hasToString("/etc/passwd");
        assertThat(docs.resolve("/")).isEqualTo(VirtualPath.ROOT);
    }

    @Test
    void dotDotNeverClimbsAboveTheRoot() {
        assertThat(docs.resolve("..")).isEqualTo(VirtualPath.ROOT);
        assertThat(docs.resolve("../../../..")).isEqualTo(VirtualPath.ROOT);
        assertThat(docs.resolve("../../../etc/passwd")).hasToString("/etc/passwd");
        assertThat(VirtualPath.ROOT.resolve("a/../../b")).hasToString("/b");
    }

    @Test
    void dotsAndRepeatedSlashesAreNormalised() {
        assertThat(docs.resolve("./a//b/./c/")).hasToString("/docs/a/b/c");
        assertThat(docs.resolve(".")).isEqualTo(docs);
    }

    @Test
    void namesWithSpacesAndNonAsciiLettersAreKept() {
        VirtualPath p = docs.resolve(" lead and trail .txt ");
        assertThat(p.name()).isEqualTo(" lead and trail .txt ");
        assertThat(docs.resolve("Ünïcødé ☃.txt").name()).isEqualTo("Ünïcødé ☃.txt");
    }

    @Test
    void refusesNulBytesEmptyArgumentsAndAbsurdDepth() {
        assertThatThrownBy(() -> docs.resolve("a\0b")).isInstanceOf(VirtualPath.InvalidPathException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> docs.resolve("")).isInstanceOf(VirtualPath.InvalidPathException.class);
        assertThatThrownBy(() -> VirtualPath.ROOT.resolve("d/".repeat(VirtualPath.MAX_DEPTH + 1)))
                .isInstanceOf(VirtualPath.InvalidPathException.class).hasMessageContaining("deep");
        assertThat(VirtualPath.ROOT.resolve("d/".repeat(VirtualPath.MAX_DEPTH)).segments()).hasSize(VirtualPath.MAX_DEPTH);
    }

    @Test
    void childRefusesAnythingButAPlainName() {
        assertThat(docs.child("x")).hasToString("/docs/x");
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0"}) {
            assertThatThrownBy(() -> docs.child(bad)).as(bad).isInstanceOf(VirtualPath.InvalidPathException.class);
        }
    }

    @Test
    void parentNameAndPrefixes() {
        VirtualPath file = docs.resolve("sub/f");
        assertThat(file.parent()).hasToString("/docs/sub");
        assertThat(VirtualPath.ROOT.parent()).isEqualTo(VirtualPath.ROOT);
        assertThat(VirtualPath.ROOT.name()).isEqualTo("/");
        assertThat(VirtualPath.ROOT).hasToString("/");
        assertThat(file.startsWith(docs)).isTrue();
        assertThat(file.startsWith(VirtualPath.ROOT)).isTrue();
        assertThat(docs.startsWith(file)).isFalse();
        assertThat(VirtualPath.ROOT.resolve("/docsx").startsWith(docs)).isFalse();
    }
}
