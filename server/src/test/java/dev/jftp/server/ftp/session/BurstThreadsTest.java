package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions in a burst of quick commands read on a borrowed platform thread (see SessionThreads):
 * what they do there and after is what they did before, and idle sessions give the thread back.
 */
class BurstThreadsTest {
    private static final Duration IDLE = Duration.ofMillis(1_500);

    @RegisterExtension
    final RunningServer server = RunningServer.perTest(config -> config.withTimeouts(IDLE, IDLE));
    Path root;

    @BeforeEach
    void files() throws IOException {
        root = server.root();
        Files.writeString(root.resolve("small.txt"), "small file");
    }

    /** Enough quick commands in a row that the session moves to a burst thread. */
    private static void quickCommands(ControlConnection c, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            assertThat(c.command(i % 2 == 0 ? "NOOP" : "PWD").code()).isIn(200, 257);
        }
    }

    private static String download(ControlConnection c, String name) throws IOException {
        try (Socket data = c.openPassive()) {
            assertThat(c.command("RETR " + name).code()).isIn(125, 150);
            String body = new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(c.reply().code()).isEqualTo(226);
            return body;
        }
    }

    @Test
    void aSessionInABurstRunsItsQuickCommandsOnABurstThread() throws IOException {
        long before = SessionThreads.burstsStarted();
        try (ControlConnection c = server.connectAsAlice()) {
            // Where each command runs depends on the scheduler (the login ran on the worker, which
            // replies before it counts the command done: the next may still queue behind it), so the
            // burst is awaited over a bounded number of rounds rather than after exactly N commands.
            for (int round = 0; round < 10 && SessionThreads.burstsStarted() == before; round++) {
                quickCommands(c, SessionThreads.BURST_AFTER + 3);
            }
            assertThat(SessionThreads.burstsStarted()).as("bursts started").isGreaterThan(before);
            assertThat(download(c, "small.txt")).isEqualTo("small file");
        }
    }

    @Test
    void aLoginAndOneCommandStayOnTheSessionsOwnThread() throws IOException {
        try (ControlConnection first = server.connectAsAlice()) {
            assertThat(first.command("QUIT").code()).isEqualTo(221); // alice's login is now remembered
        }
        // A check (log in, one command, QUIT) is over before a burst thread could pay for its two
        // hand-offs: USER, PASS (remembered: on the reader) and PWD do not start a burst.
        long before = SessionThreads.burstsStarted();
        for (int i = 0; i < 5; i++) {
            try (ControlConnection c = server.connectAsAlice()) {
                assertThat(c.command("PWD").code()).isEqualTo(257);
                assertThat(c.command("QUIT").code()).isEqualTo(221);
            }
        }
        assertThat(SessionThreads.burstsStarted()).as("bursts started").isEqualTo(before);
    }

    @Test
    void anUploadAndABigDownloadAfterABurstGoToTheWorkerAsBefore() throws IOException {
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Files.write(root.resolve("big.bin"), big);
        try (ControlConnection c = server.connectAsAlice()) {
            quickCommands(c, SessionThreads.BURST_AFTER + 2);
            assertThat(c.command("TYPE I").code()).isEqualTo(200);
            try (Socket data = c.openPassive()) {
                assertThat(c.command("STOR up.txt").code()).isIn(125, 150);
                try (OutputStream out = data.getOutputStream()) {
                    out.write("uploaded in a burst".getBytes(StandardCharsets.UTF_8));
                }
                assertThat(c.reply().code()).isEqualTo(226);
            }
            assertThat(Files.readString(root.resolve("up.txt"))).isEqualTo("uploaded in a burst");
            quickCommands(c, SessionThreads.BURST_AFTER + 2);
            try (Socket data = c.openPassive()) {
                assertThat(c.command("RETR big.bin").code()).isIn(125, 150);
                try (InputStream in = data.getInputStream()) {
                    assertThat(in.readAllBytes()).isEqualTo(big);
                }
                assertThat(c.reply().code()).isEqualTo(226);
            }
            assertThat(c.command("NOOP").code()).isEqualTo(200);
        }
    }

    @Test
    void aSessionIdleAfterABurstStillGetsItsIdleTimeout() throws IOException {
        try (ControlConnection c = server.connectAsAlice()) {
            quickCommands(c, SessionThreads.BURST_AFTER + 3);
            // nothing more: the burst ends after BURST_IDLE, the idle timeout after IDLE
            Reply reply = c.reply();
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.text()).containsIgnoringCase("timeout");
            assertThat(c.awaitClosedByServer()).isTrue();
        }
    }

    @Test
    void aLineSplitAcrossTheBurstsEndIsReadWhole() throws Exception {
        try (ControlConnection c = server.connectAsAlice()) {
            quickCommands(c, SessionThreads.BURST_AFTER + 1);
            c.sendBytes("NO".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(SessionThreads.BURST_IDLE.toMillis() + 150);
            c.sendBytes("OP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.reply().code()).isEqualTo(200);
            Thread.sleep(SessionThreads.BURST_IDLE.toMillis() + 150); // the burst ended between lines
            assertThat(c.command("PWD").code()).isEqualTo(257);
            assertThat(c.command("QUIT").code()).isEqualTo(221);
        }
    }

    @Test
    void moreSessionsInABurstThanBurstThreadsAreAllServed() throws Exception {
        int sessions = 4 * 4 * Runtime.getRuntime().availableProcessors() + 3; // more than BurstThreads holds
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try (ControlConnection c = server.connectAsAlice()) {
                    for (int round = 0; round < 5; round++) {
                        quickCommands(c, 4);
                        if (!download(c, "small.txt").equals("small file")) {
                            failures.add("wrong content");
                        }
                    }
                } catch (IOException | AssertionError e) {
                    failures.add(e.toString());
                }
            }));
        }
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(60));
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void burstThreadsAreBoundedAndGiveBackWhatTheBurstReturnsOrThrows() {
        BurstThreads bursts = new BurstThreads(2);
        assertThat(bursts.tryEnter()).isTrue();
        assertThat(bursts.tryEnter()).isTrue();
        assertThat(bursts.tryEnter()).as("a third while two are taken").isFalse();
        assertThat(bursts.run(() -> Thread.currentThread().isVirtual() ? "virtual" : "platform")).isEqualTo("platform");
        assertThat(bursts.tryEnter()).as("the finished burst gave its thread back").isTrue();
        assertThatThrownBy(() -> bursts.run(() -> {
            throw new IllegalStateException("from the burst");
        })).isInstanceOf(IllegalStateException.class).hasMessage("from the burst");
        assertThat(bursts.tryEnter()).as("a failed burst gives its thread back too").isTrue();
        assertThat(bursts.started()).isEqualTo(2);
    }
}
