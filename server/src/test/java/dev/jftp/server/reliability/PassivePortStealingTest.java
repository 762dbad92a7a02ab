package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.ftp.data.PassivePortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party connecting to the passive ports (RFC 2577 section 5, "port stealing"). The
 * server only accepts the client's own address, but a stranger's connections used to sit in the
 * listener's accept queue (backlog 1) until the transfer command came: holding two connections on
 * every port of the range from 127.0.0.2 made a client that connects 300 ms after PASV (a client
 * 300 ms away) fail 4 downloads of 4. Strangers must be dropped as they come, and the client served.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PassivePortStealingTest {
    private static final int RANGE = 4;
    private static final int HELD_PER_PORT = 2;
    private static final int DOWNLOADS = 4;
    private static final Duration CLIENT_DELAY = Duration.ofMillis(300);

    @TempDir
    Path root;

    @Test
    void connectionsFromAnotherAddressDoNotKeepTheClientOut() throws Exception {
        int low = PassivePortChurnTest.freeRange(RANGE);
        Files.writeString(root.resolve("f.txt"), "x".repeat(10_000));
        InetAddress stranger = InetAddress.getByName("127.0.0.2");
        try (RunningServer server = RunningServer.start(root, c -> c.withPassive(new PassivePortRange(low, low + RANGE - 1), null)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(5)))) {
            try (ControlConnection warm = server.loggedIn()) {
                warm.command("QUIT", 221);
            }
            ResourceBaseline.awaitNoSessions(server::sessionCount);
            ResourceBaseline baseline = ResourceBaseline.capture();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger strangerConnections = new AtomicInteger();
            List<Thread> holders = new ArrayList<>();
            for (int port = low; port < low + RANGE; port++) {
                for (int i = 0; i < HELD_PER_PORT; i++) {
                    int target = port;
                    holders.add(Thread.ofVirtual().start(() -> holdConnections(stranger, target, stop, strangerConnections)));
                }
            }
            int ok = 0;
            List<String> failures = new ArrayList<>();
            try (ControlConnection c = server.loggedIn()) {
                for (int i = 0; i < DOWNLOADS; i++) {
                    Reply pasv = c.command("PASV", 227);
                    Thread.sleep(CLIENT_DELAY.toMillis());
                    try (Socket data = new Socket()) {
                        data.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), pasvPort(pasv)), 10_000);
                        data.setSoTimeout(20_000);
                        Reply retr = c.command("RETR f.txt");
                        if (retr.code() != 150) {
                            failures.add(retr.all());
                            continue;
                        }
                        int bytes = ControlConnection.readAll(data).length;
                        Reply end = c.reply();
                        if (bytes == 10_000 && end.code() == 226) {
                            ok++;
                        } else {
                            failures.add(bytes + " bytes, " + end.all());
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                        c.command("ABOR");
                    }
                }
                c.command("QUIT", 221);
            } finally {
                stop.set(true);
                for (Thread t : holders) {
                    t.join(20_000);
                }
            }
            assertThat(failures).as("downloads with %d connections from %s held on each passive port", HELD_PER_PORT, stranger).isEmpty();
            assertThat(ok).isEqualTo(DOWNLOADS);
            assertThat(strangerConnections.get()).as("the stranger did connect").isPositive();
            Figures.record("passive port stealing", HELD_PER_PORT + " connections from another address held on each of " + RANGE
                    + " passive ports, client connecting " + CLIENT_DELAY.toMillis() + " ms after PASV: " + ok + " of " + DOWNLOADS
                    + " downloads complete; " + strangerConnections.get() + " stranger connections made and dropped");
            baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
        }
    }

    /**
     * A stranger's connection is dropped while the client has not yet sent its transfer command,
     * and the client's own connection, made later, is still taken.
     */
    @Test
    void aStrangerIsDroppedBeforeTheTransferCommand() throws Exception {
        Files.writeString(root.resolve("g.txt"), "y".repeat(1000));
        try (RunningServer server = RunningServer.start(root, c -> c.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(5)))) {
            try (ControlConnection warm = server.loggedIn()) {
                warm.command("QUIT", 221);
            }
            ResourceBaseline.awaitNoSessions(server::sessionCount);
            ResourceBaseline baseline = ResourceBaseline.capture();
            try (ControlConnection c = server.loggedIn()) {
                int port = pasvPort(c.command("PASV", 227));
                long dropped;
                try (Socket intruder = new Socket()) {
                    intruder.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                    intruder.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                    long connected = System.nanoTime();
                    intruder.setSoTimeout(10_000);
                    try {
                        assertThat(intruder.getInputStream().read()).as("the stranger gets nothing").isEqualTo(-1);
                    } catch (java.net.SocketTimeoutException stillHeld) {
                        throw new AssertionError("a stranger's connection to a passive port still open after 10 s");
                    } catch (java.net.SocketException reset) {
                        // dropped with a reset: as good
                    }
                    dropped = (System.nanoTime() - connected) / 1_000_000;
                }
                assertThat(dropped).as("ms until the stranger was dropped, no transfer command sent").isLessThan(5_000);
                try (Socket data = new Socket()) {
                    data.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                    data.setSoTimeout(20_000);
                    c.command("RETR g.txt", 150);
                    assertThat(ControlConnection.readAll(data)).hasSize(1000);
                    c.expect(226);
                }
                c.command("QUIT", 221);
                Figures.record("passive port stealing", "a stranger's connection to a passive port dropped " + dropped
                        + " ms after it was made, before any transfer command; the client's download then complete");
            }
            baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
        }
    }

    private static int pasvPort(Reply pasv) {
        String[] n = pasv.all().replaceAll(".*\\((.*)\\).*", "$1").split(",");
        return Integer.parseInt(n[4].trim()) * 256 + Integer.parseInt(n[5].trim());
    }

    /** Keeps one connection from {@code from} to {@code port} open, making a new one whenever it is dropped. */
    private static void holdConnections(InetAddress from, int port, AtomicBoolean stop, AtomicInteger made) {
        while (!stop.get()) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                made.incrementAndGet();
                s.setSoTimeout(200);
                while (!stop.get()) {
                    try {
                        if (s.getInputStream().read() < 0) {
                            break; // dropped by the server: connect again
                        }
                    } catch (java.net.SocketTimeoutException stillHeld) {
                        // keep holding
                    }
                }
            } catch (IOException refusedOrDropped) {
                ResourceBaseline.pause(5); // no listener on the port now, or the connection was reset
            }
        }
    }
}
