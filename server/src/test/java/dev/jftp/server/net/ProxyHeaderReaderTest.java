package dev.jftp.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every form of the PROXY protocol header (v1 text, v2 binary), malformed input, and the deadline. */
class ProxyHeaderReaderTest {
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** What the protocol behind the header sends first; the reader must leave it unread. */
    private static final String AFTER = "SSH-2.0-client\r\n";

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A v2 header: signature, version/command, family/transport, length, block. */
    static byte[] v2(int versionAndCommand, int familyAndTransport, byte[] block) {
        ByteBuffer b = ByteBuffer.allocate(16 + block.length);
        b.put(SIGNATURE).put((byte) versionAndCommand).put((byte) familyAndTransport).putShort((short) block.length).put(block);
        return b.array();
    }

    static byte[] inet4Block(String source, String destination, int sourcePort, int destinationPort, int extra) throws IOException {
        return ByteBuffer.allocate(12 + extra).put(InetAddress.getByName(source).getAddress())
                .put(InetAddress.getByName(destination).getAddress())
                .putShort((short) sourcePort).putShort((short) destinationPort).array();
    }

    private static byte[] inet6Block(String source, String destination, int sourcePort, int destinationPort) throws IOException {
        return ByteBuffer.allocate(36).put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress())
                .putShort((short) sourcePort).putShort((short) destinationPort).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Reads a header followed by {@link #AFTER}; checks that exactly the header was consumed. */
    private static ProxyHeader readThenRest(byte[] header) throws IOException {
        InputStream in = new ByteArrayInputStream(concat(header, ascii(AFTER)));
        ProxyHeader result = ProxyHeaderReader.read(in, ProxyHeaderReader.ReadDeadline.NONE);
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).as("bytes after the header").isEqualTo(AFTER);
        return result;
    }

    private static InetSocketAddress at(String address, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    // --- version 1

    @Test
    void v1Tcp4() throws IOException {
        ProxyHeader h = readThenRest(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21\r\n"));
        assertThat(h).isEqualTo(new ProxyHeader(1, ProxyHeader.Command.PROXY, at("203.0.113.7", 51234), at("192.0.2.1", 21)));
    }

    @Test
    void v1Tcp6() throws IOException {
        ProxyHeader h = readThenRest(ascii("PROXY TCP6 2001:db8::7 2001:db8::1 0 65535\r\n"));
        assertThat(h).isEqualTo(new ProxyHeader(1, ProxyHeader.Command.PROXY, at("2001:db8::7", 0), at("2001:db8::1", 65535)));
    }

    @Test
    void v1LongestLinesFit() throws IOException {
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        byte[] tcp6 = ascii("PROXY TCP6 " + full + " " + full + " 65535 65535\r\n");
        assertThat(readThenRest(tcp6).source().getPort()).isEqualTo(65535);
        // section 2.1's worst case, 107 bytes, is this UNKNOWN line
        byte[] unknown = ascii("PROXY UNKNOWN " + full + " " + full + " 65535 65535\r\n");
        assertThat(unknown).hasSize(ProxyHeaderReader.MAX_V1_LENGTH);
        assertThat(readThenRest(unknown).hasAddresses()).isFalse();
        byte[] oneMore = ascii("PROXY UNKNOWN " + full + " " + full + " 65535 655350\r\n");
        assertThatThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(oneMore), ProxyHeaderReader.ReadDeadline.NONE))
                .isInstanceOf(ProxyProtocolException.class).hasMessageContaining("no CRLF within 107 bytes");
    }

    @Test
    void v1Unknown() throws IOException {
        assertThat(readThenRest(ascii("PROXY UNKNOWN\r\n"))).isEqualTo(new ProxyHeader(1, ProxyHeader.Command.PROXY, null, null));
        // section 2.1: anything after UNKNOWN up to the CRLF is ignored
        assertThat(readThenRest(ascii("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n")).hasAddresses()).isFalse();
    }

    @Test
    void v1Ipv4MappedInTcp6() throws IOException {
        ProxyHeader h = readThenRest(ascii("PROXY TCP6 ::ffff:203.0.113.7 ::1 4000 21\r\n"));
        assertThat(h.source()).isEqualTo(at("203.0.113.7", 4000));
    }

