package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.JftpdTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A download into something that is not a regular file writes into it instead of replacing it
 * with a regular file: a symbolic link stays a link (its file gets the bytes), a FIFO or a device
 * is written straight into.
 */
class DownloadTargetTest extends JftpdTest {
    @Test
    void aSymbolicLinkStaysALinkAndItsFileGetsTheBytes() throws Exception {
        remoteFile("README", "new content\n");
        Path real = localFile("notes/real.txt", "old\n");
        Path link = Files.createSymbolicLink(client.local.resolve("mylink"), Path.of("notes/real.txt"));
        client.ok("get README mylink");
        assertThat(Files.isSymbolicLink(link)).as("the link is still a link").isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("notes/real.txt"));
        assertThat(real).hasContent("new content");
        try (var files = Files.list(client.local.resolve("notes"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no part file left").containsExactly("real.txt");
        }
    }

    @Test
    void aLinkToANewFileCreatesThatFile() throws Exception {
        remoteFile("README", "content\n");
        Files.createDirectories(client.local.resolve("dir"));
        Path link = Files.createSymbolicLink(client.local.resolve("dangling"), Path.of("dir/created.txt"));
        client.ok("get README dangling");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(client.local.resolve("dir/created.txt")).hasContent("content");
    }

    @Test
    @Timeout(60)
    void aFifoIsWrittenStraightInto() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 5];
        new java.util.Random(7).nextBytes(content);
        Files.write(root.resolve("big.bin"), content);
        Path fifo = client.local.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        Assumptions.assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "SKIPPED: mkfifo failed");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        client.ok("get big.bin pipe");
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(content);
        assertThat(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()).as("still a FIFO").isTrue();
        assertThat(client.local.resolve(".pipe.jftp-part")).doesNotExist();
        assertThat(client.run("reget big.bin pipe")).isFalse();
        assertThat(client.err()).contains("Cannot resume into " + fifo + ": it is not a regular file");
    }

    @Test
    void aDeviceIsWrittenIntoNotReplaced() throws Exception {
        remoteFile("big.bin", "x".repeat(100_000));
        // A device of our own (the same one as /dev/null), so that a failure replaces nothing of the system's.
        Path device = client.local.resolve("null");
        Process mknod = new ProcessBuilder("mknod", device.toString(), "c", "1", "3").redirectErrorStream(true).start();
        Assumptions.assumeTrue(mknod.waitFor(10, TimeUnit.SECONDS) && mknod.exitValue() == 0,
                "SKIPPED: mknod needs root (CAP_MKNOD); the FIFO test covers writing into a non-regular file");
        Files.setPosixFilePermissions(device, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(root.resolve("big.bin"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        client.ok("get -p big.bin null");
        BasicFileAttributes attributes = Files.readAttributes(device, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(attributes.isOther()).as("still a character device").isTrue();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(device)))
                .as("-p does not change a device's mode").isEqualTo("rw-------");
    }
}
