package dev.jftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jftp.server.reliability.LookupCountingResolverProvider;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * Fuzzes the PORT/EPRT argument parsers and the PASV/EPSV reply parsers of {@link HostPort}: any
 * text may only be refused with IllegalArgumentException (501) or UnsupportedOperationException
 * (522), never with anything else, and never by asking the name service (a client must not be able
 * to make the server resolve names). What parses must survive a format/parse round trip.
 */
class HostPortFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void onlyRefusesAndNeverLooksUpNames(FuzzedDataProvider data) {
        int parser = data.consumeInt(0, 3);
        String text = data.consumeRemainingAsString();
        long lookupsBefore = LookupCountingResolverProvider.lookups();
        try {
            switch (parser) {
                case 0 -> {
                    InetSocketAddress a = HostPort.parseSixNumbers(text);
                    assertThat(a.getAddress()).isInstanceOf(Inet4Address.class);
                    assertThat(a.getPort()).isBetween(0, 65535);
                    assertThat(HostPort.parseSixNumbers(HostPort.formatSixNumbers(a.getAddress(), a.getPort()))).isEqualTo(a);
                }
                case 1 -> {
                    InetSocketAddress a = HostPort.parseExtended(text);
                    assertThat(a.isUnresolved()).isFalse();
                    assertThat(a.getPort()).isBetween(1, 65535);
                    assertThat(HostPort.parseExtended(HostPort.formatExtended(a.getAddress(), a.getPort()))).isEqualTo(a);
                }
                case 2 -> assertThat(HostPort.parseEpsvReply(text)).isBetween(1, 65535);
                default -> assertThat(HostPort.parsePort(text)).isBetween(1, 65535);
            }
        } catch (IllegalArgumentException | UnsupportedOperationException refused) {
            // the only allowed ways to say no
        }
        assertThat(LookupCountingResolverProvider.lookups()).as("name lookups while parsing %s", text).isEqualTo(lookupsBefore);
    }
}