    static Stream<Arguments> badV1() {
        String longTail = "1".repeat(120);
        return Stream.of(
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21\n", "not printable"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21\rX", "CR not followed by LF"),
                Arguments.of("PROXY TCP4 203.0.113.7  192.0.2.1 51234 21\r\n", "expected PROXY"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 51234\r\n", "expected PROXY"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21 7\r\n", "expected PROXY"),
                Arguments.of("PROXY TCP5 203.0.113.7 192.0.2.1 51234 21\r\n", "unknown protocol"),
                Arguments.of("PROXY tcp4 203.0.113.7 192.0.2.1 51234 21\r\n", "unknown protocol"),
                Arguments.of("PROXY \r\n", "expected PROXY"),
                Arguments.of("PROXY TCP4 2001:db8::7 192.0.2.1 51234 21\r\n", "bad IPv4 address"),
                Arguments.of("PROXY TCP6 203.0.113.7 2001:db8::1 51234 21\r\n", "bad IPv6 address"),
                Arguments.of("PROXY TCP4 203.0.113.256 192.0.2.1 51234 21\r\n", "bad IPv4 address"),
                Arguments.of("PROXY TCP4 203.0.113 192.0.2.1 51234 21\r\n", "bad IPv4 address"),
                Arguments.of("PROXY TCP4 client.example 192.0.2.1 51234 21\r\n", "bad IPv4 address"),
                Arguments.of("PROXY TCP6 localhost ::1 51234 21\r\n", "bad IPv6 address"),
                Arguments.of("PROXY TCP6 fe80::1%eth0 ::1 51234 21\r\n", "bad IPv6 address"),
                Arguments.of("PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 51234 21\r\n", "bad IPv6 address"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 65536 21\r\n", "bad port"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 -1 21\r\n", "bad port"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 +80 21\r\n", "bad port"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 080 21\r\n", "bad port"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 80 \r\n", "bad port"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 99999999999 21\r\n", "bad port"),
                Arguments.of("PROXY TCP4 203.0.113.7\t192.0.2.1 51234 21\r\n", "not printable"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 51234 2\u00e91\r\n", "not printable"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 51234 2\u00001\r\n", "not printable"),
                Arguments.of("PROXY UNKNOWN " + longTail + "\r\n", "no CRLF within 107 bytes"),
                Arguments.of("PROXY TCP4 " + longTail, "no CRLF within 107 bytes"),
                Arguments.of("PROXYTCP4 203.0.113.7 192.0.2.1 51234 21\r\n", "does not start with \"PROXY \""),
                Arguments.of("PROX", "closed in the middle"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21", "closed in the middle"),
                Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21\r", "closed in the middle"),
                Arguments.of("USER anonymous\r\n", "does not start with a PROXY protocol header"),
                Arguments.of("proxy TCP4 203.0.113.7 192.0.2.1 51234 21\r\n", "does not start with a PROXY protocol header"),
                Arguments.of("\r\nUSER x\r\n", "wrong signature"));
    }

    @ParameterizedTest
    @MethodSource("badV1")
    void badV1HeadersAreRefusedSayingWhy(String input, String reason) {
        Throwable t = catchThrowable(() -> ProxyHeaderReader.read(new ByteArrayInputStream(ascii(input)), ProxyHeaderReader.ReadDeadline.NONE));
        assertThat(t).isInstanceOf(ProxyProtocolException.class).hasMessageContaining(reason);
        assertThat(((ProxyProtocolException) t).closedBeforeHeader()).isFalse();
    }

    @Test
    void theLengthLimitIsCheckedWhileReading() {
        // an endless line: refused after 107 bytes, not read to the end
        CountingInput in = new CountingInput(new byte[0], (byte) 'P', (byte) 'R', (byte) 'O', (byte) 'X', (byte) 'Y', (byte) ' ');
        assertThatThrownBy(() -> ProxyHeaderReader.read(in, ProxyHeaderReader.ReadDeadline.NONE))
                .isInstanceOf(ProxyProtocolException.class).hasMessageContaining("107");
        assertThat(in.consumed).isLessThanOrEqualTo(ProxyHeaderReader.MAX_V1_LENGTH);
    }

    @Test
    void nothingAtAllIsAClosedConnectionBeforeTheHeader() {
        Throwable t = catchThrowable(() -> ProxyHeaderReader.read(new ByteArrayInputStream(new byte[0]), ProxyHeaderReader.ReadDeadline.NONE));
        assertThat(t).isInstanceOf(ProxyProtocolException.class).hasMessageContaining("closed before");
        assertThat(((ProxyProtocolException) t).closedBeforeHeader()).isTrue();
    }

    // --- version 2

    @Test
    void v2Tcp4() throws IOException {
        ProxyHeader h = readThenRest(v2(0x21, 0x11, inet4Block("203.0.113.7", "192.0.2.1", 51234, 21, 0)));
        assertThat(h).isEqualTo(new ProxyHeader(2, ProxyHeader.Command.PROXY, at("203.0.113.7", 51234), at("192.0.2.1", 21)));
    }

    @Test
    void v2Tcp6() throws IOException {
        ProxyHeader h = readThenRest(v2(0x21, 0x21, inet6Block("2001:db8::7", "2001:db8::1", 65535, 990)));
        assertThat(h).isEqualTo(new ProxyHeader(2, ProxyHeader.Command.PROXY, at("2001:db8::7", 65535), at("2001:db8::1", 990)));
    }

