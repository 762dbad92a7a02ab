package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.LegacyFtpServer;
import dev.jftp.client.support.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a server without the RFC 2428/3659 extensions: the client falls back to PASV, LIST, SIZE and CWD probes. */
class LegacyServerTest {
    @TempDir
    Path base;
    private LegacyFtpServer server;
    private TestClient client;
    private Path root;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(base.resolve("root"));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Files.writeString(root.resolve("b.txt"), "beta\n");
        Files.createDirectories(root.resolve("dir/inner"));
        Files.writeString(root.resolve("dir/c.log"), "gamma\n");
        Files.writeString(root.resolve("dir/inner/d.log"), "delta\n");
        server = new LegacyFtpServer(root);
        client = new TestClient(base);
        client.session().connect("127.0.0.1", server.port(), "alice", "secret".toCharArray());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void listsThroughListWhenThereIsNoMlsd() {
        client.ok("ls -1");
        assertThat(client.out()).isEqualTo("a.txt\nb.txt\ndir\n");
        client.clear().ok("ls -l dir");
        assertThat(client.out()).contains("-rw-r--r--").contains("ftp").contains("dir/c.log").contains("drwxr-xr-x");
        assertThat(server.commands).contains("LIST -a", "LIST -a dir").noneMatch(c -> c.startsWith("MLSD"));
    }

    @Test
    void fallsBackFromEpsvToPasvAndConnectsToTheServerItself() throws Exception {
        client.ok("get a.txt");
        assertThat(client.local.resolve("a.txt")).hasContent("alpha");
        assertThat(server.commands).containsSubsequence("EPSV", "PASV", "RETR a.txt");
        client.ok("get b.txt");
        // EPSV was refused once: it is not tried again.
        assertThat(server.commands.stream().filter(c -> c.equals("EPSV")).count()).isEqualTo(1);
    }

    @Test
    void globsAndRecursionWorkOverList() throws Exception {
        client.ok("get *.txt");
        assertThat(client.local.resolve("a.txt")).hasContent("alpha");
        assertThat(client.local.resolve("b.txt")).hasContent("beta");
        client.ok("get -r dir");
        assertThat(client.local.resolve("dir/c.log")).hasContent("gamma");
        assertThat(client.local.resolve("dir/inner/d.log")).hasContent("delta");
    }

    @Test
    void aDirectoryIsRecognisedWithoutMlst() {
        assertThat(client.run("get dir")).isFalse();
        assertThat(client.err()).contains("Cannot download \"dir\": it is a directory (use get -r)");
        assertThat(client.local.resolve("dir")).doesNotExist();
        client.clear();
        assertThat(client.run("get nosuch")).isFalse();
        assertThat(client.err()).isEqualTo("File \"nosuch\" not found.\n");
        client.clear();
        assertThat(client.run("ls nosuch")).isFalse();
        assertThat(client.err()).isEqualTo("Can't ls: \"nosuch\" not found\n");
    }

    @Test
    void whatTheServerLacksIsSaidPlainly() {
        assertThat(client.run("chmod 644 a.txt")).isFalse();
        assertThat(client.err()).contains("chmod: not supported by this server");
        assertThat(client.run("hash a.txt")).isFalse();
        assertThat(client.err()).contains("hash: not supported by this server");
        assertThat(client.run("ln -s a.txt l")).isFalse();
        assertThat(client.err()).contains("ln: symbolic links are not supported by this server");
        assertThat(client.run("df")).isFalse();
        assertThat(client.err()).contains("df: not supported by this server");
    }

    @Test
    void putWithTimesWarnsThatTheServerCannotSetThem() throws Exception {
        Path file = Files.writeString(client.local.resolve("up.txt"), "up\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        client.ok("put -p up.txt");
        assertThat(root.resolve("up.txt")).hasContent("up");
        assertThat(client.err()).contains("The server cannot set modification times (no MFMT)");
    }

    @Test
    void activeModeFallsBackFromEprtToPort() throws Exception {
        client.ok("passive off");
        client.ok("get a.txt");
        assertThat(client.local.resolve("a.txt")).hasContent("alpha");
        assertThat(server.commands).anyMatch(c -> c.startsWith("EPRT")).anyMatch(c -> c.startsWith("PORT 127,0,0,1,"));
    }

    @Test
    void resumesWithRest() throws Exception {
        Files.writeString(client.local.resolve(".a.txt.jftp-part"), "alp");
        client.ok("reget a.txt");
        assertThat(client.local.resolve("a.txt")).hasContent("alpha");
        assertThat(client.local.resolve(".a.txt.jftp-part")).doesNotExist();
        assertThat(server.commands).contains("REST 3");
    }
}
