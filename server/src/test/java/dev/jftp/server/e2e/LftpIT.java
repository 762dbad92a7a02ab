package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lftp against the real bin/jftpd: mirror both ways (MLSD, MFMT), ls, get, put, rm, mkdir, mv. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LftpIT {
    @RegisterExtension
    static final JftpdForClient jftpd = new JftpdForClient("lftp", "lftp", "lf:tp");

    @Test
    void passiveSession() throws IOException {
        runSession("passive", "on");
    }

    @Test
    void activeSession() throws IOException {
        runSession("active", "off");
    }

    private void runSession(String dirName, String passiveMode) throws IOException {
        Path dir = Files.createDirectories(jftpd.root().resolve(dirName));
        Path local = Files.createDirectories(jftpd.work().resolve("local-" + dirName));
        // A server-side tree to mirror down, with a file time in the past that must survive.
        Path remoteTree = dir.resolve("tree");
        TestData.writeBinary(remoteTree.resolve("d1/d2/deep.bin"), 600_001, 30);
        TestData.writeText(remoteTree.resolve("top.txt"), 40, "top");
        Files.createDirectories(remoteTree.resolve("empty"));
        TestData.writeText(remoteTree.resolve("spa ce/ünï côdé.txt"), 5, "u");
        FileTime past = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));
        Files.setLastModifiedTime(remoteTree.resolve("d1/d2/deep.bin"), past);
        // A local tree to mirror up.
        Path localTree = local.resolve("up");
        TestData.writeBinary(localTree.resolve("a/b/y.bin"), 900_000, 31);
        TestData.writeText(localTree.resolve("a/x.txt"), 10, "x");
        TestData.writeBinary(localTree.resolve("ä b/ç d.bin"), 5000, 34);
        Files.setLastModifiedTime(localTree.resolve("a/b/y.bin"), FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        Path single = TestData.writeBinary(local.resolve("single.bin"), 123_457, 32);
        TestData.writeBinary(dir.resolve("victim.bin"), 99, 33);

        String script = String.join("; ",
                "set net:max-retries 1", "set net:timeout 20", "set net:reconnect-interval-base 1",
                "set cmd:fail-exit yes", "set xfer:clobber on", "set ftp:passive-mode " + passiveMode,
                "open -u lf,tp -p " + jftpd.port() + " 127.0.0.1",
                "cd " + dirName,
                "ls",
                "mirror tree tree-copy",
                "mirror -R up up",
                "put single.bin -o up/single.bin",
                "get up/single.bin -o single-back.bin",
                "mkdir made",
                "mv up/single.bin made/moved.bin",
                "rm victim.bin",
                "cls -1",
                "bye");
        ExternalCommand.Result result = ExternalCommand.in(local).timeout(Duration.ofSeconds(150)).run("lftp", "-d", "-c", script);

        assertThat(result.exit()).as(result.describe()).isZero();
        // ls: the long listing of the directory as it was at the start.
        assertThat(result.stdout().lines()).anySatisfy(l -> assertThat(l).startsWith("d").endsWith(" tree"));
        assertThat(result.stdout().lines()).anySatisfy(l -> assertThat(l).startsWith("-").contains(" 99 ").endsWith(" victim.bin"));
        // cls -1 at the end: names only.
        assertThat(result.stdout().lines()).contains("made/", "tree/", "up/");
        if (passiveMode.equals("off")) {
            assertThat(result.stderr()).containsAnyOf("---> EPRT", "---> PORT").doesNotContain("---> PASV", "---> EPSV");
        } else {
            assertThat(result.stderr()).containsAnyOf("---> PASV", "---> EPSV");
        }

        assertSameTree(local.resolve("tree-copy"), remoteTree);
        assertSameTree(localTree, dir.resolve("up"));
        // mirror keeps modification times: MLSD's modify fact down, MFMT up (both UTC).
        assertThat(Files.getLastModifiedTime(local.resolve("tree-copy/d1/d2/deep.bin"))).isEqualTo(past);
        assertThat(Files.getLastModifiedTime(dir.resolve("up/a/b/y.bin")).toInstant()).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
        assertThat(local.resolve("single-back.bin")).hasSameBinaryContentAs(single);
        assertThat(dir.resolve("made/moved.bin")).hasSameBinaryContentAs(single);
        assertThat(dir.resolve("up/single.bin")).doesNotExist();
        assertThat(dir.resolve("victim.bin")).doesNotExist();
    }

    /** Same relative paths, same kinds, same bytes. */
    private static void assertSameTree(Path expected, Path actual) throws IOException {
        List<String> expectedPaths = relativePaths(expected);
        assertThat(relativePaths(actual)).containsExactlyElementsOf(expectedPaths);
        for (String relative : expectedPaths) {
            Path e = expected.resolve(relative);
            Path a = actual.resolve(relative);
            assertThat(Files.isDirectory(a)).as(relative).isEqualTo(Files.isDirectory(e));
            if (Files.isRegularFile(e)) {
                assertThat(a).hasSameBinaryContentAs(e);
            }
        }
    }

    private static List<String> relativePaths(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