    @Test
    void v2TlvsAfterTheAddressesAreSkipped() throws IOException {
        byte[] addresses = inet4Block("203.0.113.7", "192.0.2.1", 51234, 21, 0);
        byte[] alpn = {0x01, 0x00, 0x03, 'f', 't', 'p'}; // PP2_TYPE_ALPN
        byte[] noop = {0x04, 0x00, 0x02, 0x00, 0x00}; // PP2_TYPE_NOOP
        ProxyHeader h = readThenRest(v2(0x21, 0x11, concat(addresses, alpn, noop)));
        assertThat(h.source()).isEqualTo(at("203.0.113.7", 51234));
    }

    @Test
    void v2LocalIsTheProxyItself() throws IOException {
        // HAProxy's health check: LOCAL, UNSPEC, no addresses
        assertThat(readThenRest(v2(0x20, 0x00, new byte[0]))).isEqualTo(new ProxyHeader(2, ProxyHeader.Command.LOCAL, null, null));
        // LOCAL with addresses anyway: they are ignored, family included (section 2.2)
        assertThat(readThenRest(v2(0x20, 0x11, inet4Block("203.0.113.7", "192.0.2.1", 1, 2, 0))).hasAddresses()).isFalse();
        assertThat(readThenRest(v2(0x20, 0x7F, new byte[3])).command()).isEqualTo(ProxyHeader.Command.LOCAL);
    }

    @Test
    void v2UnspecAndUnixCarryNoClientAddress() throws IOException {
        assertThat(readThenRest(v2(0x21, 0x00, new byte[0]))).isEqualTo(new ProxyHeader(2, ProxyHeader.Command.PROXY, null, null));
        assertThat(readThenRest(v2(0x21, 0x31, new byte[216])).hasAddresses()).isFalse();
    }

    @Test
    void v2AtTheLengthLimit() throws IOException {
        byte[] block = new byte[ProxyHeaderReader.MAX_V2_LENGTH];
        System.arraycopy(inet4Block("203.0.113.7", "192.0.2.1", 7, 21, 0), 0, block, 0, 12);
        assertThat(readThenRest(v2(0x21, 0x11, block)).source()).isEqualTo(at("203.0.113.7", 7));
    }

