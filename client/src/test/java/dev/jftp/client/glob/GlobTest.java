package dev.jftp.client.glob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobTest {
    @Test
    void wildcardsMatchLikeAShell() {
        assertThat(Glob.compile("*.log").matches("a.log")).isTrue();
        assertThat(Glob.compile("*.log").matches("a.txt")).isFalse();
        assertThat(Glob.compile("?.log").matches("ab.log")).isFalse();
        assertThat(Glob.compile("[ab]*").matches("beta")).isTrue();
        assertThat(Glob.compile("[!ab]*").matches("beta")).isFalse();
        assertThat(Glob.compile("[a-c]x").matches("bx")).isTrue();
        assertThat(Glob.compile("[a-c]x").matches("dx")).isFalse();
        assertThat(Glob.compile("a+b(1).txt").matches("a+b(1).txt")).isTrue();
    }

    @Test
    void aLeadingDotNeedsToBeNamed() {
        assertThat(Glob.compile("*").matches(".profile")).isFalse();
        assertThat(Glob.compile(".*").matches(".profile")).isTrue();
    }

    @Test
    void escapedWildcardsAreLiteral() {
        assertThat(Glob.hasMagic("a\\*b")).isFalse();
        assertThat(Glob.hasMagic("a*b")).isTrue();
        assertThat(Glob.hasMagic("a[b")).isFalse();
        assertThat(Glob.unescape("a\\*b")).isEqualTo("a*b");
        assertThat(Glob.compile("a\\*b").matches("a*b")).isTrue();
        assertThat(Glob.compile("a\\*b").matches("axb")).isFalse();
        assertThat(Glob.compile(Glob.escape("we[i]rd*")).matches("we[i]rd*")).isTrue();
    }

    @Test
    void remotePathsJoinAndSplit() {
        assertThat(RemotePaths.join("", "a")).isEqualTo("a");
        assertThat(RemotePaths.join("/", "a")).isEqualTo("/a");
        assertThat(RemotePaths.join("d", "a")).isEqualTo("d/a");
        assertThat(RemotePaths.baseName("a/b/c/")).isEqualTo("c");
        assertThat(RemotePaths.baseName("c")).isEqualTo("c");
        assertThat(RemotePaths.directoryPart("a/b/c")).isEqualTo("a/b/");
        assertThat(RemotePaths.directoryPart("c")).isEmpty();
    }

    @Test
    void localGlobExpandsAcrossSegments(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("x1"));
        Files.createDirectories(dir.resolve("x2"));
        Files.writeString(dir.resolve("x1/a.csv"), "1");
        Files.writeString(dir.resolve("x2/b.csv"), "2");
        Files.writeString(dir.resolve("x2/c.txt"), "3");
        Files.writeString(dir.resolve("x2/.hidden.csv"), "4");
        assertThat(LocalGlob.expand(dir, dir, "x*/*.csv"))
                .containsExactly(dir.resolve("x1/a.csv"), dir.resolve("x2/b.csv"));
        assertThat(LocalGlob.expand(dir, dir, "nothing*")).isEmpty();
        assertThat(LocalGlob.expand(dir, dir, "literal")).containsExactly(dir.resolve("literal"));
        assertThat(LocalGlob.expand(dir.resolve("x1"), dir, "~/x2/c.txt")).containsExactly(dir.resolve("x2/c.txt"));
    }
}
