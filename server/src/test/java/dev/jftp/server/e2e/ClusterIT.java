package dev.jftp.server.e2e;

import static dev.jftp.server.e2e.ClusterClients.CHANGE_LIMIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.Haproxy;
import dev.jftp.server.testing.S3TestServer;
import dev.jftp.server.testing.TemporaryPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes as one service, as the README's "Running several nodes" sets them up: accounts in
 * PostgreSQL, files in one S3 bucket (S3Proxy), three {@code bin/jftpd} processes with
 * {@code --proxy-protocol} and {@code --metrics-port}, and a real HAProxy running
 * {@code docs/cluster/haproxy.cfg} (TCP mode, {@code send-proxy-v2}, health checks on
 * {@code /health}). Each client connects from an address of its own (127.0.1.N), which the nodes'
 * login lines must show. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterIT {
    private static final int NODES = 3;
    private static final int SESSIONS = 30;
    private static final String BUCKET = "cluster";
    private static final String USER = "shared-user";
    private static final String PASSWORD = "shared-user-pw";

    @RegisterExtension
    static final TemporaryPostgres postgres = new TemporaryPostgres();
    @RegisterExtension
    static final S3TestServer s3 = new S3TestServer();

    @TempDir
    static Path work;

    private static String accounts;
    private static Map<String, String> aws;
    private static final List<JftpdProcess> nodes = new ArrayList<>();
    private static final int[] metricsPorts = new int[NODES];
    private static Haproxy haproxy;
    private static int frontend;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES) // the first run fetches HAProxy; three JVMs start on a loaded machine
    static void startCluster() throws Exception {
        Haproxy.binary(); // skips the class, saying why, if HAProxy cannot be had
        s3.freshBucket(BUCKET);
        accounts = postgres.newDatabase();
        aws = S3StorageCliIT.awsEnvironment(S3TestServer.SECRET_KEY);
        ExecutorService starting = Executors.newFixedThreadPool(NODES);
        try {
            List<Future<JftpdProcess>> started = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                int n = i + 1;
                started.add(starting.submit(() -> JftpdProcess.start(work.resolve("node" + n), aws,
                        "--bind", "127.0.0.1", "--port", "0", "--root", work.resolve("node" + n + "/state").toString(),
                        "--users", accounts,
                        "--storage", "s3://" + BUCKET + "/files", "--s3-endpoint", s3.endpoint().toString(),
                        "--proxy-protocol", "--trusted-proxies", "127.0.0.1",
                        // each node announces its own address and a passive range of its own
                        "--passive-address", "127.0.0.1", "--passive-ports", (40000 + 100 * n) + "-" + (40000 + 100 * n + 99),
                        "--metrics-port", "0")));
            }
            for (Future<JftpdProcess> f : started) {
                nodes.add(f.get(5, TimeUnit.MINUTES));
            }
        } finally {
            starting.shutdownNow();
        }
        Map<String, String> env = new HashMap<>();
        frontend = Haproxy.freePort();
        env.put("FTP_FRONTEND", "127.0.0.1:" + frontend);
        for (int i = 0; i < NODES; i++) {
            metricsPorts[i] = ClusterClients.metricsPort(nodes.get(i));
            env.put("NODE" + (i + 1) + "_FTP", "127.0.0.1:" + nodes.get(i).port());
            env.put("NODE" + (i + 1) + "_METRICS_PORT", Integer.toString(metricsPorts[i]));
        }
        String config = Files.readString(JftpdProcess.projectRoot().resolve("docs/cluster/haproxy.cfg"));
        haproxy = Haproxy.start(work.resolve("haproxy"), config, env, new InetSocketAddress("127.0.0.1", frontend));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        for (JftpdProcess node : nodes) {
            node.close();
        }
    }

    private static byte[] content(int i) {
        byte[] bytes = new byte[10_000 + 997 * i];
        new Random(i).nextBytes(bytes);
        return bytes;
    }

    private static InetAddress client(int i) throws IOException {
        return InetAddress.getByName("127.0.1." + (i + 1));
    }

    @Test
    @Order(1)
    void thirtySessionsThroughHaproxyLogInAsAUserAddedOnOneNodeAndUploadAndEveryNodeServesEveryFile() throws Exception {
        ExternalCommand.Result add = JftpdProcess.runWithEnvironment(work.resolve("node1"), Map.of(), PASSWORD + "\n",
                "user", "add", USER, "--home", "shared", "--users", accounts);
        assertThat(add.exit()).as(add.describe()).isZero();
        assertThat(add.stdout() + add.stderr()).doesNotContain(TemporaryPostgres.PASSWORD);
        assertThat(ClusterClients.awaitLogin(frontend, USER, PASSWORD, 230, CHANGE_LIMIT)).as("the new user logs in").isNotNull();

        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> uploads = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int n = i;
                uploads.add(clients.submit(() -> upload(n)));
            }
            for (Future<String> upload : uploads) {
                assertThat(upload.get(2, TimeUnit.MINUTES)).isEqualTo("ok");
            }
        } finally {
            clients.shutdownNow();
        }

        // Every node took some of the sessions, and logged each client's own address from the PROXY header.
        // Logs reach standard error in batches (every 50 ms, later on a loaded machine): the last
        // sessions' lines may still be on their way when the clients are done.
        Pattern login = Pattern.compile(Pattern.quote(USER) + " logged in from (127\\.0\\.1\\.\\d+) via 127\\.0\\.0\\.1");
        int[] counts = new int[nodes.size()];
        int total = 0;
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); ; Thread.sleep(50)) {
            total = 0;
            for (int i = 0; i < nodes.size(); i++) {
                Matcher m = login.matcher(nodes.get(i).stderr());
                counts[i] = 0;
                while (m.find()) {
                    counts[i]++;
                }
                total += counts[i];
            }
            if (total >= SESSIONS || System.nanoTime() > deadline) {
                break;
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            assertThat(counts[i]).as("sessions node %s took:\n%s", nodes.get(i).port(), nodes.get(i).stderr()).isPositive();
        }
        assertThat(total).as("30 sessions, and the first login that waited for the new user").isGreaterThanOrEqualTo(SESSIONS);

        // Straight to each node (127.0.0.2 is no proxy: a direct client): every file listed and served.
        for (JftpdProcess node : nodes) {
            FTPClient ftp = ClusterClients.client(InetAddress.getByName("127.0.0.2"));
            try {
                assertThat(ClusterClients.login(ftp, node.port(), USER, PASSWORD)).isEqualTo(230);
                String[] names = ftp.listNames();
                assertThat(names).as("listing on node %s", node.port()).isNotNull();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < SESSIONS; i++) {
                    expected.add("file-" + i + ".bin");
                }
                assertThat(Arrays.stream(names).map(n -> n.substring(n.lastIndexOf('/') + 1)).toList()).containsAll(expected);
                for (int i = 0; i < SESSIONS; i++) {
                    ByteArrayOutputStream back = new ByteArrayOutputStream();
                    assertThat(ftp.retrieveFile("file-" + i + ".bin", back)).as("RETR file-%s on node %s: %s", i, node.port(),
                            ftp.getReplyString()).isTrue();
                    assertThat(back.toByteArray()).isEqualTo(content(i));
                }
            } finally {
                ClusterClients.disconnect(ftp);
            }
        }
    }

    /** One session through HAProxy from 127.0.1.(n+1): log in, upload file-n.bin, quit. */
    private static String upload(int n) throws IOException {
        FTPClient ftp = ClusterClients.client(client(n));
        try {
            int code = ClusterClients.login(ftp, frontend, USER, PASSWORD);
            if (code != 230) {
                return "session " + n + ": PASS answered " + code;
            }
            if (!ftp.storeFile("file-" + n + ".bin", new ByteArrayInputStream(content(n)))) {
                return "session " + n + ": STOR answered " + ftp.getReplyString();
            }
            ftp.logout();
            return "ok";
        } finally {
            ClusterClients.disconnect(ftp);
        }
    }

    @Test
    @Order(2)
    void aUserAddedWhileRunningLogsInOnEveryNodeWithinFiveSeconds() throws Exception {
        ExternalCommand.Result add = JftpdProcess.runWithEnvironment(work.resolve("node2"), Map.of(), "late-pw\n",
                "user", "add", "late-user", "--users", accounts);
        assertThat(add.exit()).as(add.describe()).isZero();
        // On every node at once, each straight from an address of its own (not 127.0.0.1: that is
        // the trusted proxy, whose connections must start with a PROXY header).
        ExecutorService tries = Executors.newFixedThreadPool(NODES);
        try {
            List<Future<Duration>> seen = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                JftpdProcess node = nodes.get(i);
                InetAddress from = InetAddress.getByName("127.0.2." + (i + 1));
                seen.add(tries.submit(() -> ClusterClients.awaitLogin(from, node.port(), "late-user", "late-pw", 230, CHANGE_LIMIT)));
            }
            for (int i = 0; i < NODES; i++) {
                assertThat(seen.get(i).get(1, TimeUnit.MINUTES)).as("late-user on node%s within %s of 'user add':\n%s", i + 1,
                        CHANGE_LIMIT, nodes.get(i).stderr()).isNotNull();
            }
        } finally {
            tries.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void everyNodeCountsForPrometheus() throws Exception {
        for (int i = 0; i < NODES; i++) {
            String metrics = ClusterClients.get(metricsPorts[i], "/metrics").body();
            assertThat(ClusterClients.metric(metrics, "jftpd_logins_total{method=\"password\",result=\"ok\"}")
                    + ClusterClients.metric(metrics, "jftpd_logins_total{method=\"cached\",result=\"ok\"}")).isPositive();
            assertThat(ClusterClients.metric(metrics, "jftpd_s3_requests_total{kind=\"GetObject\"}")).isPositive();
            assertThat(ClusterClients.metric(metrics, "jftpd_account_store_up")).isEqualTo(1.0);
            assertThat(metrics).doesNotContain(USER);
        }
    }

    @Test
    @Order(4)
    void afterANodeIsKilledNewSessionsThroughHaproxyGoToTheOthers() throws Exception {
        JftpdProcess killed = nodes.get(1);
        ProcessHandle.of(killed.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL: no goodbye, /health just stops answering
        assertThat(killed.awaitExit(Duration.ofSeconds(30))).isNotNull();
        int before = countLogins(nodes.get(0)) + countLogins(nodes.get(2));
        for (int i = 0; i < 10; i++) {
            FTPClient ftp = ClusterClients.client(client(100 + i));
            try {
                assertThat(ClusterClients.login(ftp, frontend, USER, PASSWORD)).as("session %s after the kill", i).isEqualTo(230);
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                assertThat(ftp.retrieveFile("file-" + i + ".bin", back)).isTrue();
                assertThat(back.toByteArray()).isEqualTo(content(i));
            } finally {
                ClusterClients.disconnect(ftp);
            }
        }
        // Log lines are written in batches: wait for them a little.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (countLogins(nodes.get(0)) + countLogins(nodes.get(2)) - before < 10 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(countLogins(nodes.get(0)) + countLogins(nodes.get(2)) - before).as("the 10 sessions on the nodes left").isEqualTo(10);
    }

    private static int countLogins(JftpdProcess node) {
        Matcher m = Pattern.compile(Pattern.quote(USER) + " logged in from 127\\.0\\.1\\.").matcher(node.stderr());
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }
}
