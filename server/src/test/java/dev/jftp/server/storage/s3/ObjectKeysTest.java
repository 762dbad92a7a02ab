package dev.jftp.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.storage.VirtualPath;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    private final ObjectKeys keys = new ObjectKeys("data/alice/");

    @Test
    void pathsBecomeKeysBelowThePrefix() throws FileSystemException {
        assertThat(keys.file(VirtualPath.ROOT.resolve("/a/b.txt"))).isEqualTo("data/alice/a/b.txt");
        assertThat(keys.directory(VirtualPath.ROOT.resolve("/a"))).isEqualTo("data/alice/a/");
        assertThat(keys.directory(VirtualPath.ROOT)).isEqualTo("data/alice/");
        assertThat(keys.file(VirtualPath.ROOT.resolve("/../../x"))).isEqualTo("data/alice/x");
        assertThat(new ObjectKeys("").file(VirtualPath.ROOT.resolve("/x/y"))).isEqualTo("x/y");
        assertThatThrownBy(() -> keys.file(VirtualPath.ROOT)).isInstanceOf(FileSystemException.class);
        assertThatThrownBy(() -> new ObjectKeys("data/alice")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysLongerThanS3AllowsAreRefused() {
        String name = "/" + "é".repeat(510); // 1,020 bytes of UTF-8 plus the prefix
        assertThatThrownBy(() -> keys.file(VirtualPath.ROOT.resolve(name))).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void namesThatNoPathCanReachAreLeftOutOfListings() {
        assertThat(ObjectKeys.nameIn("data/alice/", "data/alice/a.txt")).isEqualTo("a.txt");
        assertThat(ObjectKeys.nameIn("data/alice/", "data/alice/sub/")).isEqualTo("sub");
        assertThat(ObjectKeys.nameIn("data/alice/", "data/alice/")).isNull(); // the directory's own marker
        assertThat(ObjectKeys.nameIn("data/alice/", "data/alice//")).isNull(); // made by another tool: "a//b"
        assertThat(ObjectKeys.nameIn("data/alice/", "data/alice/./")).isNull();
        assertThat(ObjectKeys.nameIn("data/alice/", "data/alice/../")).isNull();
        assertThat(ObjectKeys.nameIn("data/alice/", "data/alice-sibling.txt")).isNull();
    }
}
