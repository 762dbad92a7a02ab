package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.JftpdTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class NavigationCommandsTest extends JftpdTest {
    @Test
    void cdAndPwdMoveThroughRemoteDirectories() throws Exception {
        Files.createDirectories(root.resolve("sub/deeper"));
        client.ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: /\n");
        client.clear().ok("cd sub").ok("cd deeper").ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: /sub/deeper\n");
        client.clear().ok("cd ..").ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: /sub\n");
        client.clear().ok("cd").ok("pwd");
        assertThat(client.out()).as("cd alone goes home").isEqualTo("Remote working directory: /\n");
        client.clear().ok("cd su*").ok("pwd");
        assertThat(client.out()).as("a pattern naming one directory").isEqualTo("Remote working directory: /sub\n");
    }

    @Test
    void cdToWhatIsNotADirectoryFailsClearly() throws Exception {
        remoteFile("file.txt", "x");
        assertThat(client.run("cd nosuch")).isFalse();
        assertThat(client.err()).isEqualTo("Can't change directory: \"nosuch\": No such file or directory (550)\n");
        client.clear();
        assertThat(client.run("cd file.txt")).isFalse();
        assertThat(client.err()).contains("Can't change directory: \"file.txt\": Not a directory (550)");
        client.clear();
        assertThat(client.run("cd nothing*")).isFalse();
        assertThat(client.err()).isEqualTo("File \"nothing*\" not found.\n");
    }

    @Test
    void lcdLpwdAndLmkdirWorkLocally() throws Exception {
        client.ok("lpwd");
        assertThat(client.out()).isEqualTo("Local working directory: " + client.local + "\n");
        client.clear().ok("lmkdir fresh").ok("lcd fresh").ok("lpwd");
        assertThat(client.local.resolve("fresh")).isDirectory();
        assertThat(client.out()).isEqualTo("Local working directory: " + client.local.resolve("fresh") + "\n");
        client.clear().ok("lcd").ok("lpwd");
        assertThat(client.out()).as("lcd alone goes home").isEqualTo("Local working directory: " + client.home + "\n");
    }

    @Test
    void lcdAndLmkdirReportProblems() throws Exception {
        localFile("plain", "x");
        assertThat(client.run("lcd nosuch")).isFalse();
        assertThat(client.err()).contains("Couldn't change local directory to \"" + client.local.resolve("nosuch") + "\": No such file or directory");
        client.clear();
        assertThat(client.run("lcd plain")).isFalse();
        assertThat(client.err()).contains("Not a directory");
        client.clear();
        client.ok("lmkdir d");
        assertThat(client.run("lmkdir d")).isFalse();
        assertThat(client.err()).contains("Couldn't create local directory \"" + client.local.resolve("d") + "\": File exists");
    }

    @Test
    void lumaskAppliesToLocalDirectoriesAndFiles() throws Exception {
        remoteFile("r.txt", "r");
        client.ok("lumask 077");
        assertThat(client.out()).isEqualTo("Local umask: 077\n");
        client.ok("lmkdir private").ok("get r.txt");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(client.local.resolve("private")))).isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(client.local.resolve("r.txt")))).isEqualTo("rw-------");
        assertThat(client.run("lumask 99")).isFalse();
        assertThat(client.err()).contains("is not an octal umask");
    }
}
