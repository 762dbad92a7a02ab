package dev.jftp.server.transfer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PASV/EPSV: a listening socket waiting for the client's data connection. Only a connection from
 * the client's own address (the control connection's peer) is accepted; a stranger racing for the
 * port is turned away and the wait goes on (RFC 2577 section 5, "port stealing").
 */
public final class PassiveDataChannel implements DataChannel {
    private static final Logger log = LoggerFactory.getLogger(PassiveDataChannel.class);

    private final ServerSocketChannel listener;
    private final InetAddress expectedPeer;
    /** The client's connection once {@link #acceptIfWaiting} took it, until {@link #open} hands it out. */
    private DataConnection accepted;

    private PassiveDataChannel(ServerSocketChannel listener, InetAddress expectedPeer) {
        this.listener = listener;
        this.expectedPeer = expectedPeer;
    }

    /**
     * Listens on {@code bindAddress} on a port from {@code ports}. The listener starts in
     * non-blocking mode: most clients connect before they send RETR, and then the connection is
     * taken without a wait (and without switching modes, two system calls each way).
     */
    public static PassiveDataChannel listen(InetAddress bindAddress, PassivePortRange ports, InetAddress expectedPeer) throws IOException {
        ServerSocketChannel listener = ports.bind(bindAddress);
        try {
            listener.configureBlocking(false);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        return new PassiveDataChannel(listener, expectedPeer);
    }

    public int port() {
        return listener.socket().getLocalPort();
    }

    /**
     * The client's data connection if it has already been made, else null; never waits. A later
     * {@link #open} returns the same connection.
     */
    public DataConnection acceptIfWaiting() throws IOException {
        if (accepted != null || !listener.isOpen() || listener.isBlocking()) {
            return accepted;
        }
        SocketChannel channel;
        while ((channel = listener.accept()) != null) { // an accepted channel is in blocking mode
            if (fromExpectedPeer(channel)) {
                accepted = new DataConnection(channel);
                listener.close();
                return accepted;
            }
        }
        return null;
    }

    @Override
    public DataConnection open(Duration timeout) throws IOException {
        if (acceptIfWaiting() != null) {
            DataConnection connection = accepted;
            accepted = null;
            return connection;
        }
        listener.configureBlocking(true); // for the timed wait below
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new SocketTimeoutException("no data connection within " + timeout.toSeconds() + " s");
            }
            listener.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
            Socket socket = listener.socket().accept();
            SocketChannel channel = socket.getChannel();
            if (fromExpectedPeer(channel)) {
                close();
                return new DataConnection(channel);
            }
        }
    }

    /** True for a connection from the client; any other is closed (port stealing, see above). */
    private boolean fromExpectedPeer(SocketChannel channel) throws IOException {
        InetAddress peer = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
        if (sameHost(peer, expectedPeer)) {
            return true;
        }
        log.warn("refused data connection from {}: the control connection is from {}", peer.getHostAddress(), expectedPeer.getHostAddress());
        channel.close();
        return false;
    }

    static boolean sameHost(InetAddress a, InetAddress b) {
        return a.equals(b) || java.util.Arrays.equals(v4(a), v4(b));
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address, so ::ffff:1.2.3.4 equals 1.2.3.4. */
    private static byte[] v4(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (b[i] != 0) {
                    return b;
                }
            }
            if (b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                return java.util.Arrays.copyOfRange(b, 12, 16);
            }
        }
        return b;
    }

    @Override
    public void close() {
        try {
            listener.close();
            if (accepted != null) {
                accepted.close(); // taken from the client but never used
                accepted = null;
            }
        } catch (IOException e) {
            log.debug("closing passive listener: {}", e.toString());
        }
    }
}
