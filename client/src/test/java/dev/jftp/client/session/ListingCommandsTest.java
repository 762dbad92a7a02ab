package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.JftpdTest;
import dev.jftp.protocol.listing.ListingParser;
import dev.jftp.protocol.listing.RemoteEntry;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListingCommandsTest extends JftpdTest {
    @BeforeEach
    void files() throws Exception {
        remoteFile("small.txt", "1");
        remoteFile("big.txt", "1234567890".repeat(300));
        remoteFile("mid.log", "12345");
        remoteFile(".hidden", "h");
        remoteFile("sub/inner.txt", "i");
        Files.setLastModifiedTime(root.resolve("small.txt"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Files.setLastModifiedTime(root.resolve("big.txt"), FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
        Files.setLastModifiedTime(root.resolve("mid.log"), FileTime.from(Instant.parse("2022-01-01T00:00:00Z")));
        Files.setLastModifiedTime(root.resolve("sub"), FileTime.from(Instant.parse("2019-01-01T00:00:00Z")));
    }

    @Test
    void lsShowsNamesInColumnsWithoutDotFiles() {
        client.ok("ls");
        assertThat(client.out()).isEqualTo("big.txt    mid.log    small.txt  sub\n");
    }

    @Test
    void lsOptionsSelectAndSort() {
        client.ok("ls -1");
        assertThat(client.out()).isEqualTo("big.txt\nmid.log\nsmall.txt\nsub\n");
        client.clear().ok("ls -1a");
        assertThat(client.out()).isEqualTo(".hidden\nbig.txt\nmid.log\nsmall.txt\nsub\n");
        client.clear().ok("ls -1S");
        assertThat(client.out()).startsWith("sub\nbig.txt\nmid.log\n");
        client.clear().ok("ls -1t");
        assertThat(client.out()).isEqualTo("mid.log\nbig.txt\nsmall.txt\nsub\n");
        client.clear().ok("ls -1tr");
        assertThat(client.out()).isEqualTo("sub\nsmall.txt\nbig.txt\nmid.log\n");
        client.clear().ok("ls -1r");
        assertThat(client.out()).isEqualTo("sub\nsmall.txt\nmid.log\nbig.txt\n");
        client.clear().ok("ls -1f");
        assertThat(client.out().lines()).containsExactlyInAnyOrder("big.txt", "mid.log", "small.txt", "sub");
    }

    @Test
    void lsLongShowsModeSizeDateAndName() {
        client.ok("ls -l");
        assertThat(client.out().lines()).hasSize(4);
        assertThat(client.out()).containsPattern("-rw-r--r-- +\\? +- +- +3000 Jan  1  2021 big.txt")
                .containsPattern("drwxr-xr-x .* sub\n");
        client.clear().ok("ls -lh big.txt");
        assertThat(client.out()).contains(" 2.9K ").contains("big.txt");
        client.clear().ok("ls -n mid.log");
        assertThat(client.out()).contains(" 5 ").contains("mid.log");
        client.clear().ok("dir sub");
        assertThat(client.out()).contains("-rw-r--r--").contains("sub/inner.txt");
    }

    @Test
    void lsLongShowsDatesAsLsDoes() {
        // As ls -l and sftp: the day padded with a blank; time within six months, else the year.
        java.time.ZoneId zone = java.time.ZoneId.systemDefault();
        Instant now = java.time.LocalDateTime.of(2026, 12, 6, 15, 0).atZone(zone).toInstant();
        Instant recent = java.time.LocalDateTime.of(2026, 12, 6, 9, 5).atZone(zone).toInstant();
        Instant old = java.time.LocalDateTime.of(2025, 3, 14, 9, 5).atZone(zone).toInstant();
        RemoteEntry file = new RemoteEntry("a", RemoteEntry.Kind.FILE, 5, recent,
                0644, "alice", "staff", null);
        assertThat(ListingCommands.longLine(file, false, now)).endsWith(" 5 Dec  6 09:05 a");
        RemoteEntry older = new RemoteEntry("b", RemoteEntry.Kind.FILE, 5, old,
                0644, "alice", "staff", null);
        assertThat(ListingCommands.longLine(older, false, now)).endsWith(" 5 Mar 14  2025 b");
    }

    @Test
    void lsLongShowsSymbolicLinksAsLinksWhereTheServerTellsThem() throws Exception {
        // jftpd shows a link as what it points to; a LIST server (vsftpd) and MLSD servers with
        // OS.unix=slink (Pure-FTPd, ProFTPD) tell the link itself.
        java.nio.file.Path legacyRoot = Files.createDirectories(base.resolve("legacy"));
        Files.writeString(legacyRoot.resolve("target.txt"), "t");
        Files.createSymbolicLink(legacyRoot.resolve("link"), java.nio.file.Path.of("target.txt"));
        try (dev.jftp.client.support.LegacyFtpServer legacy = new dev.jftp.client.support.LegacyFtpServer(legacyRoot)) {
            client.ok("close");
            client.settings.passive = true;
            client.session().connect("127.0.0.1", legacy.port(), "alice", dev.jftp.client.support.TestServer.PASSWORD.toCharArray());
            client.clear().ok("ls -l");
            assertThat(client.out()).containsPattern("(?m)^lrwxrwxrwx +\\? +ftp +ftp +10 .* link -> target.txt$")
                    .containsPattern("(?m)^-rw-r--r-- .* target.txt$");
        }
        RemoteEntry slink = ListingParser.parseFacts(
                "type=OS.unix=slink:/srv/data;unix.mode=0777;size=9;modify=20250314090500; data", false);
        assertThat(ListingCommands.longLine(slink, false, Instant.parse("2026-12-06T15:00:00Z")))
                .startsWith("lrwxrwxrwx").endsWith(" data -> /srv/data");
    }

    @Test
    void lsOfADirectoryOrAPatternShowsTheirPaths() {
        client.ok("ls -1 sub");
        assertThat(client.out()).isEqualTo("sub/inner.txt\n");
        client.clear().ok("ls -1 *.txt");
        assertThat(client.out()).isEqualTo("big.txt\nsmall.txt\n");
        client.clear().ok("ls -1 */*.txt");
        assertThat(client.out()).isEqualTo("sub/inner.txt\n");
        client.clear().ok("ls mid.log");
        assertThat(client.out()).isEqualTo("mid.log\n");
    }

    @Test
    void lsOfNothingFailsClearly() {
        assertThat(client.run("ls nosuch")).isFalse();
        assertThat(client.err()).isEqualTo("Can't ls: \"nosuch\" not found\n");
        client.clear();
        assertThat(client.run("ls *.none")).isFalse();
        assertThat(client.err()).isEqualTo("Can't ls: \"*.none\" not found\n");
        client.clear();
        assertThat(client.run("ls -z")).isFalse();
        assertThat(client.err()).isEqualTo("ls: unknown option -z (options: -1afhlnrSt)\n");
    }

    @Test
    void llsRunsTheLocalLs() throws Exception {
        localFile("here.txt", "x");
        localFile("there.csv", "y");
        client.ok("lls");
        assertThat(client.out()).contains("here.txt").contains("there.csv");
        client.clear().ok("lls -1 *.csv");
        assertThat(client.out()).contains("there.csv").doesNotContain("here.txt");
        client.clear();
        assertThat(client.run("lls nosuchfile")).isFalse();
        assertThat(client.out()).contains("No such file");
        assertThat(client.err()).contains("lls: ls exited with status 2");
    }
}
