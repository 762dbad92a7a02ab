package dev.jftp.server.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Homes below the server root: made at first login beneath the root, never through a link leading out of it. */
class LocalStorageTest {
    @TempDir
    Path base;
    Path root;
    Path outside;
    LocalStorage homes;

    @BeforeEach
    void open() throws IOException {
        root = Files.createDirectories(base.resolve("root"));
        outside = Files.createDirectories(base.resolve("outside"));
        homes = LocalStorage.at(root);
    }

    @AfterEach
    void close() {
        homes.close();
    }

    private static void put(LocalStorageView files, String name, String text) throws IOException {
        try (UploadSink upload = files.openForWrite(VirtualPath.ROOT.resolve(name), UploadMode.REPLACE, 0)) {
            upload.channel().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            upload.commit();
        }
    }

    @Test
    void aMissingHomeIsMadeBelowTheRoot() throws IOException {
        put(homes.view(root.resolve("users/alice")), "a.txt", "alice");
        assertThat(root.resolve("users/alice/a.txt")).hasContent("alice");
        put(homes.view(root), "top.txt", "root");
        assertThat(root.resolve("top.txt")).hasContent("root");
    }

    @Test
    void aHomeThatIsALinkOutOfTheRootIsRefusedAndNothingIsMadeThere() throws IOException {
        Files.createSymbolicLink(root.resolve("users"), outside);
        assertThatThrownBy(() -> homes.view(root.resolve("users/alice")))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("leads out of the server root")
                .hasMessageNotContaining(base.toString());
        try (Stream<Path> made = Files.list(outside)) {
            assertThat(made).isEmpty();
        }
    }

    @Test
    void aHomeThatIsALinkInsideTheRootIsFollowed() throws IOException {
        Files.createDirectories(root.resolve("real/bob"));
        Files.createSymbolicLink(root.resolve("users"), Path.of("real"));
        put(homes.view(root.resolve("users/bob")), "b.txt", "bob");
        assertThat(root.resolve("real/bob/b.txt")).hasContent("bob");
    }

    @Test
    void aHomeMadeAnewIsPickedUpAtTheNextLogin() throws IOException {
        LocalStorageView first = homes.view(root.resolve("carol"));
        put(first, "1.txt", "one");
        Files.move(root.resolve("carol"), root.resolve("carol-old"));
        Files.createDirectories(root.resolve("carol"));
        LocalStorageView second = homes.view(root.resolve("carol"));
        put(second, "2.txt", "two");
        assertThat(root.resolve("carol/2.txt")).hasContent("two");
        put(first, "3.txt", "three"); // a session logged in before goes on where it was, as a shell's working directory would
        assertThat(root.resolve("carol-old/3.txt")).hasContent("three");
    }
}
