package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that stop reading: a download nobody reads with commands piling up behind it, and a
 * client that sends commands but never reads a reply. Neither may hold its session (or the
 * reader thread that watches for ABOR and timeouts) for ever.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StalledClientTest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    /** How long a test waits for the server to act: a bound, far above what it should take. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final int QUEUE_LIMIT = 32;

    @TempDir
    static Path root;
    static RunningServer server;
    static ResourceBaseline baseline;

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(root, c -> c.withTimeouts(IDLE, Duration.ofSeconds(5)));
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(50L << 20);
        }
        try (ControlConnection c = server.loggedIn()) {
            try (Socket data = c.openPassive()) {
                c.command("RETR big.bin", 150);
                ControlConnection.readAll(data);
            }
            c.expect(226);
            c.command("QUIT", 221);
        }
        ResourceBaseline.awaitNoSessions(server::sessionCount);
        baseline = ResourceBaseline.capture();
    }

    @AfterEach
    void resourcesReturnToTheIdleBaseline() {
        baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * RETR of 50 MB that the client does not read, then 40 NOOPs and ABOR in one go. The reader
     * used to block on the full 32-command queue, stop reading, and so never see ABOR or a timeout:
     * nothing came back for 150 s and the connection stayed. Now the command past the limit is
     * answered 421 and the session closed.
     */
    @Test
    void commandsPipelinedPastTheLimitBehindAStalledDownloadCloseTheSession() throws IOException {
        ControlConnection c = server.loggedIn();
        try (c; Socket data = c.openPassive()) {
            data.setReceiveBufferSize(4096);
            c.command("RETR big.bin", 150);
            long started = System.nanoTime();
            c.sendBytes(("NOOP\r\n".repeat(40) + "ABOR\r\n").getBytes(StandardCharsets.US_ASCII));
            List<String> replies = repliesUntilClosed(c, BOUND);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(replies).as("replies after 40 NOOPs and ABOR behind a stalled RETR")
                    .anySatisfy(r -> assertThat(r).startsWith("421 ").contains("commands"));
            assertThat(replies).noneMatch(r -> r.startsWith("200 ")); // nothing queued ran after the refusal
            Figures.record("pipelining past the limit", "RETR of 50 MB unread + 40 NOOPs + ABOR: 421 and closed after "
                    + millis + " ms (was: no reply for 150 s, connection kept)");
        }
    }

    /** Fewer commands than the limit behind the same stalled download: ABOR still stops it at once. */
    @Test
    void aborBehindAFewPipelinedCommandsStillStopsAStalledDownload() throws IOException {
        try (ControlConnection c = server.loggedIn(); Socket data = c.openPassive()) {
            data.setReceiveBufferSize(4096);
            c.command("RETR big.bin", 150);
            c.sendBytes(("NOOP\r\n".repeat(QUEUE_LIMIT - 2) + "ABOR\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.reply().code()).isEqualTo(426);
            for (int i = 0; i < QUEUE_LIMIT - 2; i++) {
                assertThat(c.reply().code()).isEqualTo(200);
            }
            assertThat(c.reply().code()).isEqualTo(226);
            c.command("NOOP", 200);
            c.command("QUIT", 221);
        }
    }

    /**
     * A client that sends NOOP after NOOP and never reads a reply: once its receive buffer and the
     * server's send buffer are full, the server's reply write blocks. That write has a deadline of
     * one idle timeout, after which the session ends. (It used to wait for ever: after 6 MB of
     * NOOPs the session was still there 70 s later, with a 20 s idle timeout.)
     */
    @Test
    void aClientThatNeverReadsRepliesIsDisconnected() throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port()), 10_000);
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(("USER " + RunningServer.ALICE + "\r\nPASS " + RunningServer.ALICE_PASSWORD + "\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] noops = "NOOP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            long started = System.nanoTime();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 1000; i++) { // at most 60 MB; the server stops taking them long before
                        out.write(noops);
                    }
                } catch (IOException closedByServer) {
                    // expected: the server gave up on this client
                }
            });
            long deadline = started + BOUND.toNanos();
            // The server counts the session a moment after the connection is made (its own thread
            // takes it): wait for that first, or a count of 0 would pass for "disconnected" (CI once
            // measured 0 ms so).
            while (server.sessionCount() == 0 && System.nanoTime() < deadline) {
                ResourceBaseline.pause(5);
            }
            assertThat(server.sessionCount()).as("the session, once the server has taken the connection").isPositive();
            while (server.sessionCount() > 0 && System.nanoTime() < deadline) {
                ResourceBaseline.pause(50);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(server.sessionCount()).as("sessions %d ms after a client stopped reading replies", millis).isZero();
            socket.close(); // ends the writer if it still waits
            writer.join(BOUND.toMillis());
            assertThat(writer.isAlive()).isFalse();
            assertThat(millis).as("not before a reply had waited an idle timeout").isGreaterThanOrEqualTo(IDLE.toMillis());
            Figures.record("client never reads replies", "NOOPs sent without reading any reply, idle timeout " + IDLE.toSeconds()
                    + " s: session closed after " + millis + " ms (was: never)");
        }
    }

    /** Reads replies until the server closes the connection (end of stream or reset), within {@code bound}. */
    private static List<String> repliesUntilClosed(ControlConnection c, Duration bound) throws IOException {
        List<String> replies = new ArrayList<>();
        long deadline = System.nanoTime() + bound.toNanos();
        c.setTimeout(Duration.ofMillis(500));
        while (System.nanoTime() < deadline) {
            try {
                replies.add(c.reply().all());
            } catch (SocketTimeoutException nothingYet) {
                // keep waiting until the bound
            } catch (IOException closed) {
                return replies;
            }
        }
        throw new AssertionError("control connection still open after " + bound.toSeconds() + " s; replies: " + replies);
    }
}
