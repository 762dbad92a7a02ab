package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.JftpdTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransferCommandsTest extends JftpdTest {
    @Test
    void getFetchesIntoTheLocalDirectoryOrANamedTarget() throws Exception {
        remoteFile("report.txt", "numbers\n");
        client.ok("get report.txt");
        assertThat(client.local.resolve("report.txt")).hasContent("numbers");
        assertThat(client.out()).isEqualTo("Fetching report.txt to " + client.local.resolve("report.txt") + "\n");
        client.ok("get report.txt copy.txt");
        assertThat(client.local.resolve("copy.txt")).hasContent("numbers");
        client.ok("lmkdir into").ok("get report.txt into");
        assertThat(client.local.resolve("into/report.txt")).hasContent("numbers");
        assertThat(Files.list(client.local).filter(p -> p.getFileName().toString().endsWith(".jftp-part"))).isEmpty();
    }

    @Test
    void putSendsToTheRemoteDirectoryOrANamedTarget() throws Exception {
        localFile("up.txt", "upload\n");
        client.ok("put up.txt");
        assertThat(root.resolve("up.txt")).hasContent("upload");
        assertThat(client.out()).isEqualTo("Uploading " + client.local.resolve("up.txt") + " to up.txt\n");
        client.ok("put up.txt renamed.txt");
        assertThat(root.resolve("renamed.txt")).hasContent("upload");
        client.ok("mkdir remote").ok("put up.txt remote");
        assertThat(root.resolve("remote/up.txt")).hasContent("upload");
        client.ok("cd remote").ok("put up.txt ../again.txt");
        assertThat(root.resolve("again.txt")).hasContent("upload");
    }

    @Test
    void patternsMoveManyFilesInOneCommand() throws Exception {
        remoteFile("a.log", "a");
        remoteFile("b.log", "b");
        remoteFile("c.txt", "c");
        client.ok("get *.log");
        assertThat(client.local.resolve("a.log")).hasContent("a");
        assertThat(client.local.resolve("b.log")).hasContent("b");
        assertThat(client.local.resolve("c.txt")).doesNotExist();

        localFile("data/x.csv", "x");
        localFile("data/y.csv", "y");
        localFile("data/z.txt", "z");
        client.ok("mkdir dir").ok("put data/*.csv dir/");
        assertThat(root.resolve("dir/x.csv")).hasContent("x");
        assertThat(root.resolve("dir/y.csv")).hasContent("y");
        assertThat(root.resolve("dir/z.txt")).doesNotExist();
    }

    @Test
    void putIntoADirectoryThatIsNotThereIsRefusedOnceBeforeAnythingMoves() throws Exception {
        localFile("x.csv", "x");
        localFile("y.csv", "y");
        assertThat(client.run("put *.csv nosuchdir/")).isFalse();
        assertThat(client.err()).isEqualTo("Remote directory \"nosuchdir/\" not found\n");
        assertThat(client.out()).isEmpty();
        assertThat(client.clear().run("put x.csv nosuchdir/")).isFalse();
        assertThat(client.err()).isEqualTo("Remote directory \"nosuchdir/\" not found\n");
        assertThat(root.resolve("nosuchdir")).doesNotExist();
        localFile("tree/t.txt", "t");
        client.clear().ok("put -r tree newtree/");
        assertThat(root.resolve("newtree/t.txt")).as("as sftp: one directory may become a new one").hasContent("t");
    }

    @Test
    void resumingSaysSoAsSftpDoes() throws Exception {
        remoteFile("r.txt", "remote");
        localFile("l.txt", "local");
        client.ok("reget r.txt");
        assertThat(client.out()).isEqualTo("Resuming r.txt to " + client.local.resolve("r.txt") + "\n");
        client.clear().ok("get -a r.txt r2.txt");
        assertThat(client.out()).isEqualTo("Resuming r.txt to " + client.local.resolve("r2.txt") + "\n");
        client.clear().ok("reput l.txt");
        assertThat(client.out()).isEqualTo("Resuming upload of " + client.local.resolve("l.txt") + " to l.txt\n");
        assertThat(root.resolve("l.txt")).hasContent("local");
        client.clear().ok("put -a l.txt");
        assertThat(client.out()).isEqualTo("Resuming upload of " + client.local.resolve("l.txt") + " to l.txt\n"
                + "Remote file \"l.txt\" is already complete\n");
    }

    @Test
    void mgetAndMputTakeSeveralPatterns() throws Exception {
        remoteFile("one.txt", "1");
        remoteFile("two.log", "2");
        client.ok("mget one.txt *.log");
        assertThat(client.local.resolve("one.txt")).hasContent("1");
        assertThat(client.local.resolve("two.log")).hasContent("2");
        localFile("p.txt", "p");
        localFile("q.txt", "q");
        client.ok("mkdir in").ok("cd in").ok("mput p.txt q*");
        assertThat(root.resolve("in/p.txt")).hasContent("p");
        assertThat(root.resolve("in/q.txt")).hasContent("q");
    }

    @Test
    void recursionCopiesWholeTreesBothWays() throws Exception {
        remoteFile("tree/a.txt", "a");
        remoteFile("tree/sub/b.txt", "b");
        remoteFile("tree/sub/deeper/c.txt", "c");
        Files.createDirectories(root.resolve("tree/empty"));
        client.ok("get -r tree");
        assertThat(client.local.resolve("tree/a.txt")).hasContent("a");
        assertThat(client.local.resolve("tree/sub/deeper/c.txt")).hasContent("c");
        assertThat(client.local.resolve("tree/empty")).isDirectory();

        client.ok("put -r tree copy");
        assertThat(root.resolve("copy/a.txt")).hasContent("a");
        assertThat(root.resolve("copy/sub/b.txt")).hasContent("b");
        assertThat(root.resolve("copy/sub/deeper/c.txt")).hasContent("c");
        assertThat(root.resolve("copy/empty")).isDirectory();

        client.ok("put -R tree copy");
        assertThat(root.resolve("copy/tree/sub/b.txt")).as("into an existing directory, as cp -r does").hasContent("b");

        client.ok("lmkdir back").ok("get -R copy/sub back");
        assertThat(client.local.resolve("back/sub/deeper/c.txt")).hasContent("c");
    }

    @Test
    void withoutRecursionADirectoryIsRefused() throws Exception {
        remoteFile("tree/a.txt", "a");
        assertThat(client.run("get tree")).isFalse();
        assertThat(client.err()).isEqualTo("Cannot download \"tree\": it is a directory (use get -r)\n");
        localFile("ltree/b.txt", "b");
        client.clear();
        assertThat(client.run("put ltree")).isFalse();
        assertThat(client.err()).isEqualTo("Cannot upload \"" + client.local.resolve("ltree") + "\": it is a directory (use put -r)\n");
    }

    @Test
    void preserveKeepsModificationTimesBothWays() throws Exception {
        Instant then = Instant.parse("2019-05-06T07:08:09Z");
        Files.setLastModifiedTime(remoteFile("old.txt", "old"), FileTime.from(then));
        client.ok("get -p old.txt");
        assertThat(Files.getLastModifiedTime(client.local.resolve("old.txt")).toInstant()).isEqualTo(then);
        client.ok("get -P old.txt other.txt");
        assertThat(Files.getLastModifiedTime(client.local.resolve("other.txt")).toInstant()).isEqualTo(then);

        Instant earlier = Instant.parse("2018-01-02T03:04:05Z");
        Files.setLastModifiedTime(localFile("mine.txt", "mine"), FileTime.from(earlier));
        client.ok("put -p mine.txt");
        assertThat(Files.getLastModifiedTime(root.resolve("mine.txt")).toInstant()).isEqualTo(earlier);
        client.ok("put mine.txt plain.txt");
        assertThat(Files.getLastModifiedTime(root.resolve("plain.txt")).toInstant()).isAfter(earlier);
    }

    @Test
    void fsyncAndGlobalRecursionAreAccepted() throws Exception {
        remoteFile("f.txt", "f");
        client.ok("get -f f.txt");
        assertThat(client.local.resolve("f.txt")).hasContent("f");
        client.ok("put -f f.txt g.txt");
        assertThat(root.resolve("g.txt")).hasContent("f");
        assertThat(client.err()).contains("put -f: FTP cannot ask the server to flush files to disk");
        remoteFile("d/x.txt", "x");
        client.settings.recursive = true;
        client.ok("get d");
        assertThat(client.local.resolve("d/x.txt")).as("-r on the command line makes get recursive").hasContent("x");
    }

    @Test
    void binaryIsByteExactAndAsciiConvertsLineEnds() throws Exception {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Files.write(root.resolve("all.bin"), bytes);
        client.ok("get all.bin");
        assertThat(client.local.resolve("all.bin")).hasBinaryContent(bytes);

        remoteFile("lines.txt", "one\ntwo\n");
        localFile("local.txt", "three\nfour\n");
        client.ok("ascii").ok("get lines.txt").ok("put local.txt");
        assertThat(client.local.resolve("lines.txt")).hasContent("one\ntwo");
        assertThat(root.resolve("local.txt")).hasContent("three\nfour");
        assertThat(client.run("reget lines.txt")).isFalse();
        assertThat(client.err()).contains("Resuming needs binary mode");
        client.ok("binary").ok("get all.bin again.bin");
        assertThat(client.local.resolve("again.bin")).hasBinaryContent(bytes);
    }

    @Test
    void activeModeTransfersToo() throws Exception {
        remoteFile("a.txt", "active");
        client.ok("passive off");
        assertThat(client.out()).contains("Passive mode: off");
        client.ok("get a.txt").ok("put a.txt b.txt").ok("ls -1");
        assertThat(client.local.resolve("a.txt")).hasContent("active");
        assertThat(root.resolve("b.txt")).hasContent("active");
        client.clear().ok("passive").ok("get a.txt c.txt");
        assertThat(client.out()).contains("Passive mode: on");
        assertThat(client.local.resolve("c.txt")).hasContent("active");
    }

    @Test
    void largeFilesArriveIntact() throws Exception {
        Path big = randomFile(root.resolve("big.bin"), 24);
        client.ok("get big.bin");
        assertThat(Files.mismatch(big, client.local.resolve("big.bin"))).isEqualTo(-1);
        client.ok("put big.bin back.bin");
        assertThat(Files.mismatch(big, root.resolve("back.bin"))).isEqualTo(-1);
    }

    @Test
    void namesWithSpacesAndWildcardCharactersCanBeQuoted() throws Exception {
        remoteFile("my file [1].txt", "odd");
        client.ok("get \"my file \\[1\\].txt\" plain.txt");
        assertThat(client.local.resolve("plain.txt")).hasContent("odd");
        client.ok("put plain.txt 'new name.txt'");
        assertThat(root.resolve("new name.txt")).hasContent("odd");
    }
}
