package dev.jftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.reliability.LookupCountingResolverProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression tests for what fuzzing {@link HostPort} found (see {@link HostPortFuzzTest}).
 *
 * <p>Finding: an EPRT address of protocol 2 made only of hex digits, dots and colons but not a valid
 * IPv6 literal (".0:", "fade.cafe:") went to the name service as a host name, so any client could
 * make the server send DNS queries of its choosing (and wait for them).
 */
class HostPortFuzzFindingsTest {
    @ParameterizedTest
    @ValueSource(strings = {"!2!.0:!c57!", "|2|.0:|2000|", "|2|fade.cafe:|2000|", "|2|a.b:c|2000|", "|2|:::|2000|", "|2|1.2.3.4:|2000|"})
    void anIpv6TextThatIsNoLiteralIsRefusedWithoutALookup(String eprt) {
        long before = LookupCountingResolverProvider.lookups();
        assertThatThrownBy(() -> HostPort.parseExtended(eprt)).isInstanceOf(IllegalArgumentException.class);
        assertThat(LookupCountingResolverProvider.lookups()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "fe80::1", "2001:db8::ff00:42:8329", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"})
    void realIpv6LiteralsStillParse(String address) throws Exception {
        long before = LookupCountingResolverProvider.lookups();
        InetSocketAddress parsed = HostPort.parseExtended("|2|" + address + "|2000|");
        assertThat(parsed.getAddress()).isEqualTo(InetAddress.getByName("[" + address + "]"));
        assertThat(parsed.getPort()).isEqualTo(2000);
        assertThat(LookupCountingResolverProvider.lookups()).isEqualTo(before);
    }
}
