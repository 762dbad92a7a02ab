package dev.jftp.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** File contents for transfers: binary data full of CR and LF bytes, and LF-terminated text. */
final class TestData {
    private TestData() {
    }

    /**
     * Reproducible pseudo-random bytes. Every byte value occurs, CR and LF included, so a transfer
     * that is not byte-exact (an ASCII conversion where there should be none) changes the content.
     */
    static byte[] binary(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        for (int i = 0; i + 1 < size; i += 997) {
            data[i] = '\r';
            data[i + 1] = '\n';
        }
        for (int i = 500; i < size; i += 1009) {
            data[i] = '\n'; // a bare LF too
        }
        return data;
    }

    static Path writeBinary(Path file, int size, long seed) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, binary(size, seed));
    }

    /** Unix text: lines ending in LF only, as the local convention of the server's disk. */
    static String text(int lines, String tag) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append(tag).append(" line ").append(i).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return sb.toString();
    }

    static Path writeText(Path file, int lines, String tag) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, text(lines, tag), StandardCharsets.UTF_8);
    }
}
