package dev.jftp.server.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileSystemTest {
    @TempDir
    Path home;

    private static VirtualPath path(String p) {
        return VirtualPath.ROOT.resolve(p);
    }

    @Test
    void invalidUtf8BytesAreEscapedAndValidTextIsKept() {
        assertThat(LocalFileSystem.escapeInvalidUtf8("naïve ☃".getBytes(StandardCharsets.UTF_8))).isEqualTo("naïve ☃");
        assertThat(LocalFileSystem.escapeInvalidUtf8(new byte[] {'c', 'a', 'f', (byte) 0xE9, '.', 't'})).isEqualTo("caf\\xe9.t");
        // a sequence cut short at the end, and a stray continuation byte
        assertThat(LocalFileSystem.escapeInvalidUtf8(new byte[] {'a', (byte) 0xE2, (byte) 0x98})).isEqualTo("a\\xe2\\x98");
        assertThat(LocalFileSystem.escapeInvalidUtf8(new byte[] {(byte) 0x80, 'b'})).isEqualTo("\\x80b");
    }

    @Test
    void aReplacedUploadAppearsOnlyOnCommitAndADiscardedOneLeavesNothing() throws IOException {
        LocalFileSystem fs = new LocalFileSystem(home);
        Files.writeString(home.resolve("f"), "old");
        try (Upload upload = fs.openForWrite(path("f"), UploadMode.REPLACE, 0)) {
            upload.channel().write(ByteBuffer.wrap("partial".getBytes(StandardCharsets.UTF_8)));
            assertThat(home.resolve("f")).hasContent("old");
        }
        assertThat(home.resolve("f")).hasContent("old");
        try (Upload upload = fs.openForWrite(path("f"), UploadMode.REPLACE, 0)) {
            upload.channel().write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
            upload.commit();
        }
        assertThat(home.resolve("f")).hasContent("new");
        try (var files = Files.list(home)) {
            assertThat(files).containsExactly(home.resolve("f"));
        }
    }

    @Test
    void resumeTruncatesToTheOffsetAndRefusesOneBeyondTheEnd() throws IOException {
        LocalFileSystem fs = new LocalFileSystem(home);
        Files.writeString(home.resolve("f"), "0123456789");
        try (Upload upload = fs.openForWrite(path("f"), UploadMode.RESUME, 4)) {
            upload.channel().write(ByteBuffer.wrap("xy".getBytes(StandardCharsets.UTF_8)));
            upload.commit();
        }
        assertThat(home.resolve("f")).hasContent("0123xy");
        assertThatThrownBy(() -> fs.openForWrite(path("f"), UploadMode.RESUME, 7)).isInstanceOf(LocalFileSystem.InvalidOffsetException.class);
    }

    @Test
    void aSymlinkOutsideTheHomeIsNotFollowed() throws IOException {
        Path outside = Files.createTempFile("jftpd-outside", ".txt");
        try {
            Files.createSymbolicLink(home.resolve("link"), outside);
            LocalFileSystem fs = new LocalFileSystem(home);
            assertThatThrownBy(() -> fs.stat(path("link"))).isInstanceOf(JailViolationException.class);
            assertThatThrownBy(() -> fs.openForRead(path("link"))).isInstanceOf(JailViolationException.class);
            List<FileEntry> entries = new ArrayList<>();
            try (DirectoryStream<FileEntry> list = fs.list(VirtualPath.ROOT)) {
                list.forEach(entries::add);
            }
            assertThat(entries).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(FileEntry.Type.OTHER));
            try (FileChannel ignored = FileChannel.open(outside)) {
                assertThat(Files.exists(outside)).isTrue();
            }
        } finally {
            Files.deleteIfExists(outside);
        }
    }
}
