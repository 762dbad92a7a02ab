package dev.jftp.server.ftp.session;

import dev.jftp.server.ftp.data.PassivePortRange;
import dev.jftp.server.tls.TlsConfig;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The settings every FTP session of one listener runs with.
 *
 * @param idleTimeout    a session that sends nothing this long is closed (421)
 * @param dataTimeout    how long to wait for a data connection
 * @param passivePorts   ports for passive listeners
 * @param passiveAddress address announced in 227 replies; null for the control connection's local address
 * @param tls            FTPS: certificate, whether TLS is required, implicit TLS port
 */
public record FtpSessionConfig(Duration idleTimeout, Duration dataTimeout, PassivePortRange passivePorts, InetAddress passiveAddress,
        TlsConfig tls) {
    public static FtpSessionConfig defaults() {
        return new FtpSessionConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), PassivePortRange.ANY, null, TlsConfig.NONE);
    }

    public FtpSessionConfig withTimeouts(Duration idle, Duration data) {
        return new FtpSessionConfig(idle, data, passivePorts, passiveAddress, tls);
    }

    public FtpSessionConfig withPassive(PassivePortRange ports, InetAddress address) {
        return new FtpSessionConfig(idleTimeout, dataTimeout, ports, address, tls);
    }

    public FtpSessionConfig withTls(TlsConfig newTls) {
        return new FtpSessionConfig(idleTimeout, dataTimeout, passivePorts, passiveAddress, newTls);
    }
}
