package dev.jftp.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.metrics.JftpdMetrics.Direction;
import dev.jftp.server.metrics.JftpdMetrics.LoginMethod;
import dev.jftp.server.metrics.JftpdMetrics.Protocol;
import dev.jftp.server.metrics.JftpdMetrics.S3Request;
import dev.jftp.server.metrics.JftpdMetrics.StorageBackend;
import dev.jftp.server.metrics.JftpdMetrics.StorageOperation;
import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics and /health over HTTP: counters move as the server's code reports events. */
class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private PrometheusMetrics metrics;
    private MetricsEndpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        metrics = JftpdMetrics.prometheus();
        endpoint = MetricsEndpoint.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), metrics);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, null);
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .timeout(Duration.ofSeconds(20));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return response.body();
    }

    /** The value of the sample {@code name{labels}} in a text-format scrape; fails when absent. */
    static double value(String scrape, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("sample %s in:\n%s", sample, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countersMoveAsEventsAreReported() throws Exception {
        String before = scrape();
        assertThat(value(before, "jftpd_sessions_open{protocol=\"ftp\"}")).isZero();
        assertThat(value(before, "jftpd_logins_total{method=\"password\",result=\"ok\"}")).isZero();
        assertThat(value(before, "jftpd_logins_total{method=\"password\",result=\"failed\"}")).isZero();

        metrics.sessionOpened(Protocol.FTP);
        metrics.sessionOpened(Protocol.FTP);
        metrics.sessionOpened(Protocol.SFTP);
        metrics.sessionClosed(Protocol.FTP);
        metrics.loginSucceeded(LoginMethod.PASSWORD);
        metrics.loginSucceeded(LoginMethod.CACHED);
        metrics.loginFailed(LoginMethod.PASSWORD);
        metrics.loginFailed(LoginMethod.PASSWORD);
        metrics.loginSucceeded(LoginMethod.ANONYMOUS);
        metrics.loginFailed(LoginMethod.PUBLICKEY);
        metrics.commandReplied("USER", 331);
        metrics.commandReplied("PASS", 230);
        metrics.commandReplied("retr", 150);
        metrics.commandReplied("RETR", 226);
        metrics.commandReplied("RETR", 550);
        metrics.command("XYZZY").replied(500);
        metrics.command("SITE EXEC /bin/sh").replied(502);
        metrics.commandReplied("NOOP", 42); // not a reply code: ignored
        metrics.transferFinished(Direction.DOWNLOAD, 1_048_576, 20_000_000L, true);
        metrics.transferFinished(Direction.DOWNLOAD, 1_000, 2_000_000_000L, false);
        metrics.transferFinished(Direction.UPLOAD, 5_000, 1_000_000L, true);
        metrics.tlsHandshake(true);
        metrics.tlsHandshake(false);
        metrics.storageOperation(StorageBackend.LOCAL, StorageOperation.READ, true);
        metrics.storageOperation(StorageBackend.S3, StorageOperation.WRITE, false);
        metrics.s3Request(S3Request.PUT_OBJECT, true);
        metrics.s3Request(S3Request.GET_OBJECT, false);
        AtomicBoolean databaseUp = new AtomicBoolean(true);
        metrics.accountStoreAvailability(databaseUp::get);

        String after = scrape();
        assertThat(value(after, "jftpd_sessions_open{protocol=\"ftp\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_sessions_open{protocol=\"sftp\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_sessions_total{protocol=\"ftp\"}")).isEqualTo(2);
        assertThat(value(after, "jftpd_logins_total{method=\"password\",result=\"ok\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_logins_total{method=\"password\",result=\"failed\"}")).isEqualTo(2);
        assertThat(value(after, "jftpd_logins_total{method=\"cached\",result=\"ok\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_logins_total{method=\"anonymous\",result=\"ok\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_logins_total{method=\"publickey\",result=\"failed\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_commands_total{reply_class=\"3xx\",verb=\"USER\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_commands_total{reply_class=\"1xx\",verb=\"RETR\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_commands_total{reply_class=\"2xx\",verb=\"RETR\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_commands_total{reply_class=\"5xx\",verb=\"RETR\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_commands_total{reply_class=\"5xx\",verb=\"other\"}")).isEqualTo(2);
        assertThat(after).doesNotContain("XYZZY").doesNotContain("/bin/sh").doesNotContain("verb=\"NOOP\"");
        assertThat(value(after, "jftpd_transfers_total{direction=\"download\"}")).isEqualTo(2);
        assertThat(value(after, "jftpd_transfer_errors_total{direction=\"download\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_transfer_errors_total{direction=\"upload\"}")).isZero();
        assertThat(value(after, "jftpd_transfer_bytes_total{direction=\"download\"}")).isEqualTo(1_049_576);
        assertThat(value(after, "jftpd_transfer_bytes_total{direction=\"upload\"}")).isEqualTo(5_000);
        assertThat(value(after, "jftpd_transfer_duration_seconds_count{direction=\"download\"}")).isEqualTo(2);
        assertThat(value(after, "jftpd_transfer_duration_seconds_sum{direction=\"download\"}")).isEqualTo(2.02);
        assertThat(value(after, "jftpd_transfer_duration_seconds_bucket{direction=\"download\",le=\"0.025\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_transfer_duration_seconds_bucket{direction=\"download\",le=\"2.5\"}")).isEqualTo(2);
        assertThat(value(after, "jftpd_tls_handshakes_total{result=\"ok\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_tls_handshakes_total{result=\"failed\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_storage_operations_total{backend=\"local\",operation=\"read\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_storage_operations_total{backend=\"s3\",operation=\"write\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_storage_errors_total{backend=\"s3\",operation=\"write\"}")).isEqualTo(1);
        assertThat(after).doesNotContain("jftpd_storage_errors_total{backend=\"local\"");
        assertThat(value(after, "jftpd_s3_requests_total{kind=\"PutObject\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_s3_request_errors_total{kind=\"GetObject\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_account_store_up")).isEqualTo(1);

        databaseUp.set(false);
        assertThat(value(scrape(), "jftpd_account_store_up")).isZero();
    }

    @Test
    void jvmMetricsAreThereToo() throws Exception {
        String scrape = scrape();
        assertThat(scrape).contains("jvm_memory_used_bytes{area=\"heap\"}").contains("jvm_threads_current")
                .contains("process_cpu_seconds_total");
    }

    @Test
    void everyJftpdMetricHasHelpAndBoundedLabels() throws Exception {
        metrics.commandReplied("STOR", 226);
        metrics.transferFinished(Direction.UPLOAD, 1, 1, true);
        String scrape = scrape();
        List<String> samples = scrape.lines().filter(l -> l.startsWith("jftpd_")).toList();
        assertThat(samples).isNotEmpty();
        for (String sample : samples) {
            String name = sample.replaceAll("[{ ].*", "").replaceAll("_(bucket|count|sum)$", "");
            assertThat(scrape).as("HELP for %s", name).contains("# HELP " + name + " ");
            // only the label names jftpd defines
            Matcher labels = Pattern.compile("(\\w+)=\"").matcher(sample);
            while (labels.find()) {
                assertThat(labels.group(1)).isIn("protocol", "method", "result", "verb", "reply_class", "direction", "le", "backend",
                        "operation", "kind");
            }
        }
    }

    @Test
    void prometheusAndOpenMetricsScrapersAreServed() throws Exception {
        // what Prometheus 2.x/3.x sends: OpenMetrics preferred
        HttpResponse<String> openMetrics = get("/metrics",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(openMetrics.statusCode()).isEqualTo(200);
        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
        assertThat(openMetrics.body()).contains("jftpd_logins_total{method=\"password\",result=\"ok\"} 0").endsWith("# EOF\n");
        // protobuf first, as Prometheus asks with native histograms on
        HttpResponse<byte[]> protobuf = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                        + "text/plain;version=0.0.4;q=0.3").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(protobuf.statusCode()).isEqualTo(200);
        assertThat(protobuf.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/vnd.google.protobuf"));
        assertThat(new String(protobuf.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("jftpd_logins_total");
    }

    @Test
    void curlScrapesIt(@TempDir Path dir) throws Exception {
        ExternalCommand.assumeInstalled("curl", "curl");
        metrics.loginSucceeded(LoginMethod.PASSWORD);
        ExternalCommand.Result result = ExternalCommand.in(dir).timeout(Duration.ofSeconds(30))
                .run("curl", "-sS", "--fail", "http://127.0.0.1:" + endpoint.port() + "/metrics");
        assertThat(result.exit()).as(result.describe()).isZero();
        assertThat(value(result.stdout(), "jftpd_logins_total{method=\"password\",result=\"ok\"}")).isEqualTo(1);
    }

    @Test
    void healthIsOkUntilStopping() throws Exception {
        HttpResponse<String> ok = get("/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);

        endpoint.stopping();
        HttpResponse<String> stopping = get("/health");
        assertThat(stopping.statusCode()).isEqualTo(503);
        assertThat(stopping.body()).isEqualTo("stopping\n");
        // the metrics are still served while the node drains
        assertThat(scrape()).contains("jftpd_sessions_open");
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/admin").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
