package dev.jftp.protocol.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ListingParserTest {
    private static final Instant NOW = Instant.parse("2024-06-15T12:00:00Z");

    @Test
    void parsesMlsxFacts() {
        RemoteEntry e = ListingParser.parseFacts("type=file;size=1234;modify=20240102030405;UNIX.mode=0640;UNIX.owner=bob; my file.txt", false);
        assertThat(e.name()).isEqualTo("my file.txt");
        assertThat(e.kind()).isEqualTo(RemoteEntry.Kind.FILE);
        assertThat(e.size()).isEqualTo(1234);
        assertThat(e.modified()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(e.mode()).isEqualTo(0640);
        assertThat(e.owner()).isEqualTo("bob");
        assertThat(ListingParser.parseFacts("type=cdir;modify=20240102030405; .", false)).isNull();
        assertThat(ListingParser.parseFacts("type=cdir;modify=20240102030405; /x", true).isDirectory()).isTrue();
        assertThat(ListingParser.parseFacts("type=OS.unix=slink:/etc; link", false).kind()).isEqualTo(RemoteEntry.Kind.LINK);
    }

    @Test
    void parsesUnixListLines() {
        RemoteEntry file = ListingParser.parseUnixLine("-rw-r--r--    1 1000     1000         4096 Jun 01 10:20 a file.txt", NOW);
        assertThat(file.name()).isEqualTo("a file.txt");
        assertThat(file.kind()).isEqualTo(RemoteEntry.Kind.FILE);
        assertThat(file.size()).isEqualTo(4096);
        assertThat(file.mode()).isEqualTo(0644);
        assertThat(file.owner()).isEqualTo("1000");
        assertThat(file.modified()).isEqualTo(Instant.parse("2024-06-01T10:20:00Z"));

        RemoteEntry lastYear = ListingParser.parseUnixLine("drwxr-xr-x 2 ftp ftp 0 Dec 24 18:00 dir", NOW);
        assertThat(lastYear.isDirectory()).isTrue();
        assertThat(lastYear.modified()).isEqualTo(Instant.parse("2023-12-24T18:00:00Z"));

        RemoteEntry old = ListingParser.parseUnixLine("-rw-r--r-- 1 ftp ftp 7 Jan 02  2019 old", NOW);
        assertThat(old.modified()).isEqualTo(Instant.parse("2019-01-02T00:00:00Z"));

        RemoteEntry link = ListingParser.parseUnixLine("lrwxrwxrwx 1 ftp ftp 4 Jan 02  2019 here -> there", NOW);
        assertThat(link.name()).isEqualTo("here");
        assertThat(link.linkTarget()).isEqualTo("there");

        assertThat(ListingParser.parseUnixLine("total 12", NOW)).isNull();
        assertThat(ListingParser.parseUnixLine("01-02-19  10:00AM       <DIR>          dos", NOW)).isNull();
    }

    @Test
    void readsEveryMonthNameInAnyCaseAndNoOther() {
        String[] names = {"Jan", "feb", "MAR", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        for (int i = 0; i < names.length; i++) {
            RemoteEntry e = ListingParser.parseUnixLine("-rw-r--r-- 1 ftp ftp 7 " + names[i] + " 02  2019 f", NOW);
            assertThat(e.modified()).as(names[i]).isEqualTo(java.time.LocalDate.of(2019, i + 1, 2).atStartOfDay().toInstant(java.time.ZoneOffset.UTC));
        }
        for (String notAMonth : new String[] {"Foo", "anf", "ebm", "Feb30"}) {
            RemoteEntry e = ListingParser.parseUnixLine("-rw-r--r-- 1 ftp ftp 7 " + notAMonth + " 02  2019 f", NOW);
            assertThat(e == null ? null : e.modified()).as(notAMonth).isNull();
        }
    }
}
