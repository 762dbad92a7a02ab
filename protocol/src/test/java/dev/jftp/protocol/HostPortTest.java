package dev.jftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void parsesPortArgumentsAndPasvReplies() throws Exception {
        assertThat(HostPort.parseSixNumbers("192,168,1,2,19,137"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.168.1.2"), 19 * 256 + 137));
        assertThat(HostPort.parseSixNumbers("Entering Passive Mode (127,0,0,1,200,10)."))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 200 * 256 + 10));
    }

    @Test
    void refusesMalformedSixNumbers() {
        for (String bad : new String[] {"1,2,3,4,5", "256,0,0,1,1,1", "1,2,3,4,5,256", "a,b,c,d,e,f", ""}) {
            assertThatThrownBy(() -> HostPort.parseSixNumbers(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aPortArgumentIsExactlySixNumbers() throws Exception {
        assertThat(HostPort.parsePortArgument("192,168,1,2,19,137"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.168.1.2"), 19 * 256 + 137));
        for (String bad : new String[] {"1,2,3,4,5,6,7", "1,2,3,4,5,6x", "x1,2,3,4,5,6", "1,2,3,4,5,6,", "(1,2,3,4,5,6)",
                "1, 2,3,4,5,6", "1234,2,3,4,5,6", "\u0661,2,3,4,5,6", ""}) {
            assertThatThrownBy(() -> HostPort.parsePortArgument(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aPasvReplyWithSevenNumbersIsRefused() {
        assertThatThrownBy(() -> HostPort.parseSixNumbers("Entering Passive Mode (127,0,0,1,200,10,5)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parseSixNumbers("Entering Passive Mode (9127,0,0,1,200,10)"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extendedAddressesTakeAsciiDigitsOnly() {
        for (String bad : new String[] {"|1|127.0.0.1|\uff11\uff10\uff12\uff15|", "|1|\u0661\u0662\u0667.0.0.1|1025|",
                "|1|127.0.0.1|+1025|", "|1|127.0.0.1|1025 |"}) {
            assertThatThrownBy(() -> HostPort.parseExtended(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HostPort.parsePort("\uff11\uff10\uff12\uff15")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsSixNumbersForIpv4Only() throws Exception {
        assertThat(HostPort.formatSixNumbers(InetAddress.getByName("10.0.0.7"), 65535)).isEqualTo("10,0,0,7,255,255");
        assertThat(HostPort.formatSixNumbers(InetAddress.getByName("10.0.0.7"), 1024)).isEqualTo("10,0,0,7,4,0");
        assertThatThrownBy(() -> HostPort.formatSixNumbers(InetAddress.getByName("::1"), 2000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesExtendedAddressesWithAnyDelimiter() throws Exception {
        assertThat(HostPort.parseExtended("|1|132.235.1.2|6275|"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("132.235.1.2"), 6275));
        assertThat(HostPort.parseExtended("!2!::1!5282!"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 5282));
        assertThat(HostPort.parseExtended("|2|1080::8:800:200C:417A|5282|").getAddress())
                .isEqualTo(InetAddress.getByName("1080::8:800:200C:417A"));
    }

    @Test
    void extendedAddressesAreLiteralsNeverNamesToLookUp() {
        assertThatThrownBy(() -> HostPort.parseExtended("|1|localhost|2000|")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parseExtended("|2|example.com|2000|")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesMalformedExtendedAddresses() {
        for (String bad : new String[] {"", "|1|1.2.3.4|", "|1|1.2.3.4|70000|", "|1|1.2.3|21|", "|1|1.2.3.4|21", " 1 1.2.3.4 21 "}) {
            assertThatThrownBy(() -> HostPort.parseExtended(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HostPort.parseExtended("|3|1.2.3.4|2000|")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void formatsExtendedAddresses() throws Exception {
        assertThat(HostPort.formatExtended(InetAddress.getByName("127.0.0.1"), 2121)).isEqualTo("|1|127.0.0.1|2121|");
        assertThat(HostPort.formatExtended(InetAddress.getByName("::1"), 2121)).isEqualTo("|2|0:0:0:0:0:0:0:1|2121|");
        assertThat(HostPort.parseExtended(HostPort.formatExtended(InetAddress.getByName("::1"), 2121)).getPort()).isEqualTo(2121);
    }

    @Test
    void readsThePortOfAnEpsvReply() {
        assertThat(HostPort.parseEpsvReply("Entering Extended Passive Mode (|||6446|)")).isEqualTo(6446);
        assertThat(HostPort.parseEpsvReply("ok (!!!1025!)")).isEqualTo(1025);
        assertThatThrownBy(() -> HostPort.parseEpsvReply("Entering Passive Mode (1,2,3,4,5,6)"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void portsMustBeBetween1And65535() {
        assertThat(HostPort.parsePort("1")).isEqualTo(1);
        assertThat(HostPort.parsePort("65535")).isEqualTo(65535);
        for (String bad : new String[] {"0", "65536", "-1", "", "12a", "999999"}) {
            assertThatThrownBy(() -> HostPort.parsePort(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
