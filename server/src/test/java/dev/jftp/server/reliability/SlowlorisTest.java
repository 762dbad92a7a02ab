package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris: clients that send one byte a second and never finish a line (before and after
 * logging in), and clients that send nothing at all. Every byte restarts a socket read timeout, so
 * only a per-line deadline frees the trickling ones: each must get 421 and be closed about one idle
 * timeout after its line began, while a well-behaved logged-in user keeps working.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowlorisTest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    /** A trickling client gives up (and the test fails) after this long: a bound, not an expectation. */
    private static final Duration TRICKLE_BOUND = Duration.ofSeconds(15);
    private static final int TRICKLERS = 30;
    private static final int LOGGED_IN_TRICKLERS = 10;
    private static final int SILENT = 10;

    @TempDir
    static Path root;
    static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(root, c -> c.withTimeouts(IDLE, Duration.ofSeconds(5)).withLimits(200, 200));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** What happened to one slow client: the reply that closed it and after how long. */
    record Outcome(String reply, long millisAfterFirstByte, boolean closedByServer) {
    }

    @Test
    void clientsTricklingOneByteASecondAreClosedAfterTheIdleTimeout() throws Exception {
        try (ControlConnection warm = server.loggedIn()) {
            warm.command("QUIT", 221);
        }
        awaitSessions(0);
        ResourceBaseline baseline = ResourceBaseline.capture();

        ControlConnection user = server.loggedIn();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Outcome>> trickling = new ArrayList<>();
        for (int i = 0; i < TRICKLERS; i++) {
            InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i % 5)});
            trickling.add(pool.submit(() -> trickle(from, false)));
        }
        for (int i = 0; i < LOGGED_IN_TRICKLERS; i++) {
            trickling.add(pool.submit(() -> trickle(null, true)));
        }
        List<Future<Outcome>> silent = new ArrayList<>();
        for (int i = 0; i < SILENT; i++) {
            silent.add(pool.submit(SlowlorisTest::stayQuiet));
        }
        pool.shutdown();
        int noops = 0;
        while (!pool.awaitTermination(IDLE.toMillis() / 4, TimeUnit.MILLISECONDS)) {
            user.command("NOOP", 200); // well within the idle timeout: this session must stay
            noops++;
        }
        long slowest = 0;
        for (Future<Outcome> f : trickling) {
            Outcome o = f.get();
            assertThat(o.closedByServer()).as("trickling client closed by the server within %s s", TRICKLE_BOUND.toSeconds()).isTrue();
            assertThat(o.reply()).startsWith("421 ");
            assertThat(o.millisAfterFirstByte()).isGreaterThanOrEqualTo(IDLE.toMillis() - 100);
            slowest = Math.max(slowest, o.millisAfterFirstByte());
        }
        for (Future<Outcome> f : silent) {
            Outcome o = f.get();
            assertThat(o.closedByServer()).isTrue();
            assertThat(o.reply()).startsWith("421 ");
        }
        user.command("NOOP", 200);
        user.command("QUIT", 221);
        user.close();
        Figures.record("slowloris", String.format("%d clients sending 1 byte/s (%d of them logged in) and %d silent ones, idle timeout %d s:"
                + " all got 421 and were closed, the slowest %d ms after its first byte; the logged-in user's %d NOOPs all answered",
                TRICKLERS + LOGGED_IN_TRICKLERS, LOGGED_IN_TRICKLERS, SILENT, IDLE.toSeconds(), slowest, noops));
        baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
    }

    /** Sends "USER a", "NOOP"... one byte a second without ever ending the line. */
    private static Outcome trickle(InetAddress from, boolean logIn) throws IOException {
        ControlConnection c = logIn ? server.loggedIn() : ControlConnection.connect(server.port(), from, Duration.ofSeconds(20));
        try (c) {
            if (!logIn) {
                c.expect(220);
            }
            byte[] endless = (logIn ? "NOOP aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" : "USER aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                    .getBytes(StandardCharsets.US_ASCII);
            OutputStream out = c.socket().getOutputStream();
            InputStream in = c.socket().getInputStream();
            c.socket().setSoTimeout(1000); // the pause between bytes is spent waiting for the server
            long firstByte = System.nanoTime();
            long deadline = firstByte + TRICKLE_BOUND.toNanos();
            StringBuilder reply = new StringBuilder();
            for (int i = 0; System.nanoTime() < deadline; i++) {
                try {
                    out.write(endless[i % endless.length]);
                    out.flush();
                } catch (IOException closed) {
                    return new Outcome(reply.toString(), (System.nanoTime() - firstByte) / 1_000_000, true);
                }
                try {
                    for (int b; (b = in.read()) >= 0; ) {
                        reply.append((char) b);
                    }
                    return new Outcome(reply.toString().strip(), (System.nanoTime() - firstByte) / 1_000_000, true);
                } catch (SocketTimeoutException stillOpen) {
                    // one second passed: next byte
                } catch (IOException reset) {
                    return new Outcome(reply.toString().strip(), (System.nanoTime() - firstByte) / 1_000_000, true);
                }
            }
            return new Outcome(reply.toString(), TRICKLE_BOUND.toMillis(), false);
        }
    }

    /** Connects and sends nothing. */
    private static Outcome stayQuiet() throws IOException {
        try (ControlConnection c = ControlConnection.connect(server.port())) {
            c.expect(220);
            long started = System.nanoTime();
            c.setTimeout(TRICKLE_BOUND);
            Reply reply = c.reply();
            boolean closed = c.awaitClosedByServer(Duration.ofSeconds(5));
            return new Outcome(reply.all(), (System.nanoTime() - started) / 1_000_000, closed);
        }
    }

    private static void awaitSessions(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.sessionCount() != count) {
            assertThat(System.nanoTime()).as("%d sessions within 20 s", count).isLessThan(deadline);
            ResourceBaseline.pause(20);
        }
    }
}
