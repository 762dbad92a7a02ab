package dev.jftp.server.net;

import dev.jftp.protocol.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Reads the PROXY protocol header that a proxy such as HAProxy sends first on a relayed
 * connection, in either version (haproxy.org/download/2.6/doc/proxy-protocol.txt): version 1, one
 * text line of at most 107 bytes, and version 2, a binary block (section 2.2) whose length is
 * bounded here by {@link #MAX_V2_LENGTH}.
 *
 * <p>It reads exactly the header and not one byte more (whatever follows belongs to the protocol
 * behind: a client may send before the server speaks, as SSH clients do), within a deadline for
 * the whole header, so a proxy that stalls cannot hold the connection open.
 */
public final class ProxyHeaderReader {
    /** Section 2.1: "PROXY TCP6 " + two longest IPv6 addresses + two ports + CRLF. */
    public static final int MAX_V1_LENGTH = 107;
    /**
     * The largest v2 address-and-TLV block taken (the 16-byte header not counted). Addresses need at
     * most 216 bytes (AF_UNIX); the rest is room for TLVs such as ALPN, authority or a unique ID.
     */
    public static final int MAX_V2_LENGTH = 2048;

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaderReader() {
    }

    /**
     * Reads the header from {@code socket} within {@code limit}; restores the socket's read timeout.
     *
     * @throws ProxyProtocolException when the connection does not start with a valid header, ends
     *                                before one is complete, or takes longer than {@code limit}
     */
    public static ProxyHeader read(Socket socket, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        int previousTimeout = socket.getSoTimeout();
        try {
            return read(socket.getInputStream(), () -> {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
            });
        } catch (SocketTimeoutException e) {
            throw new ProxyProtocolException("no complete PROXY protocol header within " + limit.toMillis() + " ms");
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previousTimeout);
            }
        }
    }

    /** Called before each read: sets the time left for it, or throws {@link SocketTimeoutException}. */
    @FunctionalInterface
    interface ReadDeadline {
        ReadDeadline NONE = () -> {
        };

        void beforeRead() throws IOException;
    }

    /** Reads the header from {@code in}, calling {@code deadline} before each read. */
    static ProxyHeader read(InputStream in, ReadDeadline deadline) throws IOException {
        Input input = new Input(in, deadline);
        int first = input.next();
        if (first == V1_PREFIX[0]) {
            input.expect(V1_PREFIX, 1, "version 1 header does not start with \"PROXY \"");
            return parseV1(input.line());
        }
        if (first == V2_SIGNATURE[0]) {
            input.expect(V2_SIGNATURE, 1, "version 2 header has a wrong signature");
            return parseV2(input);
        }
        throw new ProxyProtocolException("the connection does not start with a PROXY protocol header");
    }

    /** Section 2.1; {@code line} is what follows "PROXY ", without the CRLF. */
    private static ProxyHeader parseV1(String line) throws ProxyProtocolException {
        if (line.equals("UNKNOWN") || line.startsWith("UNKNOWN ")) {
            // "the receiver must ignore anything presented before the CRLF is found"
            return new ProxyHeader(1, ProxyHeader.Command.PROXY, null, null);
        }
        String[] fields = line.split(" ", -1);
        if (fields.length != 5) {
            throw new ProxyProtocolException("version 1 header: expected PROXY TCP4|TCP6|UNKNOWN SOURCE DESTINATION SPORT DPORT");
        }
        boolean ipv6;
        switch (fields[0]) {
            case "TCP4" -> ipv6 = false;
            case "TCP6" -> ipv6 = true;
            default -> throw new ProxyProtocolException("version 1 header: unknown protocol (TCP4, TCP6 or UNKNOWN expected)");
        }
        InetAddress source = v1Address(fields[1], ipv6);
        InetAddress destination = v1Address(fields[2], ipv6);
        return new ProxyHeader(1, ProxyHeader.Command.PROXY,
                new InetSocketAddress(source, v1Port(fields[3])), new InetSocketAddress(destination, v1Port(fields[4])));
    }

    private static InetAddress v1Address(String text, boolean ipv6) throws ProxyProtocolException {
        try {
            if (ipv6) {
                return HostPort.parseIpv6Literal(text);
            }
            if (text.length() > 15) {
                throw new IllegalArgumentException("too long");
            }
            return HostPort.parseIpv4Literal(text);
        } catch (IllegalArgumentException e) {
            throw new ProxyProtocolException("version 1 header: bad " + (ipv6 ? "IPv6" : "IPv4") + " address");
        }
    }

    /** 0-65535 in decimal, no sign, no leading zero. */
    private static int v1Port(String text) throws ProxyProtocolException {
        boolean digits = !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (text.length() > 1 && text.charAt(0) == '0') || Integer.parseInt(text) > 65535) {
            throw new ProxyProtocolException("version 1 header: bad port");
        }
        return Integer.parseInt(text);
    }

    /** Section 2.2, after the 12-byte signature. */
    private static ProxyHeader parseV2(Input input) throws IOException {
        int versionAndCommand = input.next();
        int familyAndTransport = input.next();
        int length = (input.next() << 8) | input.next();
        if ((versionAndCommand >> 4) != 2) {
            throw new ProxyProtocolException("version 2 header: unknown version " + (versionAndCommand >> 4));
        }
        int command = versionAndCommand & 0x0F;
        if (command > 1) {
            throw new ProxyProtocolException("version 2 header: unknown command " + command);
        }
        if (length > MAX_V2_LENGTH) {
            throw new ProxyProtocolException("version 2 header: " + length + " bytes of addresses and TLVs, more than the "
                    + MAX_V2_LENGTH + " taken");
        }
        byte[] block = input.bytes(length);
        if (command == 0) {
            // LOCAL: the proxy's own connection (a health check); "the receiver must ... use the
            // real connection endpoints and discard the protocol block including the family"
            return new ProxyHeader(2, ProxyHeader.Command.LOCAL, null, null);
        }
        return switch (familyAndTransport) {
            // UNSPEC, or AF_UNIX stream: no IP address to take; the real endpoints stand
            case 0x00, 0x31 -> {
                if (familyAndTransport == 0x31 && length < 216) {
                    throw new ProxyProtocolException("version 2 header: " + length + " bytes, too short for AF_UNIX addresses");
                }
                yield new ProxyHeader(2, ProxyHeader.Command.PROXY, null, null);
            }
            case 0x11 -> v2Addresses(block, 4);
            case 0x21 -> v2Addresses(block, 16);
            case 0x12, 0x22, 0x32 -> throw new ProxyProtocolException("version 2 header: a datagram (UDP) connection, on a TCP listener");
            default -> throw new ProxyProtocolException(String.format("version 2 header: unknown address family and transport 0x%02x",
                    familyAndTransport));
        };
    }

    private static ProxyHeader v2Addresses(byte[] block, int addressBytes) throws ProxyProtocolException {
        if (block.length < 2 * addressBytes + 4) {
            throw new ProxyProtocolException("version 2 header: " + block.length + " bytes, too short for "
                    + (addressBytes == 4 ? "IPv4" : "IPv6") + " addresses");
        }
        InetAddress source = address(Arrays.copyOfRange(block, 0, addressBytes));
        InetAddress destination = address(Arrays.copyOfRange(block, addressBytes, 2 * addressBytes));
        int sourcePort = ((block[2 * addressBytes] & 0xFF) << 8) | (block[2 * addressBytes + 1] & 0xFF);
        int destinationPort = ((block[2 * addressBytes + 2] & 0xFF) << 8) | (block[2 * addressBytes + 3] & 0xFF);
        // What follows the addresses (TLVs: ALPN, authority, CRC32C, unique ID, SSL) is not used.
        return new ProxyHeader(2, ProxyHeader.Command.PROXY, new InetSocketAddress(source, sourcePort),
                new InetSocketAddress(destination, destinationPort));
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /** The connection's first bytes, read one read at a time with the deadline before each. */
    private static final class Input {
        private final InputStream in;
        private final ReadDeadline deadline;
        private int count;

        Input(InputStream in, ReadDeadline deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        int next() throws IOException {
            deadline.beforeRead();
            int b = in.read();
            if (b < 0) {
                throw count == 0
                        ? new ProxyProtocolException("the connection closed before sending a PROXY protocol header", true)
                        : new ProxyProtocolException("the connection closed in the middle of the PROXY protocol header");
            }
            count++;
            return b;
        }

        void expect(byte[] expected, int from, String otherwise) throws IOException {
            for (int i = from; i < expected.length; i++) {
                if (next() != (expected[i] & 0xFF)) {
                    throw new ProxyProtocolException(otherwise);
                }
            }
        }

        /** The rest of a v1 line up to CRLF: printable US-ASCII only, the whole line at most 107 bytes. */
        String line() throws IOException {
            StringBuilder line = new StringBuilder(MAX_V1_LENGTH);
            while (true) {
                int b = next();
                if (b == '\r') {
                    if (next() != '\n') {
                        throw new ProxyProtocolException("version 1 header: CR not followed by LF");
                    }
                    return line.toString();
                }
                if (b < 0x20 || b > 0x7E) {
                    throw new ProxyProtocolException("version 1 header: a byte that is not printable US-ASCII before CRLF");
                }
                if (count + 2 > MAX_V1_LENGTH) { // the CRLF still has to fit
                    throw new ProxyProtocolException("version 1 header: no CRLF within " + MAX_V1_LENGTH + " bytes");
                }
                line.append((char) b);
            }
        }

        byte[] bytes(int length) throws IOException {
            byte[] block = new byte[length];
            int done = 0;
            while (done < length) {
                deadline.beforeRead();
                int n = in.read(block, done, length - done);
                if (n < 0) {
                    throw new ProxyProtocolException("the connection closed in the middle of the PROXY protocol header");
                }
                done += n;
                count += n;
            }
            return block;
        }
    }
}
