package dev.jftp.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/8                  | 10.1.2.3         | true",
        "10.0.0.0/8                  | 11.0.0.1         | false",
        "192.0.2.7                   | 192.0.2.7        | true",
        "192.0.2.7                   | 192.0.2.8        | false",
        "192.0.2.0/25                | 192.0.2.127      | true",
        "192.0.2.0/25                | 192.0.2.128      | false",
        "172.16.0.0/12               | 172.31.255.255   | true",
        "172.16.0.0/12               | 172.32.0.0       | false",
        "0.0.0.0/0                   | 203.0.113.7      | true",
        "0.0.0.0/0                   | ::1              | false",
        "::1                         | ::1              | true",
        "::1                         | 127.0.0.1        | false",
        "fd00::/8                    | fd12:3456::1     | true",
        "fd00::/8                    | fe80::1          | false",
        "2001:db8::/33               | 2001:db8:7fff::1 | true",
        "2001:db8::/33               | 2001:db8:8000::1 | false",
        "10.0.0.0/8                  | ::ffff:10.0.0.2  | true",
        "::ffff:10.0.0.0/104         | 10.9.9.9         | true",
        "::ffff:10.0.0.0/104         | 11.9.9.9         | false",
        "127.0.0.1, 10.0.0.0/8, ::1  | 10.0.0.1         | true",
        "127.0.0.1, 10.0.0.0/8, ::1  | ::1              | true",
        "127.0.0.1, 10.0.0.0/8, ::1  | 127.0.0.2        | false",
    })
    void networksContainTheirAddressesOnly(String networks, String peer, boolean trusted) throws UnknownHostException {
        assertThat(TrustedProxies.parse(networks).contains(ip(peer))).isEqualTo(trusted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/8,", ",::1", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8",
        "10.0.0.0/08x", "proxy.example", "localhost", "10.0.0", "10.0.0.256", "fe80::1%eth0", "10.0.0.0/8/8", "1:2:3:4:5:6:7:8:9"})
    void badEntriesAreRefusedSayingWhich(String text) {
        assertThatThrownBy(() -> TrustedProxies.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--trusted-proxies: ");
    }

    @Test
    void hostBitsAfterThePrefixAreALikelyTypo() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.1/8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("did you mean 10.0.0.0/8?");
        assertThatThrownBy(() -> TrustedProxies.parse("fd00::1/8")).hasMessageContaining("did you mean fd00:0:0:0:0:0:0:0/8?");
    }

    @Test
    void describesWhatItUnderstood() {
        assertThat(TrustedProxies.parse(" 10.0.0.0/8 ,192.0.2.7,::1")).hasToString("10.0.0.0/8,192.0.2.7/32,0:0:0:0:0:0:0:1/128");
    }
}
