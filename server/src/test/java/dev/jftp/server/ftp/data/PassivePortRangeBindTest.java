package dev.jftp.server.ftp.data;

import static org.assertj.core.api.Assertions.assertThat;

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
}
