package dev.jftp.client.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import dev.jftp.client.support.JftpdTest;
import dev.jftp.client.support.SftpTest;
import dev.jftp.client.support.SftpTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's commands over SFTP against OpenSSH's sshd: the same commands, globs, recursion and resume as over FTP. */
class SftpCommandsTest extends SftpTest {
    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 1_000_003, 5 * 1024 * 1024 + 7})
    void putAndGetAreByteExactAtEverySize(int size) throws Exception {
        byte[] content = random(size);
        Path local = Files.write(client.local.resolve("up.bin"), content);
        client.ok("put up.bin");
        assertThat(server.file("up.bin")).hasBinaryContent(content);
        client.ok("get up.bin down.bin");
        assertThat(Files.mismatch(local, client.local.resolve("down.bin"))).isEqualTo(-1);
        assertThat(client.err()).isEmpty();
    }

    @Test
    void pwdCdAndLsShowTheServersTree() throws Exception {
        remoteFile("docs/readme.txt", "hello");
        remoteFile(".hidden", "h");
        client.ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: " + server.root + "\n");
        client.clear().ok("ls -1");
        assertThat(client.out()).isEqualTo("docs\n");
        client.clear().ok("ls -1a");
        assertThat(client.out()).isEqualTo(".hidden\ndocs\n");
        client.clear().ok("cd docs").ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: " + server.root.resolve("docs") + "\n");
        client.clear().ok("ls -l");
        assertThat(client.out()).startsWith("-rw").contains(" " + SftpTestServer.USER + " ").contains(" 5 ").endsWith(" readme.txt\n");
        client.clear().ok("cd ..").ok("cd");
        client.clear().ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: " + server.root + "\n");
        assertThat(client.run("cd docs/readme.txt")).isFalse();
        assertThat(client.err()).contains("docs/readme.txt").contains("Not a directory");
        assertThat(client.clear().run("cd nowhere")).isFalse();
        assertThat(client.err()).contains("No such file or directory");
    }

    @Test
    void mkdirRenameRmRmdirAndChmodChangeTheServersDisk() throws Exception {
        remoteFile("a.txt", "a");
        client.ok("mkdir d").ok("rename a.txt d/b.txt").ok("chmod 600 d/b.txt");
        assertThat(server.file("d")).isDirectory();
        assertThat(server.file("a.txt")).doesNotExist();
        assertThat(server.file("d/b.txt")).hasContent("a");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.file("d/b.txt")))).isEqualTo("rw-------");
        assertThat(client.run("rmdir d")).as("not empty").isFalse();
        client.clear().ok("rm d/b.txt").ok("rmdir d");
        assertThat(server.file("d")).doesNotExist();
        assertThat(client.run("rm nothing.txt")).isFalse();
        assertThat(client.err()).contains("nothing.txt").contains("No such file or directory");
    }

    @Test
    void renameReplacesAnExistingTargetAsSftpDoes() throws Exception {
        remoteFile("new.txt", "new");
        remoteFile("old.txt", "old");
        client.ok("rename new.txt old.txt");
        assertThat(server.file("old.txt")).hasContent("new");
        assertThat(server.file("new.txt")).doesNotExist();
    }

    @Test
    void globsWorkInGetPutRmAndLs() throws Exception {
        remoteFile("one.txt", "1");
        remoteFile("two.txt", "2");
        remoteFile("three.log", "3");
        client.ok("get *.txt");
        assertThat(client.local.resolve("one.txt")).hasContent("1");
        assertThat(client.local.resolve("two.txt")).hasContent("2");
        assertThat(client.local.resolve("three.log")).doesNotExist();
        client.clear().ok("ls -1 t*");
        assertThat(client.out()).isEqualTo("three.log\ntwo.txt\n");
        localFile("x.dat", "x");
        localFile("y.dat", "y");
        client.ok("mput *.dat");
        assertThat(server.file("x.dat")).hasContent("x");
        assertThat(server.file("y.dat")).hasContent("y");
        client.ok("rm *.txt");
        assertThat(server.file("one.txt")).doesNotExist();
        assertThat(server.file("two.txt")).doesNotExist();
        assertThat(server.file("three.log")).exists();
    }

    @Test
    void recursivePutAndGetCopyWholeTrees() throws Exception {
        localFile("tree/a.txt", "a");
        localFile("tree/sub/b.txt", "b");
        localFile("tree/sub/deeper/c.txt", "c");
        client.ok("put -r tree");
        assertThat(server.file("tree/sub/deeper/c.txt")).hasContent("c");
        assertThat(server.file("tree/a.txt")).hasContent("a");
        client.ok("get -r tree copy");
        assertThat(client.local.resolve("copy/sub/b.txt")).hasContent("b");
        assertThat(client.local.resolve("copy/sub/deeper/c.txt")).hasContent("c");
    }

    @Test
    void regetContinuesAPartialDownloadAndReputAPartialUpload() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 5);
        server.remoteFile("big.bin", content);
        Files.write(client.local.resolve(".big.bin.jftp-part"), java.util.Arrays.copyOf(content, 1_000_000));
        client.ok("reget big.bin");
        assertThat(client.local.resolve("big.bin")).hasBinaryContent(content);
        assertThat(client.out()).contains("Resuming big.bin");

        Files.write(client.local.resolve("up.bin"), content);
        server.remoteFile("up.bin", java.util.Arrays.copyOf(content, 2_000_000));
        client.clear().ok("reput up.bin");
        assertThat(server.file("up.bin")).hasBinaryContent(content);
        client.clear().ok("reput up.bin");
        assertThat(client.out()).contains("is already complete");
    }

    @Test
    void preserveKeepsTimesAndModesBothWays() throws Exception {
        Path local = localFile("p.txt", "p");
        Instant then = Instant.parse("2021-05-06T07:08:09Z");
        Files.setLastModifiedTime(local, FileTime.from(then));
        client.ok("put -p p.txt");
        assertThat(Files.getLastModifiedTime(server.file("p.txt")).toInstant()).isEqualTo(then);
        Path remote = remoteFile("q.txt", "q");
        Files.setLastModifiedTime(remote, FileTime.from(then));
        Files.setPosixFilePermissions(remote, PosixFilePermissions.fromString("rw-r-----"));
        client.ok("get -p q.txt");
        assertThat(Files.getLastModifiedTime(client.local.resolve("q.txt")).toInstant()).isEqualTo(then);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(client.local.resolve("q.txt")))).isEqualTo("rw-r-----");
    }

    @Test
    void symlinkDfSizeAndVersionWorkAndFtpOnlyCommandsSaySo() throws Exception {
        remoteFile("target.txt", "12345");
        client.ok("ln -s target.txt link.txt");
        assertThat(Files.readSymbolicLink(server.file("link.txt"))).isEqualTo(Path.of("target.txt"));
        client.clear().ok("size target.txt");
        assertThat(client.out()).isEqualTo("target.txt\t5\n");
        client.clear().ok("df");
        assertThat(client.out()).startsWith("     Avail\n");
        client.clear().ok("version");
        assertThat(client.out()).contains("OpenSSH").contains("SFTP protocol version 3").contains("posix-rename@openssh.com");
        assertThat(client.clear().run("ascii")).isFalse();
        assertThat(client.err()).contains("SFTP has no text mode");
        assertThat(client.clear().run("hash target.txt")).isFalse();
        assertThat(client.err()).contains("not supported over SFTP");
        assertThat(client.clear().run("user somebody")).isFalse();
        assertThat(client.err()).contains("not available over SFTP");
        client.clear().ok("binary");
        localFile("synced.txt", "on disk");
        client.clear().ok("put -f synced.txt");
        assertThat(client.err()).as("fsync@openssh.com, no warning").isEmpty();
        assertThat(server.file("synced.txt")).hasContent("on disk");
    }

    @Test
    void ctrlCStopsADownloadKeepsThePartAndTheSessionGoesOn() throws Exception {
        JftpdTest.randomFile(server.root.resolve("big.bin"), 32);
        AtomicBoolean pressed = new AtomicBoolean();
        client.session().setTransferObserver(new TransferListener() {
            @Override
            public void progressed(Transfer transfer) {
                if (transfer.bytes() >= 4 * 1024 * 1024 && pressed.compareAndSet(false, true)) {
                    client.session().interrupt();
                }
            }
        });
        assertThat(client.run("get big.bin")).isFalse();
        assertThat(client.err()).contains("Partial download kept in").endsWith("get: interrupted\n");
        assertThat(client.local.resolve("big.bin")).doesNotExist();
        client.session().setTransferObserver(null);
        client.clear().ok("reget big.bin");
        assertThat(Files.mismatch(server.root.resolve("big.bin"), client.local.resolve("big.bin"))).isEqualTo(-1);
    }

    @Test
    void ctrlCStopsAnUploadWhichLeavesWhatArrivedForReput() throws Exception {
        Path local = JftpdTest.randomFile(client.local.resolve("big.bin"), 32);
        AtomicBoolean pressed = new AtomicBoolean();
        client.session().setTransferObserver(new TransferListener() {
            @Override
            public void progressed(Transfer transfer) {
                if (transfer.bytes() >= 4 * 1024 * 1024 && pressed.compareAndSet(false, true)) {
                    client.session().interrupt();
                }
            }
        });
        assertThat(client.run("put big.bin")).isFalse();
        assertThat(client.err()).contains("Partial upload kept in \"big.bin\"").endsWith("put: interrupted\n");
        assertThat(Files.size(server.file("big.bin"))).isLessThan(Files.size(local));
        client.session().setTransferObserver(null);
        client.clear().ok("reput big.bin");
        assertThat(Files.mismatch(local, server.file("big.bin"))).isEqualTo(-1);
    }
}
