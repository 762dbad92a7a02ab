package dev.jftp.server;

import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.ftp.FtpListenerConfig;
import dev.jftp.server.metrics.JftpdMetrics;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;

/**
 * Everything one jftpd node is started with: its shared services, each protocol listener's own
 * settings (FTP today), and where it serves {@code /metrics} and {@code /health}
 * ({@code --metrics-port}; null for nowhere, which also counts nothing).
 */
public record NodeConfig(ServicesConfig services, FtpListenerConfig ftp, InetSocketAddress metricsAddress) {
    public NodeConfig(ServicesConfig services, FtpListenerConfig ftp) {
        this(services, ftp, null);
    }

    public NodeConfig withServices(UnaryOperator<ServicesConfig> change) {
        return new NodeConfig(change.apply(services), ftp, metricsAddress);
    }

    public NodeConfig withFtp(UnaryOperator<FtpListenerConfig> change) {
        return new NodeConfig(services, change.apply(ftp), metricsAddress);
    }

    /** Serves {@code /metrics} and {@code /health} on {@code address} (port 0: any free port); null for no endpoint. */
    public NodeConfig withMetrics(InetSocketAddress address) {
        return new NodeConfig(services, ftp, address);
    }

    /** What a node of this configuration counts into: Prometheus with a metrics endpoint, else nothing. */
    public JftpdMetrics newMetrics() {
        return metricsAddress == null ? JftpdMetrics.disabled() : JftpdMetrics.prometheus();
    }
}
