package dev.jftp.server.ftp.data;

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
 * port is turned away, with one log line, and the wait goes on until the transfer's deadline (RFC
 * 2577 section 5, "port stealing").
 *
 * <p>Strangers are turned away as they come, not only when the transfer command arrives: until
 * then the server's watchdog sweeps the listener ({@link PassiveListeners}), and the listener's
 * accept queue holds {@link PassivePortRange#BACKLOG} connections. With a queue of one and no
 * sweep, two connections held on every port of the range kept a client that connects a moment after
 * PASV out for good (its SYNs found the queue full).
 *
 * <p>The session and the watchdog take connections from the listener under this object's lock; the
 * blocking wait in {@link #open} holds no lock, so that ABOR's {@link #close} never waits for it.
 */
public final class PassiveDataChannel implements DataChannel {
    private static final Logger log = LoggerFactory.getLogger(PassiveDataChannel.class);

    private final ServerSocketChannel listener;
    private final InetAddress expectedPeer;
    private final PassiveListeners sweeps;
    /** The client's connection once taken from the listener, until {@link #open} hands it out; guarded by this. */
    private DataConnection accepted;

    private PassiveDataChannel(ServerSocketChannel listener, InetAddress expectedPeer, PassiveListeners sweeps) {
        this.listener = listener;
        this.expectedPeer = expectedPeer;
        this.sweeps = sweeps;
    }

    /**
     * Listens on {@code bindAddress} on a port from {@code ports}. The listener starts in
     * non-blocking mode: most clients connect before they send RETR, and then the connection is
     * taken without a wait (and without switching modes, two system calls each way). Until the
     * transfer command, {@code sweeps} has it swept for strangers.
     */
    public static PassiveDataChannel listen(InetAddress bindAddress, PassivePortRange ports, InetAddress expectedPeer,
            PassiveListeners sweeps) throws IOException {
        ServerSocketChannel listener = ports.bind(bindAddress);
        try {
            listener.configureBlocking(false);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        PassiveDataChannel channel = new PassiveDataChannel(listener, expectedPeer, sweeps);
        sweeps.add(channel);
        return channel;
    }

    public int port() {
        return listener.socket().getLocalPort();
    }

    /**
     * The client's data connection if it has already been made, else null; never waits. A later
     * {@link #open} returns the same connection.
     */
    public synchronized DataConnection acceptIfWaiting() throws IOException {
        if (accepted != null || !listener.isOpen() || listener.isBlocking()) {
            return accepted;
        }
        SocketChannel channel;
        int strangers = 0;
        InetAddress stranger = null;
        try {
            while ((channel = listener.accept()) != null) { // an accepted channel is in blocking mode
                InetAddress peer = peer(channel);
                if (sameHost(peer, expectedPeer)) {
                    accepted = new DataConnection(channel);
                    listener.close();
                    sweeps.remove(this);
                    return accepted;
                }
                channel.close();
                strangers++;
                stranger = peer;
            }
            return null;
        } finally {
            if (strangers > 0) { // one line for what one look found, however many there were
                log.warn("refused {} data connection(s) from {}{}: the control connection is from {}", strangers,
                        stranger.getHostAddress(), strangers > 1 ? " (the last of them)" : "", expectedPeer.getHostAddress());
            }
        }
    }

    /** Called by the server's watchdog until the transfer command comes: drops strangers, keeps the client. */
    void sweep() {
        try {
            acceptIfWaiting();
        } catch (IOException e) {
            log.debug("sweeping passive listener: {}", e.toString());
        }
    }

    @Override
    public DataConnection open(Duration timeout) throws IOException {
        sweeps.remove(this); // from here on the wait below turns strangers away
        synchronized (this) {
            if (acceptIfWaiting() != null) {
                DataConnection connection = accepted;
                accepted = null;
                return connection;
            }
            listener.configureBlocking(true); // for the timed wait below, which holds no lock
        }
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
        InetAddress peer = peer(channel);
        if (sameHost(peer, expectedPeer)) {
            return true;
        }
        log.warn("refused data connection from {}: the control connection is from {}", peer.getHostAddress(), expectedPeer.getHostAddress());
        channel.close();
        return false;
    }

    private static InetAddress peer(SocketChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
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
        sweeps.remove(this);
        try {
            listener.close(); // ends a blocking wait in open() at once
        } catch (IOException e) {
            log.debug("closing passive listener: {}", e.toString());
        }
        synchronized (this) {
            if (accepted != null) {
                try {
                    accepted.close(); // taken from the client but never used
                } catch (IOException e) {
                    log.debug("closing unused data connection: {}", e.toString());
                }
                accepted = null;
            }
        }
    }
}
