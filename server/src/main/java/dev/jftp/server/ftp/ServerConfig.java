package dev.jftp.server.ftp;

import dev.jftp.server.accounts.Account;
import dev.jftp.server.ftp.data.PassivePortRange;
import dev.jftp.server.limits.ConnectionLimiter;
import dev.jftp.server.tls.TlsConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a server instance is started with.
 *
 * @param bindAddress       address to listen on
 * @param port              port to listen on; 0 takes a free one
 * @param root              the server root: anonymous users' home, and the base of relative homes
 * @param accounts          accounts by name
 * @param anonymous         whether "anonymous"/"ftp" may log in (read-only, jailed in the root)
 * @param passivePorts      ports for passive listeners
 * @param passiveAddress    address announced in 227 replies; null for the control connection's local address
 * @param maxSessions       sessions at once, in total
 * @param maxSessionsPerAddress sessions at once from one client address;
 *                          {@link ConnectionLimiter#NO_LIMIT_PER_ADDRESS} (the default) for no limit
 *                          but maxSessions
 * @param idleTimeout       a session that sends nothing this long is closed (421)
 * @param dataTimeout       how long to wait for a data connection
 * @param loginFailureDelay first delay after a wrong password (it doubles with each failure)
 * @param shutdownGrace     how long running transfers may go on after a stop was asked for
 * @param tls               FTPS: certificate, whether TLS is required, implicit TLS port
 */
public record ServerConfig(
        InetAddress bindAddress,
        int port,
        Path root,
        Map<String, Account> accounts,
        boolean anonymous,
        PassivePortRange passivePorts,
        InetAddress passiveAddress,
        int maxSessions,
        int maxSessionsPerAddress,
        Duration idleTimeout,
        Duration dataTimeout,
        Duration loginFailureDelay,
        Duration shutdownGrace,
        TlsConfig tls) {

    public static final int DEFAULT_PORT = 2121;

    /** A configuration with the defaults for everything but the root and accounts. */
    public static ServerConfig defaults(Path root, Map<String, Account> accounts) {
        return new ServerConfig(InetAddress.getLoopbackAddress(), DEFAULT_PORT, root, accounts, false,
                PassivePortRange.ANY, null, 2000, ConnectionLimiter.NO_LIMIT_PER_ADDRESS, Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofMillis(250), Duration.ofSeconds(10), TlsConfig.NONE);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bindAddress, newPort, root, accounts, anonymous, passivePorts, passiveAddress,
                maxSessions, maxSessionsPerAddress, idleTimeout, dataTimeout, loginFailureDelay, shutdownGrace, tls);
    }

    public ServerConfig withBindAddress(InetAddress address) {
        return new ServerConfig(address, port, root, accounts, anonymous, passivePorts, passiveAddress,
                maxSessions, maxSessionsPerAddress, idleTimeout, dataTimeout, loginFailureDelay, shutdownGrace, tls);
    }

    public ServerConfig withAnonymous(boolean on) {
        return new ServerConfig(bindAddress, port, root, accounts, on, passivePorts, passiveAddress,
                maxSessions, maxSessionsPerAddress, idleTimeout, dataTimeout, loginFailureDelay, shutdownGrace, tls);
    }

    public ServerConfig withLimits(int sessions, int perAddress) {
        return new ServerConfig(bindAddress, port, root, accounts, anonymous, passivePorts, passiveAddress,
                sessions, perAddress, idleTimeout, dataTimeout, loginFailureDelay, shutdownGrace, tls);
    }

    public ServerConfig withTimeouts(Duration idle, Duration data) {
        return new ServerConfig(bindAddress, port, root, accounts, anonymous, passivePorts, passiveAddress,
                maxSessions, maxSessionsPerAddress, idle, data, loginFailureDelay, shutdownGrace, tls);
    }

    public ServerConfig withLoginFailureDelay(Duration delay) {
        return new ServerConfig(bindAddress, port, root, accounts, anonymous, passivePorts, passiveAddress,
                maxSessions, maxSessionsPerAddress, idleTimeout, dataTimeout, delay, shutdownGrace, tls);
    }

    public ServerConfig withPassive(PassivePortRange ports, InetAddress address) {
        return new ServerConfig(bindAddress, port, root, accounts, anonymous, ports, address,
                maxSessions, maxSessionsPerAddress, idleTimeout, dataTimeout, loginFailureDelay, shutdownGrace, tls);
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(bindAddress, port, root, accounts, anonymous, passivePorts, passiveAddress,
                maxSessions, maxSessionsPerAddress, idleTimeout, dataTimeout, loginFailureDelay, grace, tls);
    }

    public ServerConfig withTls(TlsConfig newTls) {
        return new ServerConfig(bindAddress, port, root, accounts, anonymous, passivePorts, passiveAddress,
                maxSessions, maxSessionsPerAddress, idleTimeout, dataTimeout, loginFailureDelay, shutdownGrace, newTls);
    }
}
