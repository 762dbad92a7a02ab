package dev.jftp.server.storage.local.linux;

import static dev.jftp.server.storage.local.linux.LinuxCalls.AT_FDCWD;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_CLOEXEC;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_DIRECTORY;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_PATH;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_RDONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resolution beneath a directory, with openat2 and with the walk that replaces it: links inside
 * are followed (relative, absolute to the real path, chained, through ".."), links that lead out
 * are EXDEV, and the usual errors stay the usual errors.
 */
class BeneathTest {
    @TempDir
    Path base;
    Path home;
    int homeFd;
    List<byte[]> anchors;

    @BeforeEach
    void makeTheTree() throws IOException {
        base = base.toRealPath();
        home = Files.createDirectories(base.resolve("home"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "outside");
        Files.createDirectories(home.resolve("a/b"));
        Files.writeString(home.resolve("a/b/f"), "inside");
        Files.writeString(home.resolve("top"), "top");
        Files.createSymbolicLink(home.resolve("rel"), Path.of("a/b"));
        Files.createSymbolicLink(home.resolve("a/up"), Path.of(".."));
        Files.createSymbolicLink(home.resolve("a/b/sibling"), Path.of("../../top"));
        Files.createSymbolicLink(home.resolve("absin"), home.resolve("a/b"));
        Files.createSymbolicLink(home.resolve("absout"), outside);
        Files.createSymbolicLink(home.resolve("relout"), Path.of("../outside"));
        Files.createSymbolicLink(home.resolve("a/upup"), Path.of("../.."));
        Files.createSymbolicLink(home.resolve("chain"), Path.of("absin"));
        Files.createSymbolicLink(home.resolve("lookalike"), Path.of(home + "x/secret")); // not below home
        Files.createSymbolicLink(home.resolve("proc"), Path.of("/proc/self/root"));
        Files.createSymbolicLink(home.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(home.resolve("dangling"), Path.of("nothing"));
        homeFd = LinuxCalls.openat(AT_FDCWD, home.toString().getBytes(StandardCharsets.UTF_8), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        anchors = List.of(home.toString().getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() {
        LinuxCalls.close(homeFd);
    }

    private static Beneath beneath(String how) {
        return how.equals("walk") ? Beneath.walking() : Beneath.best();
    }

    private static List<byte[]> path(String p) {
        List<byte[]> segments = new ArrayList<>();
        for (String s : p.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s.getBytes(StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** The inode of what {@code p} opens beneath the home. */
    private long opened(Beneath beneath, String p, int flags) throws IOException {
        int fd = beneath.open(homeFd, anchors, path(p), flags);
        try {
            return LinuxCalls.fstat(fd).inode();
        } finally {
            LinuxCalls.close(fd);
        }
    }

    private static long inode(Path p) throws IOException {
        return (long) Files.getAttribute(p, "unix:ino");
    }

    private int errno(Beneath beneath, String p, int flags) {
        try {
            LinuxCalls.close(beneath.open(homeFd, anchors, path(p), flags));
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    @Test
    void thisKernelHasOpenat2() {
        // Linux 5.6+; if a sandbox forbids it, the walk runs and the "auto" cases below test that twice.
        assertThat(Beneath.best().usesOpenat2()).isEqualTo(Beneath.openat2Available());
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "walk"})
    void linksInsideAreFollowed(String how) throws IOException {
        Beneath b = beneath(how);
        long f = inode(home.resolve("a/b/f"));
        assertThat(opened(b, "a/b/f", O_PATH)).isEqualTo(f);
        assertThat(opened(b, "rel/f", O_PATH)).isEqualTo(f);
        assertThat(opened(b, "a/up/a/b/f", O_PATH)).isEqualTo(f);
        assertThat(opened(b, "absin/f", O_PATH)).isEqualTo(f);
        assertThat(opened(b, "chain/f", O_PATH)).isEqualTo(f);
        assertThat(opened(b, "rel/sibling", O_PATH)).isEqualTo(inode(home.resolve("top")));
        assertThat(opened(b, "chain", O_RDONLY | O_DIRECTORY)).isEqualTo(inode(home.resolve("a/b")));
        assertThat(opened(b, "", O_PATH)).isEqualTo(inode(home));
        assertThat(opened(b, "a/up", O_PATH | O_DIRECTORY)).isEqualTo(inode(home));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "walk"})
    void linksLeadingOutAreRefused(String how) {
        Beneath b = beneath(how);
        for (String p : List.of("absout", "absout/secret", "relout/secret", "a/upup", "a/upup/outside/secret", "a/up/a/upup/home/top",
                "lookalike", "proc", "proc/etc/passwd")) {
            assertThat(errno(b, p, O_PATH)).as(p).isEqualTo(ErrnoException.EXDEV);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "walk"})
    void theUsualErrors(String how) {
        Beneath b = beneath(how);
        assertThat(errno(b, "missing", O_PATH)).isEqualTo(ErrnoException.ENOENT);
        assertThat(errno(b, "dangling", O_PATH)).isEqualTo(ErrnoException.ENOENT);
        assertThat(errno(b, "loop", O_PATH)).isEqualTo(ErrnoException.ELOOP);
        assertThat(errno(b, "top/x", O_PATH)).isEqualTo(ErrnoException.ENOTDIR);
        assertThat(errno(b, "top", O_PATH | O_DIRECTORY)).isEqualTo(ErrnoException.ENOTDIR);
        assertThat(errno(b, "a/b/f", O_RDONLY | O_DIRECTORY)).isEqualTo(ErrnoException.ENOTDIR);
        assertThat(errno(b, "a/" + "n".repeat(256), O_PATH)).isEqualTo(ErrnoException.ENAMETOOLONG);
    }

    @Test
    void absoluteTargetsAreReadAgainstTheAnchor() {
        byte[] anchor = "/srv/ftp".getBytes(StandardCharsets.UTF_8);
        assertThat(text(Beneath.below(anchor, bytes("/srv/ftp/pub/x")))).isEqualTo("pub/x");
        assertThat(text(Beneath.below(anchor, bytes("/srv/ftp")))).isEmpty();
        assertThat(text(Beneath.below("/srv/ftp/".getBytes(StandardCharsets.UTF_8), bytes("/srv/ftp/a")))).isEqualTo("a");
        assertThat(Beneath.below(anchor, bytes("/srv/ftpx/a"))).isNull();
        assertThat(Beneath.below(anchor, bytes("/srv"))).isNull();
        assertThat(Beneath.below(List.of(), bytes("/srv/ftp/a"))).isNull();
        assertThat(text(Beneath.below(List.of(bytes("/srv/ftp"), bytes("/var/ftp")), bytes("/var/ftp/a")))).isEqualTo("a");
        assertThat(text(Beneath.below(bytes("/"), bytes("/etc/passwd")))).isEqualTo("etc/passwd");
        assertThat(Beneath.split(bytes("//a///b/"))).extracting(BeneathTest::text).containsExactly("a", "b");
        assertThat(text(Beneath.join(List.of(bytes("a"), bytes("b"), bytes("c"))))).isEqualTo("a/b/c");
    }

    /** A home named through a link: absolute links may spell either path; without the named one, it leads out. */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "walk"})
    void anAbsoluteLinkMaySpellTheHomeAsItWasNamed(String how) throws IOException {
        Path named = Files.createSymbolicLink(base.resolve("named"), home);
        Files.createSymbolicLink(home.resolve("vianame"), named.resolve("a/b/f"));
        List<byte[]> both = List.of(anchors.getFirst(), bytes(named.toString()));
        int fd = beneath(how).open(homeFd, both, path("vianame"), O_PATH);
        try {
            assertThat(LinuxCalls.fstat(fd).inode()).isEqualTo(inode(home.resolve("a/b/f")));
        } finally {
            LinuxCalls.close(fd);
        }
        assertThat(errno(beneath(how), "vianame", O_PATH)).as("real path only").isEqualTo(ErrnoException.EXDEV);
    }

    @Test
    void theWalkRefusesToGoAboveTheStartEvenWhereOpenat2WouldNotLook() {
        assertThatThrownBy(() -> Beneath.walking().open(homeFd, anchors, List.of(bytes("..")), O_PATH))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.EXDEV));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
