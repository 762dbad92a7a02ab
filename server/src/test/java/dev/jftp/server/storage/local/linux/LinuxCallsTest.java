package dev.jftp.server.storage.local.linux;

import static dev.jftp.server.storage.local.linux.LinuxCalls.AT_FDCWD;
import static dev.jftp.server.storage.local.linux.LinuxCalls.AT_REMOVEDIR;
import static dev.jftp.server.storage.local.linux.LinuxCalls.AT_SYMLINK_NOFOLLOW;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_CLOEXEC;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_CREAT;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_DIRECTORY;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_EXCL;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_NOFOLLOW;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_PATH;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_RDONLY;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_WRONLY;
import static dev.jftp.server.storage.local.linux.LinuxCalls.RENAME_EXCHANGE;
import static dev.jftp.server.storage.local.linux.LinuxCalls.RENAME_NOREPLACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The FFM bindings against what the JDK and the file system say, one call at a time. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinuxCallsTest {
    @TempDir
    Path dir;
    int dirfd;

    @BeforeEach
    void openTheDirectory() throws IOException {
        dirfd = LinuxCalls.openat(AT_FDCWD, bytes(dir.toString()), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
    }

    @org.junit.jupiter.api.AfterEach
    void closeIt() {
        LinuxCalls.close(dirfd);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void statxAgreesWithTheJdk() throws IOException {
        Path file = Files.writeString(dir.resolve("f.txt"), "hello");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2021-02-03T04:05:06.123456789Z")));
        FileStatus status = LinuxCalls.statx(dirfd, bytes("f.txt"), 0);
        PosixFileAttributes jdk = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(status.isRegularFile()).isTrue();
        assertThat(status.size()).isEqualTo(5);
        assertThat(status.permissions()).isEqualTo(0640);
        assertThat(status.modified()).isEqualTo(Instant.parse("2021-02-03T04:05:06.123456789Z"));
        assertThat(status.key().toString()).isEqualTo(jdk.fileKey().toString());

        Files.createSymbolicLink(dir.resolve("link"), Path.of("f.txt"));
        assertThat(LinuxCalls.statx(dirfd, bytes("link"), AT_SYMLINK_NOFOLLOW).isSymbolicLink()).isTrue();
        assertThat(LinuxCalls.statx(dirfd, bytes("link"), 0).sameFile(status)).isTrue();
        assertThat(LinuxCalls.fstat(dirfd).isDirectory()).isTrue();
    }

    @Test
    void errorsCarryErrnoAndNoPath() {
        assertThatThrownBy(() -> LinuxCalls.statx(dirfd, bytes("missing"), 0))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(ErrnoException.ENOENT);
                    assertThat(e.getMessage()).isEqualTo("statx: No such file or directory");
                });
    }

    @Test
    void makeRenameAndRemoveRelativeToTheDirectory() throws IOException {
        LinuxCalls.mkdirat(dirfd, bytes("d"), 0755);
        assertThat(dir.resolve("d")).isDirectory();
        assertThatThrownBy(() -> LinuxCalls.mkdirat(dirfd, bytes("d"), 0755))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.EEXIST));

        Files.writeString(dir.resolve("d/inner"), "x");
        assertThatThrownBy(() -> LinuxCalls.unlinkat(dirfd, bytes("d"), AT_REMOVEDIR))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.ENOTEMPTY));

        Files.writeString(dir.resolve("a"), "A");
        Files.writeString(dir.resolve("b"), "B");
        assertThatThrownBy(() -> LinuxCalls.renameat2(dirfd, bytes("a"), dirfd, bytes("b"), RENAME_NOREPLACE))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.EEXIST));
        LinuxCalls.renameat2(dirfd, bytes("a"), dirfd, bytes("b"), RENAME_EXCHANGE);
        assertThat(dir.resolve("a")).hasContent("B");
        assertThat(dir.resolve("b")).hasContent("A");
        LinuxCalls.renameat2(dirfd, bytes("a"), dirfd, bytes("b"), 0);
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).hasContent("B");

        LinuxCalls.unlinkat(dirfd, bytes("b"), 0);
        LinuxCalls.unlinkat(dirfd, bytes("d/inner"), 0);
        LinuxCalls.unlinkat(dirfd, bytes("d"), AT_REMOVEDIR);
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFileOpenedAtADirectoryIsReachedThroughProcWhateverItsNameIsNow() throws IOException {
        int fd = LinuxCalls.openat(dirfd, bytes("new"), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        try {
            Files.move(dir.resolve("new"), dir.resolve("moved"));
            try (FileChannel channel = FileChannel.open(Path.of(new String(LinuxCalls.procPath(fd), StandardCharsets.US_ASCII)),
                    StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes("through the handle")));
            }
            LinuxCalls.chmodOpen(fd, 0600);
            LinuxCalls.setModifiedOpen(fd, 1_000_000_000L, 5);
            assertThat(new String(LinuxCalls.pathOf(fd), StandardCharsets.UTF_8)).isEqualTo(dir.resolve("moved").toString());
        } finally {
            LinuxCalls.close(fd);
        }
        assertThat(dir.resolve("moved")).hasContent("through the handle");
        assertThat(Files.getPosixFilePermissions(dir.resolve("moved"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getLastModifiedTime(dir.resolve("moved")).toInstant()).isEqualTo(Instant.ofEpochSecond(1_000_000_000L, 5));
    }

    @Test
    void readlinkGivesTheLinkText() throws IOException {
        Files.createSymbolicLink(dir.resolve("l"), Path.of("../some/where"));
        assertThat(new String(LinuxCalls.readlinkat(dirfd, bytes("l")), StandardCharsets.UTF_8)).isEqualTo("../some/where");
        int link = LinuxCalls.openat(dirfd, bytes("l"), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
        try {
            assertThat(LinuxCalls.fstat(link).isSymbolicLink()).isTrue();
            assertThat(new String(LinuxCalls.readlinkat(link, new byte[0]), StandardCharsets.UTF_8)).isEqualTo("../some/where");
        } finally {
            LinuxCalls.close(link);
        }
    }

    @Test
    void aFifoOpenedAsAPathDoesNotBlock() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        int fd = LinuxCalls.openat(dirfd, bytes("fifo"), O_PATH | O_CLOEXEC, 0); // a plain open would wait for a writer
        try {
            FileStatus status = LinuxCalls.fstat(fd);
            assertThat(status.isRegularFile()).isFalse();
            assertThat(status.isDirectory()).isFalse();
        } finally {
            LinuxCalls.close(fd);
        }
    }

    @Test
    void directoryReaderListsEveryNameAsRawBytes() throws IOException {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 2000; i++) { // several getdents64 buffers
            String name = "entry-" + i + "-" + "x".repeat(i % 50);
            Files.createFile(dir.resolve(name));
            made.add(name);
        }
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        int fd = LinuxCalls.openat(dirfd, latin1, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        LinuxCalls.close(fd);
        List<String> seen = new ArrayList<>();
        boolean sawLatin1 = false;
        try (DirectoryReader reader = new DirectoryReader(LinuxCalls.openat(dirfd, new byte[] {'.'}, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0))) {
            for (byte[] name; (name = reader.next()) != null; ) {
                if (java.util.Arrays.equals(name, latin1)) {
                    sawLatin1 = true;
                } else {
                    seen.add(new String(name, StandardCharsets.UTF_8));
                }
                assertThat(LinuxCalls.statx(reader.fd(), name, AT_SYMLINK_NOFOLLOW).isRegularFile()).isTrue();
            }
            assertThat(reader.next()).isNull();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(made);
        assertThat(sawLatin1).isTrue();
    }

    @Test
    void aSharedHandleClosesOnlyAfterItsLastUse() throws IOException {
        int fd = LinuxCalls.openat(AT_FDCWD, bytes(dir.toString()), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        DirectoryHandle handle = DirectoryHandle.adopt(fd, null);
        assertThat(handle.anchors()).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly(dir.toRealPath().toString());
        assertThat(handle.isSameDirectory(LinuxCalls.fstat(dirfd))).isTrue();
        int used = handle.acquire();
        handle.close();
        assertThat(opens(used, dir)).as("still in use").isTrue();
        assertThat(LinuxCalls.fstat(used).isDirectory()).isTrue();
        handle.release();
        assertThat(opens(used, dir)).as("closed after the last use").isFalse();
        assertThatThrownBy(handle::acquire)
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.EBADF));
        handle.close(); // twice is harmless
    }

    @Test
    void aHandleNamedThroughALinkKnowsBothPaths() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        byte[] named = bytes(link.toString());
        try (DirectoryHandle handle = DirectoryHandle.adopt(LinuxCalls.openat(AT_FDCWD, named, O_PATH | O_DIRECTORY | O_CLOEXEC, 0), named)) {
            assertThat(handle.anchors()).extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactly(real.toRealPath().toString(), link.toString());
        }
    }

    @Test
    void adoptRefusesAFile() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        int fd = LinuxCalls.openat(dirfd, bytes("file"), O_PATH | O_CLOEXEC, 0);
        assertThatThrownBy(() -> DirectoryHandle.adopt(fd, null))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.ENOTDIR));
        assertThat(opens(fd, dir.resolve("file"))).as("closed").isFalse();
    }

    /** Whether descriptor {@code fd} of this process is open on {@code file} (the number may have been reused since). */
    static boolean opens(int fd, Path file) throws IOException {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            return Files.readSymbolicLink(link).equals(file.toRealPath());
        } catch (java.nio.file.NoSuchFileException closed) {
            return false;
        }
    }
}
