package dev.jftp.protocol.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ListingFormatTest {
    private static final Instant NOW = Instant.parse("2024-04-01T12:00:00Z");

    private static Listed file(String name, long size, Instant modified, int mode) {
        return new Listed(name, Listed.Kind.FILE, size, modified, mode, "803U42");
    }

    @Test
    void longLineOfARecentFileShowsTimeOfDayInUtc() {
        String line = ListingFormat.longLine(file("notes.txt", 1234, Instant.parse("2024-03-05T14:07:59Z"), 0644), NOW);
        assertThat(line).isEqualTo("-rw-r--r-- 1 ftp      ftp              1234 Mar 05 14:07 notes.txt");
    }

    @Test
    void longLineOfAnOldFileShowsTheYear() {
        String line = ListingFormat.longLine(file("old.tar", 7, Instant.parse("2020-12-31T23:59:00Z"), 0600), NOW);
        assertThat(line).isEqualTo("-rw------- 1 ftp      ftp                 7 Dec 31  2020 old.tar");
    }

    @Test
    void longLineOfADirectoryAndOfALinkLeadingOutside() {
        Listed dir = new Listed("sub dir", Listed.Kind.DIRECTORY, 4096, NOW, 0755, "1");
        Listed other = new Listed("link", Listed.Kind.OTHER, 9, NOW, 0777, "2");
        assertThat(ListingFormat.longLine(dir, NOW)).startsWith("drwxr-xr-x ").endsWith(" sub dir");
        assertThat(ListingFormat.longLine(other, NOW)).startsWith("lrwxrwxrwx ");
    }

    @Test
    void sizesBeyondFourGibibytesArePrintedWhole() {
        long size = 5L * 1024 * 1024 * 1024 + 3;
        assertThat(ListingFormat.longLine(file("big.iso", size, NOW, 0644), NOW)).contains(" 5368709123 ");
        long huge = 123_456_789_012_345L;
        assertThat(ListingFormat.longLine(file("huge", huge, NOW, 0644), NOW)).contains(" 123456789012345 ");
    }

    @Test
    void controlCharactersInNamesAreEscapedSoTheyCannotEndALine() {
        assertThat(ListingFormat.printable("evil\r\n226 fake")).isEqualTo("evil\\x0d\\x0a226 fake");
        assertThat(ListingFormat.printable("tab\there")).isEqualTo("tab\\x09here");
        assertThat(ListingFormat.printable("plain é ☃")).isEqualTo("plain é ☃");
        assertThat(ListingFormat.longLine(file("a\nb", 1, NOW, 0644), NOW)).endsWith(" a\\x0ab");
    }

    @Test
    void factsLineHasTheRfc3659FactsInUtc() {
        Listed e = file("r.bin", 10, Instant.parse("2023-07-08T09:10:11.999Z"), 0640);
        assertThat(ListingFormat.factsLine(e, "adfrw", "r.bin"))
                .isEqualTo("type=file;size=10;modify=20230708091011;perm=adfrw;unique=803U42;UNIX.mode=0640; r.bin");
        Listed dir = new Listed("d", Listed.Kind.DIRECTORY, 4096, Instant.parse("2023-07-08T09:10:11Z"), 0755, "9");
        assertThat(ListingFormat.factsLine(dir, "el", "d")).startsWith("type=dir;size=4096;");
    }

    @Test
    void permFactFollowsTheUsersPermissionsAndTheOwnerBits() {
        Listed writable = file("f", 1, NOW, 0644);
        Listed readOnlyFile = file("f", 1, NOW, 0444);
        Listed dir = new Listed("d", Listed.Kind.DIRECTORY, 1, NOW, 0755, "1");
        assertThat(ListingFormat.permFact(writable, true, true, true, true)).isEqualTo("adfrw");
        assertThat(ListingFormat.permFact(writable, false, false, false, false)).isEqualTo("r");
        assertThat(ListingFormat.permFact(readOnlyFile, true, true, true, true)).isEqualTo("dfr");
        assertThat(ListingFormat.permFact(dir, true, true, true, true)).isEqualTo("cdeflmp");
        assertThat(ListingFormat.permFact(dir, false, false, false, false)).isEqualTo("el");
    }

    @Test
    void entriesOfAStorageWithoutModesLookLikeOrdinaryFilesAndHaveNoModeFact() {
        Listed object = new Listed("o.txt", Listed.Kind.FILE, 3, NOW, -1, "etag");
        Listed prefix = new Listed("p", Listed.Kind.DIRECTORY, 0, NOW, -1, "p/");
        assertThat(ListingFormat.longLine(object, NOW)).startsWith("-rw-r--r-- ");
        assertThat(ListingFormat.longLine(prefix, NOW)).startsWith("drwxr-xr-x ");
        assertThat(ListingFormat.factsLine(object, "adfrw", "o.txt")).isEqualTo("type=file;size=3;modify=20240401120000;perm=adfrw;unique=etag; o.txt");
        assertThat(ListingFormat.permFact(object, true, true, true, true)).isEqualTo("adfrw");
        assertThat(ListingFormat.permFact(prefix, true, true, true, true)).isEqualTo("cdeflmp");
    }
}
