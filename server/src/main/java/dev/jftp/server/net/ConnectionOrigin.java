package dev.jftp.server.net;

import java.net.InetSocketAddress;

/**
 * Where a connection really comes from: the client's address, used everywhere an address matters
 * (logs, per-address limits, the login throttle, the data-connection address checks), and the
 * proxy it came through, if any.
 *
 * @param client the client: the PROXY header's source, or the connection's peer when there is no
 *               header (a direct connection) or the header names no client (the proxy's own)
 * @param proxy  the proxy that relayed it (the connection's peer); null for a direct connection
 * @param kind   which of the three it is
 */
public record ConnectionOrigin(InetSocketAddress client, InetSocketAddress proxy, Kind kind) {
    public enum Kind {
        /** Not from a trusted proxy: no header was read; the peer is the client. */
        DIRECT,
        /** Relayed by a trusted proxy, whose header named the client. */
        RELAYED,
        /** Made by a trusted proxy itself (v2 LOCAL, such as a health check; v1 UNKNOWN; v2 UNSPEC or AF_UNIX). */
        PROXY_ITSELF
    }

    public static ConnectionOrigin direct(InetSocketAddress peer) {
        return new ConnectionOrigin(peer, null, Kind.DIRECT);
    }

    public static ConnectionOrigin relayed(InetSocketAddress client, InetSocketAddress proxy) {
        return new ConnectionOrigin(client, proxy, Kind.RELAYED);
    }

    public static ConnectionOrigin proxyItself(InetSocketAddress proxy) {
        return new ConnectionOrigin(proxy, proxy, Kind.PROXY_ITSELF);
    }

    /** For log lines: "203.0.113.7", "203.0.113.7 via 10.0.0.2", "10.0.0.2 (the proxy itself)". */
    public String describe() {
        String client = client().getAddress().getHostAddress();
        return switch (kind) {
            case DIRECT -> client;
            case RELAYED -> client + " via " + proxy.getAddress().getHostAddress();
            case PROXY_ITSELF -> client + " (the proxy itself)";
        };
    }
}
