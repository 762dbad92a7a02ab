package dev.jftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FtpTimeTest {
    @Test
    void formatsInUtcToTheSecond() {
        assertThat(FtpTime.format(Instant.parse("2024-02-29T23:59:58.999Z"))).isEqualTo("20240229235958");
    }

    @Test
    void parsesWithAndWithoutFraction() {
        assertThat(FtpTime.parse("20240229235958")).isEqualTo(Instant.parse("2024-02-29T23:59:58Z"));
        assertThat(FtpTime.parse("20240229235958.5")).isEqualTo(Instant.parse("2024-02-29T23:59:58.5Z"));
        assertThat(FtpTime.parse("20240229235958.123456789")).isEqualTo(Instant.parse("2024-02-29T23:59:58.123456789Z"));
    }

    @Test
    void refusesWhatIsNotATimeVal() {
        for (String bad : new String[] {"", "2024", "2024022923595x", "20240230120000", "20240229235958.", "20240229235958,5", "20241301000000"}) {
            assertThatThrownBy(() -> FtpTime.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> FtpTime.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