    static Stream<Arguments> badV2() throws IOException {
        byte[] tcp4 = inet4Block("203.0.113.7", "192.0.2.1", 51234, 21, 0);
        byte[] wrongSignature = v2(0x21, 0x11, tcp4);
        wrongSignature[7] = 0x52;
        byte[] tooLong = v2(0x21, 0x11, new byte[0]);
        tooLong[14] = (byte) ((ProxyHeaderReader.MAX_V2_LENGTH + 1) >> 8);
        tooLong[15] = (byte) (ProxyHeaderReader.MAX_V2_LENGTH + 1);
        byte[] maxLength = v2(0x21, 0x11, new byte[0]);
        maxLength[14] = (byte) 0xFF;
        maxLength[15] = (byte) 0xFF;
        byte[] full = v2(0x21, 0x11, tcp4);
        return Stream.of(
                Arguments.of("signature", wrongSignature, "wrong signature"),
                Arguments.of("version 1 in v2 form", v2(0x11, 0x11, tcp4), "unknown version 1"),
                Arguments.of("version 3", v2(0x31, 0x11, tcp4), "unknown version 3"),
                Arguments.of("command 2", v2(0x22, 0x11, tcp4), "unknown command 2"),
                Arguments.of("command 15", v2(0x2F, 0x11, tcp4), "unknown command 15"),
                Arguments.of("UDP over IPv4", v2(0x21, 0x12, tcp4), "datagram"),
                Arguments.of("UDP over IPv6", v2(0x21, 0x22, new byte[36]), "datagram"),
                Arguments.of("unix datagram", v2(0x21, 0x32, new byte[216]), "datagram"),
                Arguments.of("family 4", v2(0x21, 0x41, tcp4), "unknown address family and transport 0x41"),
                Arguments.of("INET with UNSPEC transport", v2(0x21, 0x10, tcp4), "unknown address family and transport 0x10"),
                Arguments.of("stream 0x13", v2(0x21, 0x13, tcp4), "unknown address family and transport 0x13"),
                Arguments.of("IPv4 block too short", v2(0x21, 0x11, new byte[11]), "too short for IPv4"),
                Arguments.of("IPv6 block too short", v2(0x21, 0x21, new byte[35]), "too short for IPv6"),
                Arguments.of("IPv6 family with IPv4 block", v2(0x21, 0x21, tcp4), "too short for IPv6"),
                Arguments.of("unix block too short", v2(0x21, 0x31, new byte[215]), "too short for AF_UNIX"),
                Arguments.of("length over the limit", tooLong, "more than the 2048 taken"),
                Arguments.of("length 65535", maxLength, "more than the 2048 taken"),
                Arguments.of("ends in the signature", java.util.Arrays.copyOf(full, 8), "closed in the middle"),
                Arguments.of("ends in the length", java.util.Arrays.copyOf(full, 15), "closed in the middle"),
                Arguments.of("ends in the block", java.util.Arrays.copyOf(full, 20), "closed in the middle"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badV2")
    void badV2HeadersAreRefusedSayingWhy(String name, byte[] input, String reason) {
        assertThatThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(input), ProxyHeaderReader.ReadDeadline.NONE))
                .isInstanceOf(ProxyProtocolException.class).hasMessageContaining(reason);
    }

    // --- fuzz-like: anything in, a header or a refusal out, never more read than a header can hold

    @Test
    void randomAndMutatedInputGivesAHeaderOrARefusal() throws IOException {
        Random random = new Random(14);
        byte[][] seeds = {
            ascii("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21\r\n"),
            ascii("PROXY TCP6 2001:db8::7 2001:db8::1 0 65535\r\n"),
            ascii("PROXY UNKNOWN\r\n"),
            v2(0x21, 0x11, inet4Block("203.0.113.7", "192.0.2.1", 51234, 21, 0)),
            v2(0x21, 0x21, inet6Block("2001:db8::7", "2001:db8::1", 1, 2)),
            v2(0x20, 0x00, new byte[0]),
        };
        int headers = 0;
        int refusals = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 4 == 0) {
                input = new byte[random.nextInt(200)];
                random.nextBytes(input);
                if (input.length > 0 && random.nextBoolean()) {
                    input[0] = random.nextBoolean() ? (byte) 'P' : 0x0D;
                }
            } else {
                input = seeds[random.nextInt(seeds.length)].clone();
                for (int m = 1 + random.nextInt(3); m > 0 && input.length > 0; m--) {
                    int at = random.nextInt(input.length);
                    switch (random.nextInt(3)) {
                        case 0 -> input[at] = (byte) random.nextInt(256);
                        case 1 -> input[at] ^= (byte) (1 << random.nextInt(8));
                        default -> input = java.util.Arrays.copyOf(input, at);
                    }
                }
            }
            CountingInput in = new CountingInput(input);
            try {
                ProxyHeader h = ProxyHeaderReader.read(in, ProxyHeaderReader.ReadDeadline.NONE);
                assertThat(h.version()).isIn(1, 2);
                headers++;
            } catch (ProxyProtocolException e) {
                assertThat(e.getMessage()).isNotBlank();
                refusals++;
            }
            assertThat(in.consumed).isLessThanOrEqualTo(16 + ProxyHeaderReader.MAX_V2_LENGTH);
        }
        assertThat(headers).as("some mutations still are headers").isPositive();
        assertThat(refusals).isPositive();
    }

    // --- the deadline, over a real socket

    @Test
    void aStalledHeaderIsRefusedAtTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write(ascii("PROXY TCP4 203.0."));
            out.flush();
            accepted.setSoTimeout(12_345);
            long start = System.nanoTime();
            assertThatThrownBy(() -> ProxyHeaderReader.read(accepted, Duration.ofMillis(300)))
                    .isInstanceOf(ProxyProtocolException.class).hasMessageContaining("within 300 ms");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 10_000L);
            assertThat(accepted.getSoTimeout()).as("the socket's own timeout is restored").isEqualTo(12_345);
        }
    }

    @Test
    void aHeaderDrippingInByteByByteCannotStretchTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : ascii("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21\r\n")) {
                        client.getOutputStream().write(b);
                        client.getOutputStream().flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the reader gave up and the test closed the socket
                }
            });
            long start = System.nanoTime();
            // 44 bytes at 100 ms each would take 4.4 s; the whole header has 1 s
            assertThatThrownBy(() -> ProxyHeaderReader.read(accepted, Duration.ofSeconds(1)))
                    .isInstanceOf(ProxyProtocolException.class).hasMessageContaining("within 1000 ms");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000L);
            client.close();
            drip.join(5_000);
        }
    }

    /** Serves the given bytes, then {@code fill} forever if given; counts what was read. */
    private static final class CountingInput extends InputStream {
        private final byte[] data;
        private final byte[] prefix;
        private int position;
        int consumed;

        CountingInput(byte[] data, byte... endlessPrefix) {
            this.data = data;
            this.prefix = endlessPrefix;
        }

        @Override
        public int read() {
            int at = position++;
            if (prefix.length > 0) {
                consumed++;
                return at < prefix.length ? prefix[at] & 0xFF : '1';
            }
            if (at >= data.length) {
                return -1;
            }
            consumed++;
            return data[at] & 0xFF;
        }
    }
}
