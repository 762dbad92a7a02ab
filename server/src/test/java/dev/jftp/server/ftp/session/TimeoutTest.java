package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.protocol.HostPort;
import dev.jftp.server.storage.local.LocalStorageView;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idle timeout (421, then the connection is closed) and the data timeout: nothing a client
 * leaves hanging holds a session for ever.
 */
class TimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(400);
    private static final Duration DATA = Duration.ofMillis(400);

    @TempDir
    Path root;
    RunningServer server;

    @BeforeEach
    void start() throws IOException {
        server = RunningServer.start(root, config -> config.withTimeouts(IDLE, DATA));
        Files.writeString(root.resolve("good.txt"), "good");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void assert421ThenClosed(ControlConnection c) throws IOException {
        Reply reply = c.reply();
        assertThat(reply.code()).isEqualTo(421);
        assertThat(reply.text()).containsIgnoringCase("timeout");
        assertThat(c.awaitClosedByServer()).isTrue();
    }

    @Test
    void anIdleLoggedInSessionGets421AndIsClosed() throws IOException {
        ControlConnection c = server.connectAsAlice();
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        assert421ThenClosed(c);
    }

    @Test
    void anIdleSessionThatNeverLoggedInGets421AndIsClosed() throws IOException {
        assert421ThenClosed(server.connect());
    }

    @Test
    void aPassiveConnectionNeverMadeGets425() throws IOException {
        ControlConnection c = server.connectAsAlice();
        assertThat(c.command("PASV").code()).isEqualTo(227);
        assertThat(c.command("RETR good.txt").code()).isEqualTo(425);
    }

    @Test
    void anUploadThatStallsIsAbortedAndKeepsTheOldFile() throws IOException {
        ControlConnection c = server.connectAsAlice();
        try (Socket data = c.openPassive()) {
            assertThat(c.command("STOR good.txt").code()).isEqualTo(150);
            data.getOutputStream().write("partial".getBytes());
            data.getOutputStream().flush();
            // ... and then nothing more, with the data connection left open
            assertThat(c.reply().code()).isEqualTo(426);
            assert421ThenClosed(c);
        }
        assertThat(root.resolve("good.txt")).hasContent("good");
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(LocalStorageView.TEMP_PREFIX));
        }
    }

    /**
     * Idle time starts when the last command or transfer ends, not when the server last read a
     * line: after a download that outlasted one idle period, a NOOP well inside the idle timeout
     * after its 226 must be answered. (It got "421 Idle timeout": a 15.8 s download and a NOOP 7 s
     * later, with 20 s.) The client reads nothing for 1.5 idle periods (not long enough for the stall
     * check, which needs a whole period without progress after its first look), then everything, then
     * sends NOOP 2.2 idle periods after RETR: the old timer, started at RETR, had fired at 2.
     */
    @Test
    void idleTimeCountsFromTheEndOfTheLastTransfer() throws Exception {
        Duration idle = Duration.ofSeconds(3);
        try (RunningServer slow = RunningServer.start(root.resolve("slow"), config -> config.withTimeouts(idle, Duration.ofSeconds(10)));
             RandomAccessFile big = new RandomAccessFile(root.resolve("slow/big.bin").toFile(), "rw")) {
            big.setLength(32L << 20); // far more than the socket buffers hold
            ControlConnection c = slow.connectAsAlice();
            c.command("TYPE I");
            Reply pasv = c.command("PASV");
            try (Socket data = new Socket()) { // default buffers: once it reads, the client takes everything at once
                data.connect(HostPort.parseSixNumbers(pasv.text()), ControlConnection.TIMEOUT_MILLIS);
                long retr = System.nanoTime();
                assertThat(c.command("RETR big.bin").code()).isEqualTo(150);
                Thread.sleep(idle.toMillis() * 3 / 2);
                assertThat(ControlConnection.readAll(data)).hasSize(32 << 20);
                assertThat(c.reply().code()).isEqualTo(226);
                long transferEnded = System.nanoTime();
                long noopAt = retr + idle.toNanos() * 22 / 10;
                Thread.sleep(Math.max(0, (noopAt - System.nanoTime()) / 1_000_000));
                assertThat(Duration.ofNanos(System.nanoTime() - transferEnded))
                        .as("NOOP sent well within the idle timeout after the 226").isLessThan(idle.multipliedBy(8).dividedBy(10));
                Reply noop = c.command("NOOP");
                assertThat(noop.code()).as(noop.text()).isEqualTo(200);
            }
        }
    }

    @Test
    void aDownloadToAClientThatStopsReadingIsAborted() throws IOException {
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            big.setLength(256L * 1024 * 1024);
        }
        ControlConnection c = server.connectAsAlice();
        c.command("TYPE I");
        Reply pasv = c.command("PASV");
        try (Socket data = new Socket()) {
            data.setReceiveBufferSize(4096);
            data.connect(HostPort.parseSixNumbers(pasv.text()), ControlConnection.TIMEOUT_MILLIS);
            assertThat(c.command("RETR big.bin").code()).isEqualTo(150);
            assertThat(c.reply().code()).isEqualTo(426);
            assert421ThenClosed(c);
        }
    }
}
