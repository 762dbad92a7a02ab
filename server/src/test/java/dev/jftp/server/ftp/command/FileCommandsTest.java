package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MKD, RMD, DELE, RNFR/RNTO, SIZE, MDTM, MFMT, HASH, SITE, MLST over the control connection. */
class FileCommandsTest {
    private static final Instant KNOWN_TIME = Instant.parse("2021-06-15T08:30:45Z");

    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(server.root().resolve("hello.txt"), "hello, world\n");
        Files.setLastModifiedTime(server.root().resolve("hello.txt"), FileTime.from(KNOWN_TIME));
        c = server.connectAsAlice();
    }

    @Test
    void mkdAndXmkdCreateAndAnswerWithTheQuotedPath() throws IOException {
        Reply mkd = c.command("MKD new dir");
        assertThat(mkd.code()).isEqualTo(257);
        assertThat(mkd.text()).startsWith("\"/new dir\"");
        assertThat(c.command("XMKD /new dir/sub").code()).isEqualTo(257);
        assertThat(server.root().resolve("new dir/sub")).isDirectory();
        assertThat(c.command("MKD new dir").code()).isEqualTo(550);
        assertThat(c.command("MKD no/such/parent").code()).isEqualTo(550);
    }

    @Test
    void rmdAndXrmdRemoveEmptyDirectoriesOnly() throws IOException {
        Files.createDirectories(server.root().resolve("full/inner"));
        Files.createDirectories(server.root().resolve("empty1"));
        Files.createDirectories(server.root().resolve("empty2"));
        assertThat(c.command("RMD full").code()).isEqualTo(550);
        assertThat(c.command("RMD hello.txt").code()).isEqualTo(550);
        assertThat(c.command("RMD missing").code()).isEqualTo(550);
        assertThat(c.command("RMD empty1").code()).isEqualTo(250);
        assertThat(c.command("XRMD empty2").code()).isEqualTo(250);
        assertThat(server.root().resolve("empty1")).doesNotExist();
        assertThat(server.root().resolve("empty2")).doesNotExist();
        assertThat(server.root().resolve("hello.txt")).exists();
    }

    @Test
    void rmdRefusesTheRootAndTheWorkingDirectory() throws IOException {
        Files.createDirectories(server.root().resolve("here"));
        assertThat(c.command("RMD /").code()).isEqualTo(550);
        c.command("CWD here");
        assertThat(c.command("RMD /here").code()).isEqualTo(550);
        assertThat(c.command("RMD .").code()).isEqualTo(550);
        assertThat(server.root().resolve("here")).isDirectory();
    }

    @Test
    void deleRemovesFilesNotDirectories() throws IOException {
        Files.createDirectories(server.root().resolve("d"));
        assertThat(c.command("DELE d").code()).isEqualTo(550);
        assertThat(c.command("DELE missing").code()).isEqualTo(550);
        assertThat(c.command("DELE hello.txt").code()).isEqualTo(250);
        assertThat(server.root().resolve("hello.txt")).doesNotExist();
        assertThat(server.root().resolve("d")).isDirectory();
    }

    @Test
    void rnfrRntoRenamesFilesAndDirectories() throws IOException {
        Files.createDirectories(server.root().resolve("olddir/x"));
        assertThat(c.command("RNFR hello.txt").code()).isEqualTo(350);
        assertThat(c.command("RNTO olddir/renamed é.txt").code()).isEqualTo(250);
        assertThat(server.root().resolve("olddir/renamed é.txt")).hasContent("hello, world");
        assertThat(server.root().resolve("hello.txt")).doesNotExist();
        FTPClient ftp = server.alice();
        assertThat(ftp.rename("olddir", "newdir")).isTrue();
        assertThat(server.root().resolve("newdir/x")).isDirectory();
        assertThat(server.root().resolve("newdir/renamed é.txt")).exists();
    }

    @Test
    void renameFailures() throws IOException {
        Files.createDirectories(server.root().resolve("d/sub"));
        assertThat(c.command("RNFR missing").code()).isEqualTo(550);
        assertThat(c.command("RNTO x").code()).isEqualTo(503);
        assertThat(c.command("RNFR /").code()).isEqualTo(550);
        assertThat(c.command("RNFR d").code()).isEqualTo(350);
        assertThat(c.command("RNTO d/sub/inside").code()).isEqualTo(550);
        assertThat(c.command("RNFR hello.txt").code()).isEqualTo(350);
        assertThat(c.command("RNTO d").code()).isEqualTo(550);
        assertThat(server.root().resolve("hello.txt")).exists();
        assertThat(server.root().resolve("d/sub")).isDirectory();
    }

    @Test
    void renameOverAnExistingFileReplacesIt() throws IOException {
        Files.writeString(server.root().resolve("target.txt"), "old");
        assertThat(c.command("RNFR hello.txt").code()).isEqualTo(350);
        assertThat(c.command("RNTO target.txt").code()).isEqualTo(250);
        assertThat(server.root().resolve("target.txt")).hasContent("hello, world");
    }

    @Test
    void sizeOfFilesNotDirectories() throws IOException {
        Files.createDirectories(server.root().resolve("d"));
        Reply size = c.command("SIZE hello.txt");
        assertThat(size.code()).isEqualTo(213);
        assertThat(size.text()).isEqualTo("13");
        assertThat(c.command("SIZE d").code()).isEqualTo(550);
        assertThat(c.command("SIZE missing").code()).isEqualTo(550);
        assertThat(server.alice().getSize("hello.txt")).isEqualTo("13");
    }

    @Test
    void mdtmGivesTheModificationTimeInUtc() throws IOException {
        Reply mdtm = c.command("MDTM hello.txt");
        assertThat(mdtm.code()).isEqualTo(213);
        assertThat(mdtm.text()).isEqualTo("20210615083045");
        assertThat(c.command("MDTM missing").code()).isEqualTo(550);
        assertThat(server.alice().getModificationTime("hello.txt")).isEqualTo("20210615083045");
    }

    @Test
    void mfmtSetsTheModificationTime() throws IOException {
        Reply mfmt = c.command("MFMT 19991231235959 hello.txt");
        assertThat(mfmt.code()).isEqualTo(213);
        assertThat(mfmt.text()).contains("Modify=19991231235959").contains("hello.txt");
        assertThat(Files.getLastModifiedTime(server.root().resolve("hello.txt")).toInstant()).isEqualTo(Instant.parse("1999-12-31T23:59:59Z"));
        assertThat(server.alice().setModificationTime("hello.txt", "20200229120000")).isTrue();
        assertThat(Files.getLastModifiedTime(server.root().resolve("hello.txt")).toInstant()).isEqualTo(Instant.parse("2020-02-29T12:00:00Z"));
        assertThat(c.command("MFMT 20200230120000 hello.txt").code()).isEqualTo(501);
        assertThat(c.command("MFMT 20200101000000").code()).isEqualTo(501);
        assertThat(c.command("MFMT 20200101000000 missing").code()).isEqualTo(550);
    }

    @Test
    void hashWithEachAlgorithm() throws Exception {
        byte[] content = Files.readAllBytes(server.root().resolve("hello.txt"));
        Reply sha256 = c.command("HASH hello.txt");
        assertThat(sha256.code()).isEqualTo(213);
        assertThat(sha256.text()).isEqualTo("SHA-256 0-13 " + hex("SHA-256", content) + " hello.txt");
        for (String algorithm : new String[] {"SHA-1", "MD5", "SHA-512"}) {
            assertThat(c.command("OPTS HASH " + algorithm).code()).isEqualTo(200);
            assertThat(c.command("HASH hello.txt").text()).isEqualTo(algorithm + " 0-13 " + hex(algorithm, content) + " hello.txt");
        }
        assertThat(c.command("OPTS HASH CRC99").code()).isEqualTo(501);
        assertThat(c.command("OPTS HASH").text()).isEqualTo("SHA-512");
        assertThat(c.command("HASH missing").code()).isEqualTo(550);
        Files.createDirectory(server.root().resolve("d"));
        assertThat(c.command("HASH d").code()).isEqualTo(550);
    }

    private static String hex(String algorithm, byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    }

    @Test
    void siteHelpAndChmod() throws IOException {
        Reply help = c.command("SITE HELP");
        assertThat(help.code()).isEqualTo(214);
        assertThat(help.all()).contains("CHMOD");
        assertThat(c.command("SITE CHMOD 600 hello.txt").code()).isEqualTo(200);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.root().resolve("hello.txt")))).isEqualTo("rw-------");
        assertThat(server.alice().sendSiteCommand("chmod 644 hello.txt")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.root().resolve("hello.txt")))).isEqualTo("rw-r--r--");
        assertThat(c.command("SITE CHMOD 999 hello.txt").code()).isEqualTo(501);
        assertThat(c.command("SITE CHMOD 1777 hello.txt").code()).isEqualTo(501);
        assertThat(c.command("SITE CHMOD 644").code()).isEqualTo(501);
        assertThat(c.command("SITE CHMOD 644 missing").code()).isEqualTo(550);
        assertThat(c.command("SITE FROB").code()).isEqualTo(502);
    }

    @Test
    void mlstGivesTheFactsOfOneEntryInUtc() throws IOException {
        Reply mlst = c.command("MLST hello.txt");
        assertThat(mlst.code()).isEqualTo(250);
        assertThat(mlst.lines()).hasSize(3);
        String facts = mlst.lines().get(1);
        // RFC 3659 section 7.2: one leading space, facts, a space, the path
        assertThat(facts).startsWith(" type=file;").contains("size=13;").contains("modify=20210615083045;")
                .contains("perm=adfrw;").containsPattern("unique=[^;]+;").endsWith("; /hello.txt");
        Reply dir = c.command("MLST");
        assertThat(dir.lines().get(1)).startsWith(" type=dir;").endsWith(" /");
        assertThat(c.command("MLST missing").code()).isEqualTo(550);
    }

    @Test
    void mlstWithCommonsNet() throws IOException {
        FTPClient ftp = server.reader();
        FTPFile file = ftp.mlistFile("hello.txt");
        assertThat(file).isNotNull();
        assertThat(file.isFile()).isTrue();
        assertThat(file.getSize()).isEqualTo(13);
        assertThat(file.getTimestamp().toInstant()).isEqualTo(KNOWN_TIME);
        // The perm fact is per user: the read-only user may only read (RFC 3659 section 7.5.5)
        ControlConnection readerConnection = server.connectAs(RunningServer.READER, RunningServer.READER_PASSWORD);
        assertThat(readerConnection.command("MLST hello.txt").lines().get(1)).contains(";perm=r;");
        assertThat(new String(Files.readAllBytes(server.root().resolve("hello.txt")), StandardCharsets.UTF_8)).isEqualTo("hello, world\n");
    }
}
