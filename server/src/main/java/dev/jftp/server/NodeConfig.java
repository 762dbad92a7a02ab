package dev.jftp.server;

import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.ftp.FtpListenerConfig;
import dev.jftp.server.metrics.JftpdMetrics;
import dev.jftp.server.sftp.SftpListenerConfig;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;

/**
 * Everything one jftpd node is started with: its shared services, each protocol listener's own
 * settings (FTP always; SFTP when {@code sftp} is not null), and where it serves {@code /metrics}
 * and {@code /health} ({@code --metrics-port}; null for nowhere, which also counts nothing).
 */
public record NodeConfig(ServicesConfig services, FtpListenerConfig ftp, SftpListenerConfig sftp, InetSocketAddress metricsAddress) {
    /** A node serving FTP only, without metrics. */
    public NodeConfig(ServicesConfig services, FtpListenerConfig ftp) {
        this(services, ftp, null, null);
    }

    public NodeConfig withServices(UnaryOperator<ServicesConfig> change) {
        return new NodeConfig(change.apply(services), ftp, sftp, metricsAddress);
    }

    public NodeConfig withFtp(UnaryOperator<FtpListenerConfig> change) {
        return new NodeConfig(services, change.apply(ftp), sftp, metricsAddress);
    }

    /** The same node with an SFTP listener as {@code config} says (null: none). */
    public NodeConfig withSftp(SftpListenerConfig config) {
        return new NodeConfig(services, ftp, config, metricsAddress);
    }

    /** Serves {@code /metrics} and {@code /health} on {@code address} (port 0: any free port); null for no endpoint. */
    public NodeConfig withMetrics(InetSocketAddress address) {
        return new NodeConfig(services, ftp, sftp, address);
    }

    /** What a node of this configuration counts into: Prometheus with a metrics endpoint, else nothing. */
    public JftpdMetrics newMetrics() {
        return metricsAddress == null ? JftpdMetrics.disabled() : JftpdMetrics.prometheus();
    }
}
