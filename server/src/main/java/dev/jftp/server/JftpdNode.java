package dev.jftp.server;

import dev.jftp.server.core.Services;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.metrics.MetricsEndpoint;
import dev.jftp.server.metrics.PrometheusMetrics;
import dev.jftp.server.storage.Storage;
import java.io.IOException;

/**
 * One running jftpd: the assembly. It builds the shared {@link Services} once (accounts,
 * authentication and throttling, limits, storage, metrics), then starts each protocol listener on
 * them (FTP today) and, with {@code --metrics-port}, the {@link MetricsEndpoint}; {@link #close()}
 * turns {@code /health} to 503, stops the listeners, then the services.
 */
public final class JftpdNode implements AutoCloseable {
    private final Services services;
    private final FtpListener ftp;
    private final MetricsEndpoint metricsEndpoint;

    private JftpdNode(Services services, FtpListener ftp, MetricsEndpoint metricsEndpoint) {
        this.services = services;
        this.ftp = ftp;
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
            return new JftpdNode(services, FtpListener.start(config.ftp(), services), endpoint);
        } catch (IOException | RuntimeException e) {
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

    /** The port of {@code /metrics} and {@code /health}, or -1 without {@code --metrics-port}. */
    public int metricsPort() {
        return metricsEndpoint == null ? -1 : metricsEndpoint.port();
    }

    /** Stops the listeners (running transfers get their grace period), then closes the services. */
    @Override
    public void close() {
        if (metricsEndpoint != null) {
            metricsEndpoint.stopping(); // the balancer sends no new sessions here from now on
        }
        ftp.close();
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        services.close();
    }
}
