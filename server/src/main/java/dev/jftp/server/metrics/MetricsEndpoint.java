package dev.jftp.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP endpoint of {@code --metrics-port}, on the JDK's HTTP server:
 * <ul>
 * <li>{@code GET /metrics}: the metrics in Prometheus text format (OpenMetrics when the scraper
 *     asks for it);</li>
 * <li>{@code GET /health}: {@code 200 ok} while the node accepts sessions, {@code 503 stopping}
 *     once {@link #stopping()} was called, so that a balancer (HAProxy's {@code option httpchk})
 *     sends no new sessions to a node on its way out.</li>
 * </ul>
 * Two threads serve it: a scrape is cheap, and nobody else should be talking to this port.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STOPPING = "stopping\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND = "not found: jftpd serves /metrics and /health here\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ExecutorService threads;
    private volatile boolean stopping;

    private MetricsEndpoint(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Serves {@code metrics} on {@code address} (port 0: any free port, see {@link #port()}). */
    public static MetricsEndpoint start(InetSocketAddress address, PrometheusMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "jftpd-metrics-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(server, threads);
        server.createContext("/metrics", new MetricsHandler(metrics.registry()));
        server.createContext("/health", endpoint::health);
        server.createContext("/", exchange -> respond(exchange, 404, NOT_FOUND));
        server.setExecutor(threads);
        server.start();
        return endpoint;
    }

    private void health(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            respond(exchange, 405, "GET or HEAD\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (stopping) {
            respond(exchange, 503, STOPPING);
        } else {
            respond(exchange, 200, OK);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** From now on {@code /health} answers 503: the node is stopping and takes no new sessions. */
    public void stopping() {
        stopping = true;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
