package dev.jftp.server.ftp;

import dev.jftp.server.ftp.data.PassivePortRange;
import dev.jftp.server.ftp.session.FtpSessionConfig;
import dev.jftp.server.net.ProxyProtocol;
import dev.jftp.server.tls.TlsConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The settings of one FTP listener: where it listens, how long a stop waits, and what its sessions
 * run with (timeouts, passive data connections, FTPS). Accounts, storage and limits are not here:
 * they are the node's services, shared with every other protocol.
 *
 * @param bindAddress   address to listen on
 * @param port          port to listen on; 0 takes a free one
 * @param shutdownGrace how long running transfers may go on after a stop was asked for
 * @param sessions      what each session runs with; its TLS settings also name the implicit FTPS port
 * @param proxyProtocol {@code --proxy-protocol}: who may send a PROXY header, whose client address
 *                      then stands for the connection's; null (the default) reads no header
 */
public record FtpListenerConfig(InetAddress bindAddress, int port, Duration shutdownGrace, FtpSessionConfig sessions,
        ProxyProtocol proxyProtocol) {
    public static final int DEFAULT_PORT = 2121;

    /** Loopback, port 2121, 10 s of grace, the sessions' defaults. */
    public static FtpListenerConfig defaults() {
        return new FtpListenerConfig(InetAddress.getLoopbackAddress(), DEFAULT_PORT, Duration.ofSeconds(10), FtpSessionConfig.defaults(), null);
    }

    public FtpListenerConfig withBindAddress(InetAddress address) {
        return new FtpListenerConfig(address, port, shutdownGrace, sessions, proxyProtocol);
    }

    public FtpListenerConfig withPort(int newPort) {
        return new FtpListenerConfig(bindAddress, newPort, shutdownGrace, sessions, proxyProtocol);
    }

    public FtpListenerConfig withShutdownGrace(Duration grace) {
        return new FtpListenerConfig(bindAddress, port, grace, sessions, proxyProtocol);
    }

    public FtpListenerConfig withSessions(UnaryOperator<FtpSessionConfig> change) {
        return new FtpListenerConfig(bindAddress, port, shutdownGrace, change.apply(sessions), proxyProtocol);
    }

    /** Connections from {@code proxyProtocol}'s trusted proxies start with a PROXY header; null for none. */
    public FtpListenerConfig withProxyProtocol(ProxyProtocol newProxyProtocol) {
        return new FtpListenerConfig(bindAddress, port, shutdownGrace, sessions, newProxyProtocol);
    }

    public FtpListenerConfig withTimeouts(Duration idle, Duration data) {
        return withSessions(s -> s.withTimeouts(idle, data));
    }

    public FtpListenerConfig withPassive(PassivePortRange ports, InetAddress address) {
        return withSessions(s -> s.withPassive(ports, address));
    }

    public FtpListenerConfig withTls(TlsConfig tls) {
        return withSessions(s -> s.withTls(tls));
    }
}
