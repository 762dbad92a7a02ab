package dev.jftp.client.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.login.Destination;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ~/.jftp_history keeps no password and is readable by its owner only. */
class HistoryFileTest {
    @TempDir
    Path home;

    @Test
    void aUrlLosesItsPasswordAndNothingElse() {
        assertThat(Destination.withoutPasswords("open ftp://alice:secret@host/")).isEqualTo("open ftp://alice@host/");
        assertThat(Destination.withoutPasswords("open FTPS://alice:s%40cr:et@host:990/dir x")).isEqualTo("open FTPS://alice@host:990/dir x");
        assertThat(Destination.withoutPasswords("open ftp://alice:p@ss@host")).as("the last @ ends the password, as parse reads it")
                .isEqualTo("open ftp://alice@host");
        assertThat(Destination.withoutPasswords("open ftp://alice@host:21/a:b@c")).as("no password: unchanged")
                .isEqualTo("open ftp://alice@host:21/a:b@c");
        assertThat(Destination.withoutPasswords("get user:pass@file")).as("not a URL").isEqualTo("get user:pass@file");
    }

    @Test
    void aLineIsKeptWithoutItsPassword() {
        HistoryFile history = new HistoryFile();
        history.add(Instant.now(), "open ftp://alice:secret@127.0.0.1:2121/pub");
        assertThat(history.get(history.last())).isEqualTo("open ftp://alice@127.0.0.1:2121/pub");
    }

    @Test
    void aNewFileIsPrivate() throws Exception {
        Path file = home.resolve(".jftp_history");
        HistoryFile.prepare(file, new PrintWriter(new StringWriter()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void anOldFileIsMadePrivateAndLosesThePasswordsItKept() throws Exception {
        Path file = Files.writeString(home.resolve(".jftp_history"), "1733400000000:ls\n1733400000001:open ftp://alice:secret@host/\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        StringWriter warnings = new StringWriter();
        HistoryFile.prepare(file, new PrintWriter(warnings, true));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(file).hasContent("1733400000000:ls\n1733400000001:open ftp://alice@host/");
        assertThat(warnings.toString()).isEmpty();
    }
}
