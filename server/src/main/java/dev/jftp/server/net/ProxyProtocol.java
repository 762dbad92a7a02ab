package dev.jftp.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * {@code --proxy-protocol}: finds where each accepted connection really comes from.
 *
 * <p>A connection from a {@link TrustedProxies trusted proxy} must start with a PROXY protocol
 * header (v1 or v2), read here within {@code headerTimeout}; without a valid one it is refused
 * ({@link ProxyProtocolException}: the caller closes the connection and logs the message, one
 * line). A connection from anyone else is taken as a direct one, and no header is read from it: a
 * client cannot choose its address by sending one (a stray "PROXY ..." line is just an unknown
 * command to the protocol behind).
 */
public final class ProxyProtocol {
    /** HAProxy sends the header at once; a few seconds cover a loaded proxy. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);

    private final TrustedProxies trusted;
    private final Duration headerTimeout;

    public ProxyProtocol(TrustedProxies trusted, Duration headerTimeout) {
        this.trusted = trusted;
        this.headerTimeout = headerTimeout;
    }

    public TrustedProxies trusted() {
        return trusted;
    }

    /**
     * The origin of a just-accepted connection; reads the header when the peer is a trusted proxy.
     *
     * @throws ProxyProtocolException a trusted proxy sent no valid header in time; its message names
     *                                the proxy and what was wrong, ready for one log line
     */
    public ConnectionOrigin originOf(Socket socket) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (!trusted.contains(peer.getAddress())) {
            return ConnectionOrigin.direct(peer);
        }
        ProxyHeader header;
        try {
            header = ProxyHeaderReader.read(socket, headerTimeout);
        } catch (ProxyProtocolException e) {
            throw new ProxyProtocolException("refused a connection from trusted proxy " + peer.getAddress().getHostAddress() + ": "
                    + e.getMessage(), e.closedBeforeHeader());
        }
        return header.hasAddresses() ? ConnectionOrigin.relayed(header.source(), peer) : ConnectionOrigin.proxyItself(peer);
    }
}
