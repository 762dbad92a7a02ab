package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CWD, CDUP, PWD and their X variants. */
class NavigationCommandsTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        Files.createDirectories(server.root().resolve("a/b"));
        Files.createDirectories(server.root().resolve("dir with spaces/naïve ☃"));
        Files.writeString(server.root().resolve("a/file.txt"), "x");
        c = server.connectAsAlice();
    }

    @Test
    void cwdAndPwdAndTheirXVariants() throws IOException {
        assertThat(c.command("CWD a").code()).isEqualTo(250);
        assertThat(c.command("PWD").text()).startsWith("\"/a\"");
        assertThat(c.command("XCWD b").code()).isEqualTo(250);
        assertThat(c.command("XPWD").text()).startsWith("\"/a/b\"");
        assertThat(c.command("CDUP").code()).isEqualTo(250);
        assertThat(c.command("PWD").text()).startsWith("\"/a\"");
        assertThat(c.command("XCUP").code()).isEqualTo(250);
        assertThat(c.command("PWD").text()).startsWith("\"/\"");
        assertThat(c.command("CWD /a/b").code()).isEqualTo(250);
        assertThat(c.command("CWD ../..").code()).isEqualTo(250);
        assertThat(c.command("PWD").code()).isEqualTo(257);
        assertThat(c.command("PWD").text()).startsWith("\"/\"");
    }

    @Test
    void cdupAtTheRootStaysAtTheRoot() throws IOException {
        assertThat(c.command("CDUP").code()).isEqualTo(250);
        assertThat(c.command("PWD").text()).startsWith("\"/\"");
    }

    @Test
    void cwdToAFileOrToNothingGets550AndKeepsTheDirectory() throws IOException {
        c.command("CWD a");
        assertThat(c.command("CWD file.txt").code()).isEqualTo(550);
        assertThat(c.command("CWD nowhere").code()).isEqualTo(550);
        assertThat(c.command("PWD").text()).startsWith("\"/a\"");
    }

    @Test
    void utf8NamesWithSpaces() throws IOException {
        FTPClient ftp = server.alice();
        assertThat(ftp.changeWorkingDirectory("dir with spaces/naïve ☃")).isTrue();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/dir with spaces/naïve ☃");
        assertThat(ftp.changeToParentDirectory()).isTrue();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/dir with spaces");
    }

    @Test
    void quotesInADirectoryNameAreDoubledIn257() throws IOException {
        Files.createDirectory(server.root().resolve("say \"hi\""));
        assertThat(c.command("CWD say \"hi\"").code()).isEqualTo(250);
        assertThat(c.command("PWD").text()).startsWith("\"/say \"\"hi\"\"\" ");
        FTPClient ftp = server.alice();
        assertThat(ftp.changeWorkingDirectory("say \"hi\"")).isTrue();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/say \"hi\"");
    }
}
