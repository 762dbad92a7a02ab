package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.storage.local.LocalStorageView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults injected into real sessions over real sockets: clients that vanish mid-upload,
 * mid-download and mid-listing, a passive data connection that never comes, and files deleted or
 * truncated by someone else while being sent. After each, the server must have lost no data, left
 * no temporary file, kept serving, and given back every descriptor and thread.
 * (Faults during the TLS handshake: {@link TlsHandshakeFaultTest}.)
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultInjectionTest {
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(1);
    private static final int MANY = 20_000;

    @TempDir
    static Path root;
    static RunningServer server;
    static ResourceBaseline baseline;

    @BeforeAll
    static void startServerAndMeasureIdleBaseline() throws IOException {
        server = RunningServer.start(root, c -> c.withTimeouts(Duration.ofSeconds(60), DATA_TIMEOUT));
        Path many = Files.createDirectories(root.resolve("many"));
        for (int i = 0; i < MANY; i++) {
            Files.createFile(many.resolve(String.format("entry-%06d-with-a-name-long-enough-to-fill-lines", i)));
        }
        Files.write(root.resolve("small.txt"), "small\n".getBytes());
        warmUp();
        baseline = ResourceBaseline.capture();
    }

    /** One of everything first, so that lazily opened JDK resources belong to the baseline. */
    private static void warmUp() throws IOException {
        try (ControlConnection c = server.loggedIn()) {
            try (Socket data = c.openPassive()) {
                c.command("STOR warm.bin", 150);
                data.getOutputStream().write(new byte[1000]);
            }
            c.expect(226);
            try (Socket data = c.openPassive()) {
                c.command("RETR warm.bin", 150);
                ControlConnection.readAll(data);
            }
            c.expect(226);
            try (Socket data = c.openPassive()) {
                c.command("LIST", 150);
                ControlConnection.readAll(data);
            }
            c.expect(226);
            c.command("DELE warm.bin", 250);
            c.command("QUIT", 221);
        }
        awaitNoSessions();
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

    enum Disconnect {
        /** Both connections reset at once, as when the client machine vanishes. */
        RESET_BOTH,
        /** The control connection closes first, then the data connection closes normally (FIN). */
        CONTROL_THEN_DATA
    }

    @ParameterizedTest
    @EnumSource(Disconnect.class)
    void clientVanishingMidUploadKeepsTheOldFileAndLeavesNoTemporaryFile(Disconnect how) throws IOException {
        byte[] old = randomBytes(1 << 20, 1);
        Path target = root.resolve("keep-" + how + ".bin");
        Files.write(target, old);
        ControlConnection c = server.loggedIn();
        Socket data = c.openPassive();
        c.command("STOR " + target.getFileName(), 150);
        OutputStream out = data.getOutputStream();
        byte[] chunk = randomBytes(64 * 1024, 2);
        for (int i = 0; i < 8; i++) {
            out.write(chunk);
        }
        out.flush();
        if (how == Disconnect.RESET_BOTH) {
            ControlConnection.resetQuietly(data);
            c.reset();
        } else {
            c.close();
            // The server sees the control connection end and abandons the upload: it closes the data
            // connection, which this side notices by a failed write (bounded), and only then closes.
            assertThat(writeUntilRefused(out, Duration.ofSeconds(20))).as("server closed the data connection").isTrue();
            data.close();
        }
        awaitNoSessions();
        assertThat(Files.readAllBytes(target)).as("old content of %s", target.getFileName()).isEqualTo(old);
        assertThat(temporaryFiles()).isEmpty();
        Figures.record("disconnect mid-upload (" + how + ")", "512 KiB of 1 MiB sent; old file intact, 0 temporary files");
    }

    /**
     * The client's control connection closes mid-upload and its data connection closes cleanly
     * (FIN) a moment later, as when the client process dies: nobody could be told the upload
     * succeeded, so it is aborted, whatever the threads saw first. Gaps of 0.5 s (the issue's
     * case) down to none, several times each: before the fix the partial file replaced the old one
     * in about 1 of 10 near-simultaneous closes, when the session's worker read the data
     * connection's end before its reader thread had seen the control connection's.
     */
    @ParameterizedTest
    @ValueSource(ints = {500, 10, 0})
    void controlClosedThenDataClosedCleanlyKeepsTheOldFile(int gapMillis) throws Exception {
        byte[] old = randomBytes(1 << 20, 3);
        byte[] partial = randomBytes(300 * 1024, 4);
        int rounds = switch (gapMillis) { case 500 -> 2; case 10 -> 10; default -> 25; };
        for (int round = 0; round < rounds; round++) {
            Path target = root.resolve("vanish-" + gapMillis + "-" + round + ".bin");
            Files.write(target, old);
            ControlConnection c = server.loggedIn();
            Socket data = c.openPassive();
            c.command("STOR " + target.getFileName(), 150);
            data.getOutputStream().write(partial);
            data.getOutputStream().flush();
            c.close(); // FIN on the control connection
            if (gapMillis > 0) {
                Thread.sleep(gapMillis);
            }
            data.close(); // then FIN on the data connection: an end of file, as far as TCP tells
            awaitNoSessions();
            assertThat(Files.readAllBytes(target)).as("old content of %s", target.getFileName()).isEqualTo(old);
            assertThat(temporaryFiles()).isEmpty();
            Files.delete(target);
        }
        Figures.record("control closed, then data closed cleanly " + gapMillis + " ms later (" + rounds + " times)",
                "300 KiB of a new file sent over a 1 MiB one; old file intact every time, 0 temporary files");
    }

    @Test
    void clientVanishingMidDownloadFreesTheFileAndTheServerGoesOn() throws IOException {
        Path big = root.resolve("big-download.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        ControlConnection c = server.loggedIn();
        Socket data = c.openPassive();
        c.command("RETR big-download.bin", 150);
        readAtLeast(data.getInputStream(), 1 << 20);
        ControlConnection.resetQuietly(data);
        c.reset();
        awaitNoSessions();
        assertServerStillServes();
        Files.delete(big);
        Figures.record("disconnect mid-download", "1 MiB of 64 MiB read, then reset; session and file closed");
    }

    @Test
    void dataConnectionResetMidDownloadGives426AndTheSessionGoesOn() throws IOException {
        Path big = root.resolve("big-reset.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        try (ControlConnection c = server.loggedIn()) {
            Socket data = c.openPassive();
            c.command("RETR big-reset.bin", 150);
            readAtLeast(data.getInputStream(), 1 << 20);
            ControlConnection.resetQuietly(data); // the data connection only: the client is still there
            Reply reply = c.reply();
            assertThat(reply.code()).as("reply when the data connection broke: %s", reply).isEqualTo(426);
            c.command("NOOP", 200);
            c.command("QUIT", 221);
            Figures.record("data connection reset mid-download", reply.code() + " (" + reply.all().substring(4) + "); session went on");
        }
        Files.delete(big);
    }

    @Test
    void clientVanishingMidListingFreesTheDirectoryAndTheServerGoesOn() throws IOException {
        ControlConnection c = server.loggedIn();
        Socket data = c.openPassive();
        c.command("LIST many", 150);
        readAtLeast(data.getInputStream(), 64 * 1024);
        ControlConnection.resetQuietly(data);
        c.reset();
        awaitNoSessions();
        try (ControlConnection again = server.loggedIn()) {
            Socket list = again.openPassive();
            again.command("NLST many", 150);
            String names = new String(ControlConnection.readAll(list));
            list.close();
            again.expect(226);
            assertThat(names.lines().count()).isEqualTo(MANY);
        }
        Figures.record("disconnect mid-listing", "64 KiB of a " + MANY + "-entry LIST read, then reset; next NLST complete");
    }

    @Test
    void passiveConnectionThatNeverComesTimesOutWith425AndTheSessionGoesOn() throws IOException {
        try (ControlConnection c = server.loggedIn()) {
            c.command("PASV", 227); // ... and never connect
            long started = System.nanoTime();
            Reply reply = c.command("RETR small.txt");
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(reply.code()).as(reply.all()).isEqualTo(425);
            assertThat(waitedMillis).isGreaterThanOrEqualTo(DATA_TIMEOUT.toMillis() - 50);
            c.command("PASV", 227);
            assertThat(c.command("LIST").code()).isEqualTo(425);
            c.command("NOOP", 200);
            try (Socket data = c.openPassive()) {
                c.command("RETR small.txt", 150);
                assertThat(new String(ControlConnection.readAll(data))).isEqualTo("small\n");
            }
            c.expect(226);
            c.command("QUIT", 221);
            Figures.record("PASV, never connected", "425 after " + waitedMillis + " ms (data timeout " + DATA_TIMEOUT.toMillis()
                    + " ms); session went on");
        }
    }

    @Test
    void fileDeletedWhileBeingDownloadedStillArrivesWhole() throws IOException {
        byte[] content = randomBytes(24 << 20, 3);
        Path file = root.resolve("deleted-meanwhile.bin");
        Files.write(file, content);
        try (ControlConnection c = server.loggedIn()) {
            Socket data = c.openPassive();
            c.command("RETR deleted-meanwhile.bin", 150);
            InputStream in = data.getInputStream();
            byte[] first = in.readNBytes(1 << 20);
            Files.delete(file); // an open file stays readable on Unix
            byte[] rest = in.readAllBytes();
            data.close();
            c.expect(226);
            byte[] received = new byte[first.length + rest.length];
            System.arraycopy(first, 0, received, 0, first.length);
            System.arraycopy(rest, 0, received, first.length, rest.length);
            assertThat(received).isEqualTo(content);
            c.command("SIZE deleted-meanwhile.bin", 550);
            c.command("QUIT", 221);
        }
        Figures.record("file deleted during RETR", "24 MiB arrived whole (226); afterwards SIZE 550");
    }

    @Test
    void fileTruncatedWhileBeingDownloadedEndsWith451NotASilentShortCopy() throws IOException {
        long size = 64L << 20;
        Path file = root.resolve("truncated-meanwhile.bin");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        try (ControlConnection c = server.loggedIn()) {
            Socket data = c.openPassive();
            c.command("RETR truncated-meanwhile.bin", 150);
            InputStream in = data.getInputStream();
            long received = in.readNBytes(1 << 20).length;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(2L << 20);
            }
            received += drain(in);
            data.close();
            Reply reply = c.reply();
            assertThat(reply.code()).as("reply after a truncated download: %s", reply).isEqualTo(451);
            assertThat(received).isLessThan(size);
            c.command("NOOP", 200);
            c.command("QUIT", 221);
            Figures.record("file truncated during RETR", "451 after " + received + " of " + size + " bytes; session went on");
        }
        Files.delete(file);
    }

    // ---- helpers ----

    static void assertServerStillServes() throws IOException {
        try (ControlConnection c = server.loggedIn()) {
            c.command("NOOP", 200);
            try (Socket data = c.openPassive()) {
                c.command("RETR small.txt", 150);
                assertThat(new String(ControlConnection.readAll(data))).isEqualTo("small\n");
            }
            c.expect(226);
            c.command("QUIT", 221);
        }
        awaitNoSessions();
    }

    static void awaitNoSessions() {
        ResourceBaseline.awaitNoSessions(server::sessionCount);
    }

    static java.util.List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith(LocalStorageView.TEMP_PREFIX)).toList();
        }
    }

    /** Keeps writing until the peer has closed (true) or the time is up (false). */
    static boolean writeUntilRefused(OutputStream out, Duration within) {
        byte[] chunk = new byte[8192];
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                out.write(chunk);
                out.flush();
                ResourceBaseline.pause(5);
            } catch (IOException closedByPeer) {
                return true;
            }
        }
        return false;
    }

    static void readAtLeast(InputStream in, int bytes) throws IOException {
        assertThat(in.readNBytes(bytes).length).isEqualTo(bytes);
    }

    static long drain(InputStream in) throws IOException {
        long n = 0;
        byte[] buffer = new byte[64 * 1024];
        for (int r; (r = in.read(buffer)) >= 0; ) {
            n += r;
        }
        return n;
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
