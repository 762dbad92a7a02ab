package dev.jftp.server.net;

import java.net.InetSocketAddress;

/**
 * What a PROXY protocol header said (HAProxy's PROXY protocol, versions 1 and 2).
 *
 * @param version     1 (text) or 2 (binary)
 * @param command     {@link Command#PROXY} for a relayed connection, {@link Command#LOCAL} for one
 *                    the proxy made itself (version 2 only: a health check)
 * @param source      the client's address and port as the proxy saw them; null when the header
 *                    carries none (LOCAL, v1 {@code UNKNOWN}, v2 {@code UNSPEC} or {@code AF_UNIX})
 * @param destination the address and port the client connected to, on the proxy; null as above
 */
public record ProxyHeader(int version, Command command, InetSocketAddress source, InetSocketAddress destination) {
    public enum Command { PROXY, LOCAL }

    public ProxyHeader {
        if ((source == null) != (destination == null)) {
            throw new IllegalArgumentException("source and destination come together");
        }
    }

    /** True when the header names the client (a relayed TCP connection over IPv4 or IPv6). */
    public boolean hasAddresses() {
        return source != null;
    }
}
