package dev.jftp.server;

import dev.jftp.server.core.Services;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.metrics.MetricsEndpoint;
import dev.jftp.server.metrics.PrometheusMetrics;
import dev.jftp.server.sftp.SftpListener;
import dev.jftp.server.storage.Storage;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running jftpd: the assembly. It builds the shared {@link Services} once (accounts,
 * authentication and throttling, limits, storage, metrics), then starts each protocol listener on
 * them (FTP, and SFTP when configured) and, with {@code --metrics-port}, the {@link MetricsEndpoint};
 * {@link #close()} turns {@code /health} to 503, stops the listeners, then the services.
 */
public final class JftpdNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JftpdNode.class);

    private final Services services;
    private final FtpListener ftp;
    private final SftpListener sftp;
    private final MetricsEndpoint metricsEndpoint;

    private JftpdNode(Services services, FtpListener ftp, SftpListener sftp, MetricsEndpoint metricsEndpoint) {
        this.services = services;
        this.ftp = ftp;
        this.sftp = sftp;
        this.metricsEndpoint = metricsEndpoint;
    }

    /** Starts a node as {@code config} says. */
    public static JftpdNode start(NodeConfig config) throws IOException {
        return start(config, Services.start(config.services(), config.newMetrics()));
    }

    /** Starts a node as {@code config} says, but keeping files in {@code storage} (which the node closes). */
    public static JftpdNode start(NodeConfig config, Storage storage) throws IOException {
        return start(config, Services.start(config.services(), storage, config.newMetrics()));
    }

    /**
     * Starts the listeners {@code config} says on {@code services}, made by {@link Services#start} (which the node closes).
     * The metrics endpoint needs services counting into Prometheus ({@link NodeConfig#newMetrics()}).
     */
    public static JftpdNode start(NodeConfig config, Services services) throws IOException {
        MetricsEndpoint endpoint = null;
        FtpListener ftp = null;
        try {
            if (config.metricsAddress() != null) {
                if (!(services.metrics() instanceof PrometheusMetrics prometheus)) {
                    throw new IllegalArgumentException("a metrics endpoint needs services made with NodeConfig.newMetrics()");
                }
                try {
                    endpoint = MetricsEndpoint.start(config.metricsAddress(), prometheus);
                } catch (IOException e) {
                    throw new IOException("metrics port " + config.metricsAddress().getPort() + ": " + e.getMessage(), e);
                }
            }
            ftp = FtpListener.start(config.ftp(), services);
            SftpListener sftp = config.sftp() == null ? null : SftpListener.start(config.sftp(), services);
            return new JftpdNode(services, ftp, sftp, endpoint);
        } catch (IOException | RuntimeException e) {
            if (ftp != null) {
                ftp.close();
            }
            if (endpoint != null) {
                endpoint.close();
            }
            services.close();
            throw e;
        }
    }

    public Services services() {
        return services;
    }

    /** The FTP/FTPS listener. */
    public FtpListener ftp() {
        return ftp;
    }

    /** The SFTP listener, when the node has one. */
    public Optional<SftpListener> sftp() {
        return Optional.ofNullable(sftp);
    }

    /** The port of {@code /metrics} and {@code /health}, or -1 without {@code --metrics-port}. */
    public int metricsPort() {
        return metricsEndpoint == null ? -1 : metricsEndpoint.port();
    }

    /**
     * Turns {@code /health} to 503, stops the listeners, then closes the services: FTP first (its
     * running transfers get their grace period, during which SFTP still serves), then SFTP, whose
     * uploads still open are discarded.
     */
    @Override
    public void close() {
        if (metricsEndpoint != null) {
            metricsEndpoint.stopping(); // the balancer sends no new sessions here from now on
        }
        ftp.close();
        if (sftp != null) {
            try {
                sftp.close();
            } catch (IOException | RuntimeException e) {
                log.warn("stopping the SFTP listener: {}", e.toString());
            }
        }
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        services.close();
    }
}
