package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20,000 connection attempts, as fast as the client threads can make them, against a server that
 * is already at its session limit: every excess client must get 421 and nothing else, while a
 * logged-in user keeps getting NOOP answered; afterwards the server admits new sessions again and
 * holds nothing more than before.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ConnectionFloodTest {
    private static final int MAX_SESSIONS = 20;
    private static final int ATTEMPTS = 20_000;
    private static final int FLOODERS = 16;
    /** The flood stops here even if unfinished (and the test then fails): a bound, not an expectation. */
    private static final Duration FLOOD_BOUND = Duration.ofSeconds(90);

    @TempDir
    static Path root;
    static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(root, c -> c.withLimits(MAX_SESSIONS, MAX_SESSIONS + 100));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void excessClientsGet421AndTheLoggedInUserKeepsWorking() throws Exception {
        try (ControlConnection warm = server.loggedIn()) {
            warm.command("QUIT", 221);
        }
        awaitSessions(0);
        ResourceBaseline baseline = ResourceBaseline.capture();

        ControlConnection user = server.loggedIn();
        List<ControlConnection> holders = new ArrayList<>();
        for (int i = 1; i < MAX_SESSIONS; i++) {
            ControlConnection holder = ControlConnection.connect(server.port());
            holder.expect(220);
            holders.add(holder);
        }
        awaitSessions(MAX_SESSIONS);

        AtomicInteger next = new AtomicInteger();
        LongAdder refused = new LongAdder();
        LongAdder reset = new LongAdder();
        LongAdder admitted = new LongAdder();
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + FLOOD_BOUND.toNanos();
        long started = System.nanoTime();
        ExecutorService flooders = Executors.newFixedThreadPool(FLOODERS);
        for (int t = 0; t < FLOODERS; t++) {
            flooders.execute(() -> {
                for (int i; (i = next.getAndIncrement()) < ATTEMPTS && System.nanoTime() < deadline; ) {
                    String first = firstLine(i);
                    if (first == null) {
                        reset.increment();
                    } else if (first.startsWith("421 ")) {
                        refused.increment();
                    } else {
                        if (first.startsWith("220")) {
                            admitted.increment();
                        }
                        if (other.size() < 20) {
                            other.add(first);
                        }
                    }
                }
            });
        }
        flooders.shutdown();

        List<Long> noopMillis = new ArrayList<>();
        while (!flooders.awaitTermination(50, TimeUnit.MILLISECONDS)) {
            long t0 = System.nanoTime();
            user.command("NOOP", 200);
            noopMillis.add((System.nanoTime() - t0) / 1_000_000);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int attempts = Math.min(next.get(), ATTEMPTS);

        assertThat(attempts).as("attempts made within %s s", FLOOD_BOUND.toSeconds()).isEqualTo(ATTEMPTS);
        assertThat(admitted.sum()).as("clients admitted beyond the limit").isZero();
        assertThat(other).as("first lines other than 421").isEmpty();
        assertThat(refused.sum()).as("clients that read their 421 (%d saw a reset or close first)", reset.sum()).isEqualTo(ATTEMPTS);
        assertThat(noopMillis).as("NOOPs answered during the flood").isNotEmpty();
        Collections.sort(noopMillis);
        long p50 = noopMillis.get(noopMillis.size() / 2);
        long p99 = noopMillis.get(Math.min(noopMillis.size() - 1, noopMillis.size() * 99 / 100));
        long max = noopMillis.getLast();
        assertThat(max).as("slowest NOOP round trip (ms) during the flood").isLessThan(5_000);

        user.command("NOOP", 200);
        user.command("QUIT", 221);
        user.close();
        holders.forEach(ControlConnection::close);
        awaitSessions(0);
        try (ControlConnection after = server.loggedIn()) {
            after.command("QUIT", 221);
        }
        Figures.record("connection flood", String.format("%d attempts in %.1f s (%.0f/s) at the %d-session limit: %d got 421, %d reset before reading it, 0 admitted;"
                + " logged-in NOOP during flood: %d round trips, p50 %d ms, p99 %d ms, max %d ms", attempts, seconds, attempts / seconds,
                MAX_SESSIONS, refused.sum(), reset.sum(), noopMillis.size(), p50, p99, max));
        baseline.assertReturned(server::sessionCount, Duration.ofSeconds(30));
    }

    /** Connects from one of 127.0.0.2..11 and returns the first line the server sends, or null on a reset or close. */
    private static String firstLine(int attempt) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + attempt % 10)}), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 10_000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n' && line.length() < 200; ) {
                line.append((char) b);
            }
            return line.isEmpty() ? null : line.toString().strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static void awaitSessions(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.sessionCount() != count) {
            assertThat(System.nanoTime()).as("%d sessions within 20 s (now %d)", count, server.sessionCount()).isLessThan(deadline);
            ResourceBaseline.pause(20);
        }
    }

}
