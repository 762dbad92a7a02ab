package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.JftpdTest;
import dev.jftp.client.support.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Wrong input gets one clear message, the session goes on, and no partial file takes a final name. */
class BadInputTest extends JftpdTest {
    private void assertNoLocalLeftovers() throws Exception {
        try (Stream<Path> files = Files.walk(client.local)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aMissingRemoteFileIsNamedAndNothingIsCreated() throws Exception {
        assertThat(client.run("get nosuch.txt")).isFalse();
        assertThat(client.err()).isEqualTo("File \"nosuch.txt\" not found.\n");
        client.clear();
        assertThat(client.run("get nosuch.txt renamed.txt")).isFalse();
        assertThat(client.err()).isEqualTo("File \"nosuch.txt\" not found.\n");
        client.clear();
        assertThat(client.run("get *.nothing")).isFalse();
        assertThat(client.err()).isEqualTo("File \"*.nothing\" not found.\n");
        client.clear();
        assertThat(client.run("reget nosuch.txt")).isFalse();
        assertThat(client.err()).isEqualTo("File \"nosuch.txt\" not found.\n");
        assertNoLocalLeftovers();
        client.clear().ok("pwd");
        assertThat(client.out()).as("the session goes on").isEqualTo("Remote working directory: /\n");
    }

    @Test
    void aMissingLocalFileIsNamed() {
        assertThat(client.run("put nosuch.txt")).isFalse();
        assertThat(client.err()).isEqualTo("Local file \"" + client.local.resolve("nosuch.txt") + "\" not found\n");
        client.clear();
        assertThat(client.run("put *.nothing")).isFalse();
        assertThat(client.err()).isEqualTo("File \"*.nothing\" not found.\n");
    }

    @Test
    void whatTheServerForbidsIsReportedAsPermissionDenied() throws Exception {
        remoteFile("keep.txt", "keep");
        localFile("x.txt", "x");
        try (TestClient reader = new TestClient(base.resolve("reader")).connect(server, "reader")) {
            Files.writeString(reader.local.resolve("x.txt"), "x");
            assertThat(reader.run("put x.txt")).isFalse();
            assertThat(reader.err()).isEqualTo("Cannot upload to \"x.txt\": Permission denied (write) (550)\n");
            reader.clear();
            assertThat(reader.run("rm keep.txt")).isFalse();
            assertThat(reader.err()).contains("Couldn't delete file \"keep.txt\": Permission denied (delete) (550)");
            reader.clear();
            assertThat(reader.run("mkdir d")).isFalse();
            assertThat(reader.err()).isEqualTo("Couldn't create directory \"d\": Permission denied (mkdir) (550)\n");
            reader.clear();
            assertThat(reader.run("rename keep.txt k2")).isFalse();
            assertThat(reader.err()).contains("Permission denied (rename)");
            reader.clear();
            assertThat(reader.run("chmod 600 keep.txt")).isFalse();
            assertThat(reader.err()).contains("Permission denied (write)");
            reader.ok("get keep.txt");
            assertThat(reader.local.resolve("keep.txt")).hasContent("keep");
        }
        assertThat(root.resolve("keep.txt")).hasContent("keep");
        assertThat(root.resolve("x.txt")).doesNotExist();
    }

    @Test
    void aLocalTargetThatCannotBeWrittenLeavesNothing() throws Exception {
        remoteFile("r.txt", "r");
        assertThat(client.run("get r.txt nodir/r.txt")).isFalse();
        assertThat(client.err()).isEqualTo("Cannot write " + client.local.resolve("nodir/r.txt") + ": directory "
                + client.local.resolve("nodir") + " does not exist\n");
        localFile("plainfile", "p");
        client.clear();
        assertThat(client.run("get r.txt plainfile/r.txt")).isFalse();
        assertThat(client.err()).contains("is not a directory");
        assertThat(client.local.resolve("plainfile")).hasContent("p");
    }

    @Test
    void aLocalDirectoryWithoutWritePermissionIsReported() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "running as root: file permissions do not stop root, so this case cannot be produced here");
        remoteFile("r.txt", "r");
        Path locked = Files.createDirectories(client.local.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThat(client.run("get r.txt locked/r.txt")).isFalse();
            assertThat(client.err()).isEqualTo("Cannot write " + locked.resolve("r.txt") + ": Permission denied\n");
            assertThat(locked.resolve("r.txt")).doesNotExist();
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void severalSourcesNeedADirectory() throws Exception {
        remoteFile("a.log", "a");
        remoteFile("b.log", "b");
        localFile("target.txt", "t");
        assertThat(client.run("get *.log target.txt")).isFalse();
        assertThat(client.err()).isEqualTo("Multiple source paths, but destination \"" + client.local.resolve("target.txt") + "\" is not a directory\n");
        assertThat(client.local.resolve("target.txt")).hasContent("t");
        localFile("c.log", "c");
        localFile("d.log", "d");
        client.clear();
        assertThat(client.run("put *.log a.log")).isFalse();
        assertThat(client.err()).isEqualTo("Multiple source paths, but destination \"a.log\" is not a directory\n");
    }

    @Test
    void usageMistakesShowTheUsage() {
        assertThat(client.run("get")).isFalse();
        assertThat(client.err()).isEqualTo("Usage: get [-afPpRr] remote [local]\n");
        client.clear();
        assertThat(client.run("put a b c")).isFalse();
        assertThat(client.err()).isEqualTo("Usage: put [-afPpRr] local [remote]\n");
        client.clear();
        assertThat(client.run("get -x file")).isFalse();
        assertThat(client.err()).isEqualTo("get: unknown option -x (options: -afPpRr)\n");
        client.clear();
        assertThat(client.run("chmod 644")).isFalse();
        assertThat(client.err()).isEqualTo("Usage: chmod mode path...\n");
    }

    @Test
    void oneFailingFileDoesNotStopTheOthers() throws Exception {
        remoteFile("a.log", "a");
        remoteFile("b.log", "b");
        localFile("a.log", "old");
        Files.createDirectories(client.local.resolve(".a.log.jftp-part"));
        assertThat(client.run("get *.log")).isFalse();
        assertThat(client.err()).contains("Cannot write " + client.local.resolve("a.log")).endsWith("get: 1 file failed\n");
        assertThat(client.local.resolve("a.log")).hasContent("old");
        assertThat(client.local.resolve("b.log")).hasContent("b");
    }
}
