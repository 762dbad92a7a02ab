package dev.jftp.server.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.FileNameTooLongException;
import dev.jftp.server.storage.InvalidOffsetException;
import dev.jftp.server.storage.JailViolationException;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalStorageViewTest {
    @TempDir
    Path base;
    Path home;
    LocalStorageView fs;

    @BeforeEach
    void open() throws IOException {
        home = Files.createDirectories(base.resolve("home"));
        fs = new LocalStorageView(home);
    }

    @AfterEach
    void close() {
        fs.close();
    }

    private static VirtualPath path(String p) {
        return VirtualPath.ROOT.resolve(p);
    }

    private List<FileEntry> list(String dir) throws IOException {
        List<FileEntry> entries = new ArrayList<>();
        try (DirectoryStream<FileEntry> list = fs.list(path(dir))) {
            list.forEach(entries::add);
        }
        return entries;
    }

    private static void write(UploadSink upload, String text) throws IOException {
        upload.channel().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            return all.filter(p -> p.getFileName().toString().startsWith(LocalStorageView.TEMP_PREFIX)).toList();
        }
    }

    @Test
    void invalidUtf8BytesAreEscapedAndValidTextIsKept() {
        assertThat(LocalStorageView.escapeInvalidUtf8("naïve ☃".getBytes(StandardCharsets.UTF_8))).isEqualTo("naïve ☃");
        assertThat(LocalStorageView.escapeInvalidUtf8(new byte[] {'c', 'a', 'f', (byte) 0xE9, '.', 't'})).isEqualTo("caf\\xe9.t");
        // a sequence cut short at the end, and a stray continuation byte
        assertThat(LocalStorageView.escapeInvalidUtf8(new byte[] {'a', (byte) 0xE2, (byte) 0x98})).isEqualTo("a\\xe2\\x98");
        assertThat(LocalStorageView.escapeInvalidUtf8(new byte[] {(byte) 0x80, 'b'})).isEqualTo("\\x80b");
        assertThat(LocalStorageView.displayName("plain.txt".getBytes(StandardCharsets.US_ASCII))).isEqualTo("plain.txt");
        assertThat(LocalStorageView.displayName("naïve".getBytes(StandardCharsets.UTF_8))).isEqualTo("naïve");
    }

    @Test
    void aReplacedUploadAppearsOnlyOnCommitAndADiscardedOneLeavesNothing() throws Exception {
        Files.writeString(home.resolve("f"), "old");
        Files.setPosixFilePermissions(home.resolve("f"), PosixFilePermissions.fromString("rw-r-----"));
        try (UploadSink upload = fs.openForWrite(path("f"), UploadMode.REPLACE, 0)) {
            write(upload, "partial");
            assertThat(home.resolve("f")).hasContent("old");
        }
        assertThat(home.resolve("f")).hasContent("old");
        try (UploadSink upload = fs.openForWrite(path("f"), UploadMode.REPLACE, 0)) {
            write(upload, "new");
            upload.commit();
        }
        assertThat(home.resolve("f")).hasContent("new");
        assertThat(Files.getPosixFilePermissions(home.resolve("f"))).as("kept").isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        Process chmod = new ProcessBuilder("chmod", "4755", home.resolve("f").toString()).inheritIO().start();
        assertThat(chmod.waitFor(10, TimeUnit.SECONDS) && chmod.exitValue() == 0).isTrue();
        try (UploadSink upload = fs.openForWrite(path("f"), UploadMode.REPLACE, 0)) {
            upload.commit();
        }
        assertThat((int) Files.getAttribute(home.resolve("f"), "unix:mode") & 07777).as("set-user-ID not inherited").isEqualTo(0755);
        try (var files = Files.list(home)) {
            assertThat(files).containsExactly(home.resolve("f"));
        }
    }

    @Test
    void aNewFilesUploadHasNoNameUntilCommitAndADiscardedOneLeavesNothing() throws IOException {
        Files.createDirectories(home.resolve("d"));
        try (UploadSink upload = fs.openForWrite(path("d/new"), UploadMode.REPLACE, 0)) {
            write(upload, "partial");
            try (var files = Files.list(home.resolve("d"))) {
                assertThat(files).as("no name, not even a temporary one, before the commit").isEmpty();
            }
        }
        try (var files = Files.list(home.resolve("d"))) {
            assertThat(files).as("a discarded upload").isEmpty();
        }
        try (UploadSink upload = fs.openForWrite(path("d/new"), UploadMode.REPLACE, 0)) {
            write(upload, "whole");
            upload.commit();
        }
        assertThat(home.resolve("d/new")).hasContent("whole");
        int mode = (int) Files.getAttribute(home.resolve("d/new"), "unix:mode") & 07777;
        assertThat(mode & ~0666).as("created as 0666 under the umask, as before: no other bits").isZero();
        assertThat(mode & 0600).as("the owner reads and writes it").isEqualTo(0600);
        try (var files = Files.list(home.resolve("d"))) {
            assertThat(files).containsExactly(home.resolve("d/new"));
        }
    }

    @Test
    void aTargetMadeWhileANewFileIsUploadedIsReplacedOnCommit() throws IOException {
        try (UploadSink upload = fs.openForWrite(path("f"), UploadMode.REPLACE, 0)) {
            write(upload, "upload");
            Files.writeString(home.resolve("f"), "made meanwhile");
            upload.commit();
        }
        assertThat(home.resolve("f")).hasContent("upload");
        assertThat(temporaryFiles()).isEmpty();
        try (UploadSink upload = fs.openForWrite(path("g"), UploadMode.REPLACE, 0)) {
            write(upload, "upload");
            Files.createDirectory(home.resolve("g"));
            assertThatThrownBy(upload::commit).isInstanceOf(FileSystemException.class).hasMessageNotContaining(base.toString());
        }
        assertThat(home.resolve("g")).isDirectory();
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void resumeTruncatesToTheOffsetAndRefusesOneBeyondTheEnd() throws IOException {
        Files.writeString(home.resolve("f"), "0123456789");
        try (UploadSink upload = fs.openForWrite(path("f"), UploadMode.RESUME, 4)) {
            write(upload, "xy");
            upload.commit();
        }
        assertThat(home.resolve("f")).hasContent("0123xy");
        assertThatThrownBy(() -> fs.openForWrite(path("f"), UploadMode.RESUME, 7)).isInstanceOf(InvalidOffsetException.class);
        assertThatThrownBy(() -> fs.openForWrite(path("missing"), UploadMode.RESUME, 3)).isInstanceOf(InvalidOffsetException.class);
        assertThat(home.resolve("missing")).as("a refused resume creates nothing").doesNotExist();
        try (UploadSink upload = fs.openForWrite(path("appended"), UploadMode.APPEND, 0)) {
            write(upload, "a");
            upload.commit();
        }
        assertThat(home.resolve("appended")).hasContent("a");
    }

    @Test
    void aSymlinkOutsideTheHomeIsNotFollowed() throws IOException {
        Path outside = Files.writeString(base.resolve("outside.txt"), "outside");
        Files.createSymbolicLink(home.resolve("link"), outside);
        assertThatThrownBy(() -> fs.stat(path("link"))).isInstanceOf(JailViolationException.class);
        assertThatThrownBy(() -> fs.openForRead(path("link"))).isInstanceOf(JailViolationException.class);
        assertThatThrownBy(() -> fs.openForWrite(path("link"), UploadMode.APPEND, 0)).isInstanceOf(JailViolationException.class);
        assertThatThrownBy(() -> fs.setModified(path("link"), Instant.EPOCH)).isInstanceOf(JailViolationException.class);
        assertThatThrownBy(() -> fs.setPermissions(path("link"), 0777)).isInstanceOf(JailViolationException.class);
        assertThat(list("/")).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(FileEntry.Type.OTHER));
        assertThat(outside).hasContent("outside");
        assertThat(Files.getLastModifiedTime(outside).toInstant()).isNotEqualTo(Instant.EPOCH);
        fs.delete(path("link")); // the link itself goes
        assertThat(outside).exists();
    }

    @Test
    void symbolicLinksInsideAreFollowedRelativeOrAbsolute() throws IOException {
        Files.createDirectories(home.resolve("d"));
        Files.writeString(home.resolve("d/f"), "inside");
        Files.createSymbolicLink(home.resolve("rel"), Path.of("d"));
        Files.createSymbolicLink(home.resolve("abs"), home.toRealPath().resolve("d/f"));
        try (FileChannel c = fs.openForRead(path("abs"))) {
            assertThat(c.size()).isEqualTo(6);
        }
        assertThat(fs.stat(path("rel/f")).isFile()).isTrue();
        assertThat(list("/")).extracting(FileEntry::name, FileEntry::type).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("d", FileEntry.Type.DIRECTORY),
                org.assertj.core.groups.Tuple.tuple("rel", FileEntry.Type.DIRECTORY),
                org.assertj.core.groups.Tuple.tuple("abs", FileEntry.Type.FILE));
    }

    /** As before (the real path of the link's target was checked): an absolute link spelling the home as the operator named it. */
    @Test
    void anAbsoluteLinkThroughTheHomesNamedPathIsFollowed() throws IOException {
        Path named = Files.createSymbolicLink(base.resolve("named-home"), home);
        Files.writeString(home.resolve("f"), "inside");
        Files.createSymbolicLink(home.resolve("link"), named.resolve("f"));
        try (LocalStorageView viaName = new LocalStorageView(named)) {
            assertThat(viaName.stat(path("link")).size()).isEqualTo(6);
        }
    }

    @Test
    void aNameNotValidUtf8IsListedEscaped() throws IOException {
        // Made through the FFM layer: the JDK cannot make a file whose name is not valid in the locale's encoding.
        int dir = dev.jftp.server.storage.local.linux.LinuxCalls.openat(dev.jftp.server.storage.local.linux.LinuxCalls.AT_FDCWD,
                home.toString().getBytes(StandardCharsets.UTF_8), dev.jftp.server.storage.local.linux.LinuxCalls.O_PATH, 0);
        try {
            dev.jftp.server.storage.local.linux.LinuxCalls.mkdirat(dir, new byte[] {'c', 'a', 'f', (byte) 0xE9}, 0755);
        } finally {
            dev.jftp.server.storage.local.linux.LinuxCalls.close(dir);
        }
        assertThat(list("/")).extracting(FileEntry::name).containsExactly("caf\\xe9");
    }

    /** Issue 11 item 7: the limit is checked before the upload starts, and the reply names no server path. */
    @Test
    void aNameTooLongIsRefusedBeforeAnythingIsMade() throws IOException {
        String name = "f".repeat(300);
        assertThatThrownBy(() -> fs.openForWrite(path(name), UploadMode.REPLACE, 0))
                .isInstanceOf(FileNameTooLongException.class)
                .hasMessageNotContaining(base.toString())
                .hasMessageContaining("File name too long");
        assertThatThrownBy(() -> fs.makeDirectory(path(name))).isInstanceOf(FileNameTooLongException.class);
        assertThatThrownBy(() -> fs.openForWrite(path("é".repeat(128)), UploadMode.REPLACE, 0))
                .as("256 bytes in 128 characters").isInstanceOf(FileNameTooLongException.class);
        try (UploadSink upload = fs.openForWrite(path("f".repeat(255)), UploadMode.REPLACE, 0)) {
            upload.commit();
        }
        assertThat(home.resolve("f".repeat(255))).exists();
        assertThat(temporaryFiles()).isEmpty();
    }

    /** Issue 11 item 7: the upload's directory renamed meanwhile; commit lands in it, a discard leaves nothing behind. */
    @Test
    void anUploadFollowsItsDirectoryWhenItIsRenamed() throws IOException {
        Files.createDirectories(home.resolve("d"));
        try (UploadSink upload = fs.openForWrite(path("d/kept"), UploadMode.REPLACE, 0)) {
            write(upload, "kept");
            fs.rename(path("d"), path("e"));
            upload.commit();
        }
        assertThat(home.resolve("e/kept")).hasContent("kept");

        try (UploadSink upload = fs.openForWrite(path("e/dropped"), UploadMode.REPLACE, 0)) {
            write(upload, "x".repeat(101_000));
            fs.rename(path("e"), path("f"));
            assertThatThrownBy(() -> fs.removeDirectory(path("f"))).as("while the upload runs").isInstanceOf(FileSystemException.class);
        } // discarded
        assertThat(temporaryFiles()).isEmpty();
        assertThat(home.resolve("f/dropped")).doesNotExist();
        fs.delete(path("f/kept"));
        fs.removeDirectory(path("f"));
    }

    /** Issue 11 item 3: a FIFO is never opened (an open would wait for a writer), only looked at and replaced. */
    @Test
    void aFifoIsNeitherReadNorWrittenAndNothingBlocks() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", home.resolve("fifo").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> fs.openForRead(path("fifo"))).isInstanceOf(FileSystemException.class).hasMessageContaining("Not a regular file");
        assertThatThrownBy(() -> fs.openForWrite(path("fifo"), UploadMode.APPEND, 0)).hasMessageContaining("Not a regular file");
        assertThatThrownBy(() -> fs.openForWrite(path("fifo"), UploadMode.RESUME, 0)).hasMessageContaining("Not a regular file");
        assertThat(fs.stat(path("fifo")).type()).isEqualTo(FileEntry.Type.OTHER);
        assertThat(list("/")).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(FileEntry.Type.OTHER));
        try (UploadSink upload = fs.openForWrite(path("fifo"), UploadMode.REPLACE, 0)) {
            write(upload, "a file now");
            upload.commit();
        }
        assertThat(home.resolve("fifo")).isRegularFile().hasContent("a file now");
    }

    @Test
    void failuresNameTheVirtualPathOnly() throws IOException {
        Files.createDirectories(home.resolve("dir/sub"));
        Files.writeString(home.resolve("file"), "x");
        List<Throwable> failures = new ArrayList<>();
        for (ThrowingCall call : List.<ThrowingCall>of(
                () -> fs.stat(path("missing")),
                () -> fs.openForRead(path("dir")),
                () -> fs.openForRead(path("file/x")),
                () -> fs.openForWrite(path("dir"), UploadMode.REPLACE, 0),
                () -> fs.openForWrite(path("missing/x"), UploadMode.REPLACE, 0),
                () -> fs.delete(path("dir")),
                () -> fs.removeDirectory(path("dir")),
                () -> fs.removeDirectory(path("file")),
                () -> fs.makeDirectory(path("dir")),
                () -> fs.rename(path("file"), path("dir")),
                () -> fs.rename(path("dir"), path("dir/sub/x")),
                () -> fs.list(path("file")))) {
            try {
                call.run();
                failures.add(null);
            } catch (IOException e) {
                failures.add(e);
            }
        }
        assertThat(failures).doesNotContainNull().allSatisfy(e -> assertThat(e.getMessage())
                .doesNotContain(base.toString()).doesNotContain("/proc").startsWith("/"));
        assertThatThrownBy(() -> fs.delete(VirtualPath.ROOT)).isInstanceOf(AccessDeniedException.class);
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws IOException;
    }
}
