package dev.jftp.server.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Measured figures of the fault and flood tests, one line each, appended to
 * target/reliability-figures.txt (and printed) so that the README's table can quote them.
 */
final class Figures {
    private static final Path FILE = Path.of("target", "reliability-figures.txt");

    private Figures() {
    }

    static synchronized void record(String test, String figures) {
        String line = Instant.now() + " " + test + ": " + figures + System.lineSeparator();
        System.out.print("[reliability] " + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("[reliability] could not write " + FILE + ": " + e);
        }
    }
}
