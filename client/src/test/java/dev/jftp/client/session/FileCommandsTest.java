package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.JftpdTest;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FileCommandsTest extends JftpdTest {
    @Test
    void mkdirAndRmdir() throws Exception {
        client.ok("mkdir made");
        assertThat(root.resolve("made")).isDirectory();
        client.ok("rmdir made");
        assertThat(root.resolve("made")).doesNotExist();
        assertThat(client.run("rmdir made")).isFalse();
        assertThat(client.err()).isEqualTo("Couldn't remove directory \"made\": No such file or directory (550)\n");
        client.clear().ok("mkdir x");
        assertThat(client.run("mkdir x")).isFalse();
        assertThat(client.err()).contains("Couldn't create directory \"x\": File exists (550)");
    }

    @Test
    void rmDeleteAndMdeleteRemoveFilesAndPatterns() throws Exception {
        remoteFile("a.log", "a");
        remoteFile("b.log", "b");
        remoteFile("c.txt", "c");
        remoteFile("d.txt", "d");
        remoteFile("e.tmp", "e");
        client.ok("rm *.log");
        assertThat(client.out()).isEqualTo("Removing a.log\nRemoving b.log\n");
        assertThat(root.resolve("a.log")).doesNotExist();
        assertThat(root.resolve("b.log")).doesNotExist();
        client.ok("delete c.txt").ok("mdelete d.txt e.*");
        assertThat(Files.list(root)).isEmpty();
        client.clear();
        assertThat(client.run("rm gone.txt")).isFalse();
        assertThat(client.err()).contains("Couldn't delete file \"gone.txt\": No such file or directory (550)");
    }

    @Test
    void rmLeavesDirectoriesToRmdir() throws Exception {
        remoteFile("dir/inside", "x");
        assertThat(client.run("rm dir")).isFalse();
        assertThat(root.resolve("dir/inside")).exists();
        client.clear();
        assertThat(client.run("rm d*")).isFalse();
        assertThat(client.err()).contains("Couldn't delete \"dir\": it is a directory (use rmdir)");
    }

    @Test
    void renameMovesAFile() throws Exception {
        remoteFile("old.txt", "content");
        client.ok("rename old.txt new.txt");
        assertThat(root.resolve("new.txt")).hasContent("content");
        assertThat(root.resolve("old.txt")).doesNotExist();
        assertThat(client.run("rename old.txt other.txt")).isFalse();
        assertThat(client.err()).contains("Couldn't rename \"old.txt\" to \"other.txt\"").contains("(550)");
        client.clear();
        assertThat(client.run("rename onlyone")).isFalse();
        assertThat(client.err()).isEqualTo("Usage: rename oldpath newpath\n");
    }

    @Test
    void chmodUsesSiteChmod() throws Exception {
        remoteFile("f.txt", "f");
        remoteFile("g.txt", "g");
        client.ok("chmod 600 *.txt");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("f.txt")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("g.txt")))).isEqualTo("rw-------");
        assertThat(client.out()).isEqualTo("Changing mode on f.txt\nChanging mode on g.txt\n");
        assertThat(client.run("chmod rwx f.txt")).isFalse();
        assertThat(client.err()).contains("chmod: \"rwx\" is not an octal mode such as 644");
    }

    @Test
    void linksAndDfAreNotSupportedByJftpd() {
        assertThat(client.run("ln -s a b")).isFalse();
        assertThat(client.err()).isEqualTo("ln: symbolic links are not supported by this server\n");
        client.clear();
        assertThat(client.run("ln a b")).isFalse();
        assertThat(client.err()).isEqualTo("ln: hard links are not supported by this server\n");
        client.clear();
        assertThat(client.run("symlink a b")).isFalse();
        assertThat(client.err()).isEqualTo("symlink: symbolic links are not supported by this server\n");
        client.clear();
        assertThat(client.run("df")).isFalse();
        assertThat(client.err()).isEqualTo("df: not supported by this server\n");
        client.clear();
        assertThat(client.run("df -h /")).isFalse();
        assertThat(client.err()).isEqualTo("df: not supported by this server\n");
    }

    @Test
    void sizeAndHashAskTheServer() throws Exception {
        remoteFile("data.txt", "0123456789");
        client.ok("size data.txt");
        assertThat(client.out()).isEqualTo("data.txt\t10\n");
        client.clear().ok("hash data.txt");
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("0123456789".getBytes()));
        assertThat(client.out()).isEqualTo(sha256 + "  data.txt (SHA-256)\n");
        client.clear().ok("hash -a md5 data.txt");
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest("0123456789".getBytes()));
        assertThat(client.out()).isEqualTo(md5 + "  data.txt (MD5)\n");
        assertThat(client.run("hash -a whirlpool data.txt")).isFalse();
        assertThat(client.err()).contains("hash: the server does not offer WHIRLPOOL");
        client.clear();
        assertThat(client.run("size nosuch")).isFalse();
        assertThat(client.err()).contains("Couldn't get the size of \"nosuch\": No such file or directory (550)");
    }
}
