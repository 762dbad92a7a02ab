package dev.jftp.server.ftp.data;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
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
        // One socket for every attempt, as Pure-FTPd does: a failed bind(2) leaves it unbound, and a
        // new socket per busy port cost a socket(2) and a close(2) more each: 9 against 3
        // microseconds of CPU per busy port. (Busy ports are rare on the listeners' parity, see
        // EphemeralPorts.randomListenerPort; a configured range has no such choice.)
        Attempts attempts = new Attempts(address);
        try {
            if (low == 0) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < RANDOM_ATTEMPTS; i++) {
                    if (attempts.tryPort(EphemeralPorts.randomListenerPort(random))) {
                        return attempts.channel;
                    }
                }
                attempts.channel.bind(new InetSocketAddress(address, 0), BACKLOG);
                return attempts.channel;
            }
            int size = high - low + 1;
            int start = ThreadLocalRandom.current().nextInt(size);
            for (int i = 0; i < size; i++) {
                if (attempts.tryPort(low + (start + i) % size)) {
                    return attempts.channel;
                }
            }
        } catch (IOException | RuntimeException e) {
            attempts.channel.close();
            throw e;
        }
        attempts.channel.close();
        throw new BindException("all passive ports " + low + "-" + high + " are in use");
    }

    /** The socket that {@link #bind} tries port after port with. */
    private static final class Attempts {
        private final InetAddress address;
        ServerSocketChannel channel;

        Attempts(InetAddress address) throws IOException {
            this.address = address;
            this.channel = open(address);
        }

        /** Binds and listens on {@code port}; false if it is taken (a listener, or a connection's local port). */
        boolean tryPort(int port) throws IOException {
            for (boolean fresh = false; ; fresh = true) {
                try {
                    channel.bind(new InetSocketAddress(address, port), BACKLOG);
                    return true;
                } catch (BindException busy) {
                    return false;
                } catch (SocketException e) {
                    // EINVAL, already bound: an earlier attempt's bind(2) took its port and listen(2)
                    // then found it taken (another listener bound it at the same moment), which
                    // leaves the socket bound for good. This port again, on a new socket.
                    if (fresh) {
                        throw e;
                    }
                    channel.close();
                    channel = open(address);
                }
            }
        }
    }

    /**
     * An IPv4 address gets an IPv4 socket: the JDK's default, a dual-stack IPv6 socket, costs a
     * setsockopt (IPV6_V6ONLY off) on every PASV.
     */
    private static ServerSocketChannel open(InetAddress address) throws IOException {
        return ServerSocketChannel.open(address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    }

    /** The kernel's ephemeral port range (ip_local_port_range), or Linux's default where it can't be read. */
    static final class EphemeralPorts {
        static final int[] RANGE = read();

        /**
         * A random port of the range whose parity is not the range's low end's. Linux (since 4.6,
         * net/ipv4/inet_hashtables.c, __inet_hash_connect) gives connect(2) ports of the low end's
         * parity first and bind(2) to port 0 the others, so that this host's own outgoing
         * connections and their TIME_WAIT entries stay off the ports listeners take. A client on
         * the same host (the benchmark, a proxy) closes an upload's data connection first and
         * leaves its port in TIME_WAIT: with ports of any parity about one random PASV port in two
         * was such a port and busy; on the other parity next to none is.
         */
        static int randomListenerPort(ThreadLocalRandom random) {
            int first = RANGE[0] + 1;
            return first + 2 * random.nextInt((RANGE[1] - first) / 2 + 1);
        }

        private static int[] read() {
            int[] range = NetSettings.ipv4("ip_local_port_range");
            if (range.length == 2 && range[0] >= 1024 && range[1] <= 65535 && range[0] < range[1]) {
                return range;
            }
            // not Linux, or not readable: Linux's default range
            return new int[] {32768, 60999};
        }
    }

}
