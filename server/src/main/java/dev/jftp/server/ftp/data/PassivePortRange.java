package dev.jftp.server.ftp.data;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.ThreadLocalRandom;

/** The ports passive listeners may use: any free port, or a range for firewalls (--passive-ports). */
public record PassivePortRange(int low, int high) {
    public static final PassivePortRange ANY = new PassivePortRange(0, 0);

    public PassivePortRange {
        if (!(low == 0 && high == 0) && (low < 1024 || high > 65535 || low > high)) {
            throw new IllegalArgumentException("passive ports must be a range within 1024-65535, e.g. 50000-50100");
        }
    }

    public static PassivePortRange parse(String text) {
        String[] parts = text.split("-", -1);
        try {
            if (parts.length == 2) {
                return new PassivePortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("expected LOW-HIGH, e.g. 50000-50100: " + text);
    }

    /**
     * Connections a passive listener's accept queue holds. Far more than the one a client needs, so
     * that strangers connecting to the port, dropped a few times a second (see PassiveDataChannel),
     * cannot fill it and keep the client's connection out: they would have to make this many
     * connections to every port in each tenth of a second. (A queue only costs memory while full.)
     */
    static final int BACKLOG = 64;

    /** How many random ports of the ephemeral range {@link #ANY} tries before leaving the choice to the kernel. */
    static final int RANDOM_ATTEMPTS = 32;

    /**
     * Binds a listener on a free port of the range, starting at a random one. For {@link #ANY} it
     * tries random ports of the kernel's ephemeral range first, as vsftpd does: asking the kernel for
     * port 0 makes it search the range for a port without conflicts, and with the thousands of
     * TIME_WAIT entries that closed data connections leave behind (the server closes first on every
     * download) that search cost about 300 microseconds a PASV on Linux 6, against about 25 for
     * one port named outright.
     */
    ServerSocketChannel bind(InetAddress address) throws IOException {
        if (low == 0) {
            int[] ephemeral = EphemeralPorts.RANGE;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < RANDOM_ATTEMPTS; i++) {
                try {
                    return open(address, random.nextInt(ephemeral[0], ephemeral[1] + 1));
                } catch (BindException busy) {
                    // taken (a listener, or an outgoing connection's local port): try another
                }
            }
            return open(address, 0);
        }
        int size = high - low + 1;
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            try {
                return open(address, low + (start + i) % size);
            } catch (BindException busy) {
                // try the next port
            }
        }
        throw new BindException("all passive ports " + low + "-" + high + " are in use");
    }

    /** The kernel's ephemeral port range (ip_local_port_range), or Linux's default where it can't be read. */
    static final class EphemeralPorts {
        static final int[] RANGE = read();

        private static int[] read() {
            int[] range = NetSettings.ipv4("ip_local_port_range");
            if (range.length == 2 && range[0] >= 1024 && range[1] <= 65535 && range[0] < range[1]) {
                return range;
            }
            // not Linux, or not readable: Linux's default range
            return new int[] {32768, 60999};
        }
    }

    /**
     * An IPv4 address gets an IPv4 socket: the JDK's default, a dual-stack IPv6 socket, costs a
     * setsockopt (IPV6_V6ONLY off) on every PASV.
     */
    private static ServerSocketChannel open(InetAddress address, int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(
                address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            channel.bind(new InetSocketAddress(address, port), BACKLOG);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }
}
