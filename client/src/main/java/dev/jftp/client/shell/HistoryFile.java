package dev.jftp.client.shell;

import dev.jftp.client.login.Destination;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The command history, kept in ~/.jftp_history as bash keeps its own, but private: the file is
 * mode 600 (commands name hosts, users and paths), and a line keeps no password: the one of an
 * ftp:// URL ({@code open ftp://alice:secret@host/}) is taken out before the line is kept, in
 * memory and in the file. ("user NAME PASSWORD" is not kept at all.)
 */
public final class HistoryFile extends DefaultHistory {
    @Override
    public void add(Instant time, String line) {
        super.add(time, Destination.withoutPasswords(line));
    }

    /**
     * Makes the file private before JLine reads or appends to it: created mode 600, an existing
     * one set to 600 (JLine appends to a file as it is, and rewrites it through a temporary file
     * that is 600 too), and passwords that an older jftp kept in it taken out.
     */
    public static void prepare(Path file, PrintWriter warnings) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                return;
            }
            if (!Files.isRegularFile(file)) {
                return; // /dev/null, say: nothing to protect
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> clean = lines.stream().map(Destination::withoutPasswords).toList();
            if (!clean.equals(lines)) {
                Files.write(file, clean, StandardCharsets.UTF_8);
            }
        } catch (IOException | UnsupportedOperationException e) {
            warnings.println("Cannot make " + file + " private: " + e.getMessage());
        }
    }
}
