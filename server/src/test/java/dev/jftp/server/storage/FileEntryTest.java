package dev.jftp.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEntryTest {
    private static FileEntry withKey(Object key) {
        return new FileEntry("f", FileEntry.Type.FILE, 1, Instant.EPOCH, 0644, key);
    }

    @Test
    void uniqueFactIsDeviceAndInodeOfTheLinuxFileKey() {
        assertThat(withKey("(dev=803,ino=42)").uniqueId()).isEqualTo("803U42");
    }

    @Test
    void uniqueFactOfARealFileNamesItsInode(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "x");
        Path b = Files.writeString(dir.resolve("b"), "y");
        Object keyA = Files.readAttributes(a, BasicFileAttributes.class).fileKey();
        Object keyB = Files.readAttributes(b, BasicFileAttributes.class).fileKey();
        assertThat(withKey(keyA).uniqueId()).matches("[0-9a-f]+U[0-9]+").isNotEqualTo(withKey(keyB).uniqueId());
        assertThat(withKey(keyA).uniqueId()).isEqualTo(withKey(Files.readAttributes(a, BasicFileAttributes.class).fileKey()).uniqueId());
    }

    @Test
    void unknownKeyGivesZeroAndAnyOtherTextIsKeptAsItIs() {
        assertThat(withKey(null).uniqueId()).isEqualTo("0");
        assertThat(withKey("1U2").uniqueId()).isEqualTo("1U2");
    }
}
