package dev.jftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jftp.server.reliability.LookupCountingResolverProvider;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * Fuzzes the PORT/EPRT argument parsers and the PASV/EPSV reply parsers of {@link HostPort}: any
 * text may only be refused with IllegalArgumentException (501) or UnsupportedOperationException
 * (522), never with anything else, and never by asking the name service (a client must not be able
 * to make the server resolve names). What parses must survive a format/parse round trip, and a
 * PORT or EPRT argument parses only when it is exactly its RFC grammar (no seventh number, no
 * trailing junk, no digits of other scripts).
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
                    checkPortArgument(text);
                    InetSocketAddress a = HostPort.parseSixNumbers(text);
                    assertThat(a.getAddress()).isInstanceOf(Inet4Address.class);
                    assertThat(a.getPort()).isBetween(0, 65535);
                    assertThat(HostPort.parseSixNumbers(HostPort.formatSixNumbers(a.getAddress(), a.getPort()))).isEqualTo(a);
                }
                case 1 -> {
                    InetSocketAddress a = HostPort.parseExtended(text);
                    assertThat(EPRT_GRAMMAR.matcher(text).matches()).as("EPRT argument accepted: %s", text).isTrue();
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

    /** RFC 959 section 4.1.2: six decimal numbers and five commas, nothing else (an independent oracle). */
    private static final Pattern PORT_GRAMMAR = Pattern.compile("[0-9]{1,3}(,[0-9]{1,3}){5}");
    /** RFC 2428 section 2: d proto d address d port d, with an IPv4 or IPv6 literal and a decimal port. */
    private static final Pattern EPRT_GRAMMAR = Pattern.compile("(\\p{Graph})[12]\\1[0-9A-Fa-f:.]+\\1[0-9]{1,5}\\1");

    /** A PORT argument parses only when it is exactly the grammar's six numbers; then it round-trips. */
    private static void checkPortArgument(String text) {
        InetSocketAddress a;
        try {
            a = HostPort.parsePortArgument(text);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(PORT_GRAMMAR.matcher(text).matches()).as("PORT argument accepted: %s", text).isTrue();
        assertThat(HostPort.parsePortArgument(HostPort.formatSixNumbers(a.getAddress(), a.getPort()))).isEqualTo(a);
    }
}
