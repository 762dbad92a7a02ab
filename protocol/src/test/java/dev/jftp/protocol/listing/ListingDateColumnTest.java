package dev.jftp.protocol.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cached date column of a listing writes exactly what formatting each line alone writes. */
@Timeout(10)
class ListingDateColumnTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:30:15Z");

    private static Listed file(Instant modified) {
        return new Listed("a.txt", Listed.Kind.FILE, 42, modified, 0644, "1U2");
    }

    @Test
    void cachedLinesEqualUncachedOnesAcrossMinutesAndTheSixMonthBoundary() {
        ListingFormat.DateColumn dates = new ListingFormat.DateColumn(NOW);
        Instant sixMonthsAgo = NOW.minus(Duration.ofDays(182));
        Instant[] times = {
            NOW.minusSeconds(5), NOW.minusSeconds(7), NOW.minusSeconds(65), NOW.minusSeconds(65),
            sixMonthsAgo.plusSeconds(1), sixMonthsAgo, sixMonthsAgo.minusSeconds(1), sixMonthsAgo.plusSeconds(1),
            NOW.plus(Duration.ofDays(1)).minusSeconds(1), NOW.plus(Duration.ofDays(2)), Instant.EPOCH, NOW.minusSeconds(5),
        };
        for (Instant t : times) {
            assertThat(ListingFormat.longLine(file(t), NOW, dates)).isEqualTo(ListingFormat.longLine(file(t), NOW));
        }
    }

    @Test
    void recentFilesShowTheTimeAndOldOnesTheYear() {
        ListingFormat.DateColumn dates = new ListingFormat.DateColumn(NOW);
        assertThat(ListingFormat.longLine(file(NOW.minusSeconds(60)), NOW, dates))
                .isEqualTo("-rw-r--r-- 1 ftp      ftp                42 Nov 23 10:29 a.txt");
        assertThat(ListingFormat.longLine(file(Instant.parse("2020-02-03T04:05:06Z")), NOW, dates))
                .isEqualTo("-rw-r--r-- 1 ftp      ftp                42 Feb 03  2020 a.txt");
    }
}
