package dev.jftp.protocol.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the server formats, the client parses back: LIST lines and MLSx fact lines. */
class ListingRoundTripTest {
    private static final Instant NOW = Instant.parse("2026-04-01T12:00:00Z");

    private static final List<Listed> ENTRIES = List.of(
            new Listed("notes.txt", Listed.Kind.FILE, 1234, Instant.parse("2026-03-05T14:07:59Z"), 0644, "803U42"),
            new Listed("old archive.tar", Listed.Kind.FILE, 7, Instant.parse("2020-12-31T23:59:00Z"), 0600, "803U43"),
            new Listed("huge.iso", Listed.Kind.FILE, 123_456_789_012_345L, Instant.parse("2026-01-02T03:04:05Z"), 0444, "1"),
            new Listed("empty", Listed.Kind.FILE, 0, Instant.parse("2025-11-30T00:00:00Z"), 0, "2"),
            new Listed("sub dir", Listed.Kind.DIRECTORY, 4096, Instant.parse("2026-03-31T23:59:00Z"), 0755, "3"),
            new Listed("  leading and trailing  ", Listed.Kind.FILE, 5, Instant.parse("2026-02-01T10:00:00Z"), 0640, "4"),
            new Listed("ünïcødé ☃.txt", Listed.Kind.FILE, 9, Instant.parse("2026-02-01T10:00:00Z"), 0664, "5"),
            new Listed("a -> b", Listed.Kind.FILE, 3, Instant.parse("2026-02-01T10:00:00Z"), 0644, "6"));

    @Test
    void longLinesComeBackWithNameKindSizeModeAndTheMinute() {
        ListingFormat.DateColumn dates = new ListingFormat.DateColumn(NOW);
        for (Listed e : ENTRIES) {
            String line = ListingFormat.longLine(e, NOW, dates);
            RemoteEntry parsed = ListingParser.parseUnixLine(line, NOW);
            assertThat(parsed).as(line).isNotNull();
            assertThat(parsed.name()).as(line).isEqualTo(e.name());
            assertThat(parsed.isDirectory()).as(line).isEqualTo(e.isDirectory());
            assertThat(parsed.isFile()).as(line).isEqualTo(e.isFile());
            assertThat(parsed.size()).as(line).isEqualTo(e.size());
            assertThat(parsed.mode()).as(line).isEqualTo(e.mode() & 0777);
            boolean recent = e.modified().isAfter(NOW.minus(java.time.Duration.ofDays(182)));
            assertThat(parsed.modified()).as(line).isEqualTo(e.modified().truncatedTo(recent ? ChronoUnit.MINUTES : ChronoUnit.DAYS));
        }
    }

    @Test
    void factLinesComeBackWithEverythingToTheSecond() {
        for (Listed e : ENTRIES) {
            String line = ListingFormat.factsLine(e, ListingFormat.permFact(e, true, true, true, true), e.name());
            RemoteEntry parsed = ListingParser.parseFacts(line, false);
            assertThat(parsed).as(line).isNotNull();
            assertThat(parsed.name()).as(line).isEqualTo(e.name());
            assertThat(parsed.kind()).as(line).isEqualTo(e.isDirectory() ? RemoteEntry.Kind.DIRECTORY : RemoteEntry.Kind.FILE);
            assertThat(parsed.size()).as(line).isEqualTo(e.size());
            assertThat(parsed.mode()).as(line).isEqualTo(e.mode());
            assertThat(parsed.modified()).as(line).isEqualTo(e.modified().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    @Test
    void whatIsNeitherFileNorDirectoryIsNotTakenForAFile() {
        Listed device = new Listed("dev", Listed.Kind.OTHER, 0, NOW, 0600, "7");
        assertThat(ListingParser.parseUnixLine(ListingFormat.longLine(device, NOW), NOW).kind()).isEqualTo(RemoteEntry.Kind.LINK);
        assertThat(ListingParser.parseFacts(ListingFormat.factsLine(device, "r", "dev"), false).kind()).isEqualTo(RemoteEntry.Kind.OTHER);
    }

    @Test
    void anEntryWithoutAModeHasNoModeFactAndTheUsualBitsInList() {
        Listed noMode = new Listed("object.bin", Listed.Kind.FILE, 10, NOW, -1, "8");
        assertThat(ListingParser.parseFacts(ListingFormat.factsLine(noMode, "r", "object.bin"), false).mode()).isEqualTo(-1);
        assertThat(ListingParser.parseUnixLine(ListingFormat.longLine(noMode, NOW), NOW).mode()).isEqualTo(0644);
        Listed dirNoMode = new Listed("prefix", Listed.Kind.DIRECTORY, 0, NOW, -1, "9");
        assertThat(ListingParser.parseUnixLine(ListingFormat.longLine(dirNoMode, NOW), NOW).mode()).isEqualTo(0755);
    }

    @Test
    void aNameWithALineBreakComesBackEscapedOnOneLineNeverAsTwoEntries() {
        Listed evil = new Listed("evil\r\n226 fake", Listed.Kind.FILE, 1, NOW, 0644, "10");
        String line = ListingFormat.longLine(evil, NOW);
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(ListingParser.parseUnixLine(line, NOW).name()).isEqualTo("evil\\x0d\\x0a226 fake");
        assertThat(ListingParser.parseFacts(ListingFormat.factsLine(evil, "r", evil.name()), false).name()).isEqualTo("evil\\x0d\\x0a226 fake");
    }
}
