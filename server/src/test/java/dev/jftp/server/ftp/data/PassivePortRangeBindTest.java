package dev.jftp.server.ftp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Passive listeners for "any port" take random ports of the ephemeral range, each a working listener. */
@Timeout(30)
class PassivePortRangeBindTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void anyPortListenersAreDistinctPortsOfTheEphemeralRangeAndAcceptConnections() throws Exception {
        int[] range = PassivePortRange.EphemeralPorts.RANGE;
        List<ServerSocketChannel> open = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        try {
            for (int i = 0; i < 50; i++) {
                ServerSocketChannel listener = PassivePortRange.ANY.bind(LOOPBACK);
                open.add(listener);
                int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                assertThat(port).isBetween(range[0], range[1]);
                ports.add(port);
            }
            assertThat(ports).hasSize(50); // all open at once, so necessarily distinct
            ServerSocketChannel last = open.get(open.size() - 1);
            try (SocketChannel client = SocketChannel.open(last.getLocalAddress()); SocketChannel accepted = last.accept()) {
                assertThat(accepted.getRemoteAddress()).isEqualTo(client.getLocalAddress());
            }
        } finally {
            for (ServerSocketChannel c : open) {
                c.close();
            }
        }
    }

    /**
     * Linux gives this host's outgoing connections ports of the ephemeral range's low end's parity
     * first; listeners for "any port" take the other parity, so that the TIME_WAIT entries a client
     * on this host leaves (it closes an upload's data connection first) do not make PASV ports busy.
     */
    @Test
    void anyPortListenersKeepOffTheParityOfThisHostsOwnConnections() throws Exception {
        int[] range = PassivePortRange.EphemeralPorts.RANGE;
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            for (int i = 0; i < 20; i++) {
                try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); SocketChannel accepted = server.accept()) {
                    assertThat(port(client) % 2).as("an outgoing connection's port").isEqualTo(range[0] % 2);
                }
            }
        }
        for (int i = 0; i < 50; i++) {
            try (ServerSocketChannel listener = PassivePortRange.ANY.bind(LOOPBACK)) {
                int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                assertThat(port).isBetween(range[0], range[1]);
                assertThat(port % 2).as("a passive listener's port").isNotEqualTo(range[0] % 2);
            }
        }
    }

    private static int port(SocketChannel channel) throws java.io.IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Test
    void anExplicitRangeIsKept() throws Exception {
        PassivePortRange range;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(LOOPBACK, 0));
            int free = ((InetSocketAddress) probe.getLocalAddress()).getPort();
            range = new PassivePortRange(Math.max(1024, free - 5), Math.min(65535, free + 5));
        }
        try (ServerSocketChannel listener = range.bind(LOOPBACK)) {
            assertThat(((InetSocketAddress) listener.getLocalAddress()).getPort()).isBetween(range.low(), range.high());
        }
    }

    /** Every busy port is tried on the same socket (see bind): the one free port is found all the same. */
    @Test
    void busyPortsOfARangeAreSkippedUntilTheFreeOne() throws Exception {
        List<ServerSocketChannel> taken = new ArrayList<>();
        try {
            ServerSocketChannel first = ServerSocketChannel.open();
            first.bind(new InetSocketAddress(LOOPBACK, 0));
            taken.add(first);
            int base = ((InetSocketAddress) first.getLocalAddress()).getPort();
            PassivePortRange range = new PassivePortRange(Math.max(1024, base - 10), Math.min(65535, base + 10));
            ServerSocketChannel released = null;
            for (int port = range.low(); port <= range.high(); port++) {
                if (port == base) {
                    continue;
                }
                ServerSocketChannel other = ServerSocketChannel.open();
                try {
                    other.bind(new InetSocketAddress(LOOPBACK, port));
                    taken.add(other);
                    if (released == null) {
                        released = other;
                    }
                } catch (java.net.BindException busyAlready) {
                    other.close(); // someone else's: busy all the same
                }
            }
            assertThat(released).as("a port of the range to free").isNotNull();
            int free = ((InetSocketAddress) released.getLocalAddress()).getPort();
            released.close(); // a listener that never had a connection leaves nothing behind
            taken.remove(released);

            try (ServerSocketChannel listener = range.bind(LOOPBACK)) {
                assertThat(((InetSocketAddress) listener.getLocalAddress()).getPort()).isEqualTo(free);
                try (SocketChannel client = SocketChannel.open(listener.getLocalAddress()); SocketChannel accepted = listener.accept()) {
                    assertThat(accepted.getRemoteAddress()).isEqualTo(client.getLocalAddress());
                }
                // now every port of the range is busy
                assertThatThrownBy(() -> range.bind(LOOPBACK)).isInstanceOf(java.net.BindException.class)
                        .hasMessageContaining("are in use");
            }
        } finally {
            for (ServerSocketChannel c : taken) {
                c.close();
            }
        }
    }
}
