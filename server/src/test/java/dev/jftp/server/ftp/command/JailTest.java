package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jail: nothing a client names, with "..", absolute paths, NUL bytes or symbolic links, reaches
 * a file outside the user's home.
 */
class JailTest {
    @TempDir
    Path base;
    Path home;
    Path outside;
    RunningServer server;
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        home = Files.createDirectory(base.resolve("home"));
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.writeString(base.resolve("beside.txt"), "beside the home");
        Files.writeString(home.resolve("inside.txt"), "inside");
        Files.createDirectory(home.resolve("sub"));
        Files.createSymbolicLink(home.resolve("escape"), outside);
        Files.createSymbolicLink(home.resolve("secret-link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(home.resolve("inner-link.txt"), home.resolve("inside.txt"));
        Files.createSymbolicLink(home.resolve("sub-link"), Path.of("sub"));
        server = RunningServer.start(home);
        c = server.connectAsAlice();
        c.command("TYPE I");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int retrCode(String path) throws IOException {
        Socket data = c.openPassive();
        Reply reply = c.command("RETR " + path);
        if (reply.code() == 150) {
            ControlConnection.readAll(data);
            return c.reply().code() == 226 ? 150 : -1;
        }
        data.close();
        return reply.code();
    }

    private void assertOutsideUntouched() throws IOException {
        assertThat(outside.resolve("secret.txt")).hasContent("top secret");
        assertThat(base.resolve("beside.txt")).hasContent("beside the home");
        try (var files = Files.list(outside)) {
            assertThat(files).containsExactly(outside.resolve("secret.txt"));
        }
        try (var files = Files.list(base)) {
            assertThat(files).containsExactlyInAnyOrder(home, outside, base.resolve("beside.txt"));
        }
    }

    @Test
    void dotDotAndAbsolutePathsStayInside() throws IOException {
        assertThat(c.command("CWD ../../..").code()).isEqualTo(250);
        assertThat(c.command("PWD").text()).startsWith("\"/\"");
        assertThat(retrCode("../beside.txt")).isEqualTo(550);
        assertThat(retrCode("../../outside/secret.txt")).isEqualTo(550);
        assertThat(retrCode("/../beside.txt")).isEqualTo(550);
        assertThat(retrCode(base.resolve("beside.txt").toString())).isEqualTo(550);
        assertThat(retrCode("/etc/passwd")).isEqualTo(550);
        assertThat(c.command("CWD " + outside).code()).isEqualTo(550);
        assertThat(c.command("SIZE ../beside.txt").code()).isEqualTo(550);
        // ".." at the root is the root: this names /inside.txt
        assertThat(retrCode("../../inside.txt")).isEqualTo(150);
    }

    @Test
    void writesWithDotDotLandInside() throws IOException {
        assertThat(c.command("MKD ../made").code()).isEqualTo(257);
        assertThat(home.resolve("made")).isDirectory();
        assertThat(c.upload("STOR ../../beside.txt", "overwritten?".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(226);
        assertThat(home.resolve("beside.txt")).hasContent("overwritten?");
        assertThat(c.command("DELE ../outside/secret.txt").code()).isEqualTo(550);
        assertThat(c.command("RNFR inside.txt").code()).isEqualTo(350);
        assertThat(c.command("RNTO ../../outside/moved.txt").code()).isEqualTo(550);
        assertThat(c.command("RNFR ../beside.txt").code()).isEqualTo(350);
        assertThat(c.command("RNTO /../../renamed.txt").code()).isEqualTo(250);
        assertThat(home.resolve("renamed.txt")).hasContent("overwritten?");
        assertOutsideUntouched();
    }

    @Test
    void aNulByteIsRefused() throws IOException {
        for (String command : List.of("RETR inside.txt\0../../beside.txt", "CWD sub\0", "DELE inside.txt\0x", "MKD a\0b")) {
            assertThat(c.command(command).code()).as(command.replace("\0", "\\0")).isEqualTo(501);
        }
        assertThat(home.resolve("inside.txt")).exists();
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void aSymlinkToADirectoryOutsideCannotBeEntered() throws IOException {
        assertThat(c.command("CWD escape").code()).isEqualTo(550);
        assertThat(c.command("PWD").text()).startsWith("\"/\"");
        assertThat(c.command("CWD escape/..").code()).isEqualTo(250);
        assertThat(c.command("PWD").text()).startsWith("\"/\"");
        assertThat(retrCode("escape/secret.txt")).isEqualTo(550);
        Socket data = c.openPassive();
        assertThat(c.command("LIST escape").code()).isEqualTo(550);
        data.close();
        assertThat(c.command("MLST escape/secret.txt").code()).isEqualTo(550);
        assertThat(c.command("STAT escape").code()).isEqualTo(550);
        assertThat(c.command("MKD escape/newdir").code()).isEqualTo(550);
        data = c.openPassive();
        assertThat(c.command("STOR escape/planted.txt").code()).isEqualTo(550);
        data.close();
        assertThat(c.command("DELE escape/secret.txt").code()).isEqualTo(550);
        assertOutsideUntouched();
    }

    @Test
    void aSymlinkToAFileOutsideCannotBeReadOrWrittenThrough() throws IOException {
        assertThat(retrCode("secret-link.txt")).isEqualTo(550);
        assertThat(c.command("SIZE secret-link.txt").code()).isEqualTo(550);
        assertThat(c.command("MDTM secret-link.txt").code()).isEqualTo(550);
        assertThat(c.command("HASH secret-link.txt").code()).isEqualTo(550);
        assertThat(c.command("MFMT 20000101000000 secret-link.txt").code()).isEqualTo(550);
        assertThat(c.command("SITE CHMOD 777 secret-link.txt").code()).isEqualTo(550);
        Socket data = c.openPassive();
        assertThat(c.command("APPE secret-link.txt").code()).isEqualTo(550);
        data.close();
        assertThat(c.command("REST 3").code()).isEqualTo(350);
        data = c.openPassive();
        assertThat(c.command("STOR secret-link.txt").code()).isEqualTo(550);
        data.close();
        assertOutsideUntouched();
    }

    @Test
    void storOverASymlinkToOutsideReplacesTheLinkNotTheTarget() throws IOException {
        assertThat(c.upload("STOR secret-link.txt", "replaced".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(226);
        assertThat(Files.isSymbolicLink(home.resolve("secret-link.txt"))).isFalse();
        assertThat(home.resolve("secret-link.txt")).hasContent("replaced");
        assertOutsideUntouched();
    }

    @Test
    void deletingASymlinkToOutsideRemovesOnlyTheLink() throws IOException {
        assertThat(c.command("DELE secret-link.txt").code()).isEqualTo(250);
        assertThat(home.resolve("secret-link.txt")).doesNotExist();
        assertOutsideUntouched();
    }

    @Test
    void symlinksThatStayInsideWork() throws IOException {
        assertThat(new String(c.download("RETR inner-link.txt"), StandardCharsets.UTF_8)).isEqualTo("inside");
        assertThat(c.command("CWD sub-link").code()).isEqualTo(250);
        assertThat(c.command("PWD").text()).startsWith("\"/sub-link\"");
    }

    @Test
    void listingsShowLinksLeadingOutsideAsBareLinks() throws IOException {
        String listing = new String(c.download("LIST"), StandardCharsets.UTF_8);
        assertThat(listing).containsPattern("(?m)^l.* escape$").containsPattern("(?m)^l.* secret-link\\.txt$");
        assertThat(listing).containsPattern("(?m)^-.* inner-link\\.txt$").containsPattern("(?m)^d.* sub-link$");
        assertThat(listing).doesNotContain("top secret");
    }
}
