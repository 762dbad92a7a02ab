package dev.jftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FtpTimeTest {
    @Test
    void formatsInUtcToTheSecond() {
        assertThat(FtpTime.format(Instant.parse("2024-02-29T23:59:58.999Z"))).isEqualTo("20240229235958");
    }

    @Test
    void writesWhatTheJdksFormatterWritesOverFourDigitYears() {
        DateTimeFormatter reference = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withZone(ZoneOffset.UTC);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
            String text = FtpTime.format(t);
            assertThat(text).as(t.toString()).isEqualTo(reference.format(t));
            assertThat(FtpTime.parse(text)).isEqualTo(Instant.ofEpochSecond(t.getEpochSecond()));
        }
        assertThat(FtpTime.format(Instant.parse("1969-12-31T23:59:59.5Z"))).isEqualTo("19691231235959");
    }

    @Test
    void clampsTimesAFourDigitYearCannotSay() {
        assertThat(FtpTime.format(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("99991231235959");
        assertThat(FtpTime.format(Instant.parse("-0001-06-01T12:00:00Z"))).isEqualTo("00000101000000");
    }

    @Test
    void parsesWithAndWithoutFraction() {
        assertThat(FtpTime.parse("20240229235958")).isEqualTo(Instant.parse("2024-02-29T23:59:58Z"));
        assertThat(FtpTime.parse("20240229235958.5")).isEqualTo(Instant.parse("2024-02-29T23:59:58.5Z"));
        assertThat(FtpTime.parse("20240229235958.123456789")).isEqualTo(Instant.parse("2024-02-29T23:59:58.123456789Z"));
    }

    @Test
    void refusesWhatIsNotATimeVal() {
        for (String bad : new String[] {"", "2024", "2024022923595x", "20240230120000", "20240229235958.", "20240229235958,5", "20241301000000",
                "20240229240000", "20240229235960", "20240229235958.1234567890", "20240229235958.-1", "2024022923595+1"}) {
            assertThatThrownBy(() -> FtpTime.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> FtpTime.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
