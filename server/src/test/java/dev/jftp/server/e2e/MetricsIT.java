package dev.jftp.server.e2e;

import static dev.jftp.server.e2e.ClusterClients.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jftpd --metrics-port}: {@code /metrics} in Prometheus text format, read before and
 * after real FTP sessions log in (right and wrong passwords, a cached login) and transfer; every
 * counter the sessions touch moves, and no label holds a user name or a path. {@code /health}
 * answers 200 for the balancer.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MetricsIT {
    @TempDir
    Path work;

    @Test
    void helpNamesEveryFlagOfSeveralNodes() throws Exception {
        dev.jftp.server.testing.ExternalCommand.Result help = JftpdProcess.run(work, "", "--help");
        assertThat(help.exit()).as(help.describe()).isZero();
        assertThat(help.stdout()).contains("--users=FILE|postgresql://USER:PASSWORD@HOST:PORT/DB", "--proxy-protocol",
                "--trusted-proxies=CIDR[,CIDR...]", "--metrics-port=N", "--passive-address=ADDR", "--passive-ports=LO-HI");
        dev.jftp.server.testing.ExternalCommand.Result user = JftpdProcess.run(work, "", "user", "--help");
        assertThat(user.stdout()).contains("add", "list", "remove", "passwd");
    }

    @Test
    void countersMoveAsSessionsLogInAndTransfer() throws Exception {
        try (JftpdProcess node = JftpdProcess.start(work, "--bind", "127.0.0.1", "--port", "0", "--root", work.resolve("root").toString(),
                "--user", "metric-user:metric-pw", "--metrics-port", "0")) {
            int port = ClusterClients.metricsPort(node);
            HttpResponse<String> health = ClusterClients.get(port, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            String before = ClusterClients.get(port, "/metrics").body();
            assertThat(metric(before, "jftpd_sessions_open{protocol=\"ftp\"}")).isZero();
            assertThat(before).contains("jvm_memory_used_bytes", "jftpd_account_store_up 1.0");

            byte[] content = new byte[123_456];
            new java.util.Random(7).nextBytes(content);
            FTPClient ftp = ClusterClients.client(null);
            try {
                assertThat(ClusterClients.login(ftp, node.port(), "metric-user", "metric-pw")).isEqualTo(230);
                assertThat(ftp.storeFile("counted.bin", new ByteArrayInputStream(content))).isTrue();
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                assertThat(ftp.retrieveFile("counted.bin", back)).isTrue();
                assertThat(ftp.retrieveFile("no-such-file", new ByteArrayOutputStream())).isFalse();
                String during = ClusterClients.get(port, "/metrics").body();
                assertThat(metric(during, "jftpd_sessions_open{protocol=\"ftp\"}")).isEqualTo(1.0);
            } finally {
                ClusterClients.disconnect(ftp);
            }
            assertThat(ClusterClients.tryLogin(null, node.port(), "metric-user", "metric-pw")).isEqualTo(230); // from the cache
            assertThat(ClusterClients.tryLogin(null, node.port(), "metric-user", "wrong")).isEqualTo(530);

            String after = ClusterClients.get(port, "/metrics").body();
            assertThat(metric(after, "jftpd_sessions_total{protocol=\"ftp\"}")).isGreaterThanOrEqualTo(3.0);
            assertThat(metric(after, "jftpd_logins_total{method=\"password\",result=\"ok\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_logins_total{method=\"cached\",result=\"ok\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_logins_total{method=\"password\",result=\"failed\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_transfers_total{direction=\"upload\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_transfers_total{direction=\"download\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_transfer_bytes_total{direction=\"upload\"}")).isEqualTo(content.length);
            assertThat(metric(after, "jftpd_transfer_bytes_total{direction=\"download\"}")).isEqualTo(content.length);
            assertThat(metric(after, "jftpd_transfer_duration_seconds_count{direction=\"upload\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_commands_total{reply_class=\"2xx\",verb=\"STOR\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_commands_total{reply_class=\"1xx\",verb=\"RETR\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_commands_total{reply_class=\"5xx\",verb=\"RETR\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_commands_total{reply_class=\"5xx\",verb=\"PASS\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_storage_operations_total{backend=\"local\",operation=\"write\"}")).isEqualTo(1.0);
            assertThat(metric(after, "jftpd_storage_operations_total{backend=\"local\",operation=\"read\"}")).isGreaterThanOrEqualTo(1.0);
            assertThat(metric(after, "jftpd_sessions_open{protocol=\"ftp\"}")).isZero();
            assertThat(after).doesNotContain("metric-user", "counted.bin", "no-such-file");
        }
    }
}
