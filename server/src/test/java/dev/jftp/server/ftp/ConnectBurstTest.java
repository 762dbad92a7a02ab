package dev.jftp.server.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of connects at once: the large listen backlog and the accept loop keep up, and the
 * session limit holds exactly under the flood.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectBurstTest {
    private static final int BURST = 1000;

    @TempDir
    Path root;

    /** Connects, reads the first reply, holds the connection until {@code release}, then QUITs. */
    private static String connectAndHold(int port, CountDownLatch allGreeted, CountDownLatch release) throws Exception {
        boolean counted = false;
        try (ControlConnection c = ControlConnection.connect(port)) {
            String greeting = c.reply().last();
            allGreeted.countDown();
            counted = true;
            assertThat(release.await(180, TimeUnit.SECONDS)).isTrue();
            if (greeting != null && greeting.startsWith("220")) {
                assertThat(c.command("QUIT").last()).startsWith("221");
            }
            return greeting;
        } finally {
            if (!counted) {
                allGreeted.countDown(); // connecting failed: the test must not wait for this one
            }
        }
    }

    private static List<String> burst(int port) throws Exception {
        CountDownLatch allGreeted = new CountDownLatch(BURST);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                futures.add(clients.submit(() -> connectAndHold(port, allGreeted, release)));
            }
            assertThat(allGreeted.await(120, TimeUnit.SECONDS)).as("every connect of the burst got its first reply").isTrue();
            release.countDown();
            List<String> greetings = new ArrayList<>();
            for (Future<String> f : futures) {
                greetings.add(f.get(120, TimeUnit.SECONDS));
            }
            return greetings;
        }
    }

    @Test
    void aBurstOfAThousandConnectsIsGreetedWithoutStalling() throws Exception {
        try (RunningServer server = RunningServer.start(root, c -> c.withLimits(2 * BURST, 2 * BURST))) {
            List<String> greetings = burst(server.port());

            assertThat(greetings).hasSize(BURST).allSatisfy(g -> assertThat(g).isEqualTo("220 jftpd ready"));
            server.awaitSessionCount(0, Duration.ofSeconds(60));
            // ... and the server goes on serving.
            FTPClient after = server.alice();
            assertThat(after.listNames()).isEmpty();
            after.logout();
            after.disconnect();
        }
    }

    @Test
    void underAFloodTheSessionLimitHoldsExactlyAndIsGivenBackAfterwards() throws Exception {
        int limit = 100;
        try (RunningServer server = RunningServer.start(root, c -> c.withLimits(limit, 2 * BURST))) {
            List<String> greetings = burst(server.port());

            assertThat(greetings.stream().filter(g -> g.startsWith("220"))).hasSize(limit);
            assertThat(greetings.stream().filter(g -> g.equals("421 Too many users connected, try again later"))).hasSize(BURST - limit);
            server.awaitSessionCount(0, Duration.ofSeconds(60));
            FTPClient after = server.alice();
            assertThat(after.logout()).isTrue();
            after.disconnect();
        }
    }
}
