package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.storage.local.linux.ErrnoException;
import dev.jftp.server.storage.local.linux.LinuxCalls;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 3: a FIFO or a device in the served tree. Opening a FIFO for reading waits for a
 * writer, so a server that opens whatever a client names lets a few sessions pin every carrier
 * thread (new clients then get no greeting at all), and a character device such as /dev/zero
 * would stream for ever. jftpd never opens anything but regular files and directories: every
 * command on such a file gets a prompt answer, and the server keeps greeting new clients.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpecialFilesTest {
    /** How long any answer may take here; a blocked server never answers. */
    private static final Duration PROMPT = Duration.ofSeconds(10);

    @TempDir
    Path root;
    RunningServer server;
    ResourceBaseline baseline;
    final List<ControlConnection> clients = new ArrayList<>();
    boolean device;

    @BeforeEach
    void start() throws Exception {
        Path pub = Files.createDirectories(root.resolve("pub"));
        run("mkfifo", pub.resolve("fifo").toString());
        run("mkfifo", pub.resolve("fifo2").toString());
        // A character device inside the tree needs CAP_MKNOD (root); without it that part is left out.
        device = new ProcessBuilder("mknod", pub.resolve("zero").toString(), "c", "1", "5").redirectErrorStream(true).start()
                .waitFor() == 0;
        Files.createSymbolicLink(pub.resolve("devzero"), Path.of("/dev/zero"));
        Files.writeString(pub.resolve("plain.txt"), "plain");
        server = RunningServer.start(root, c -> c.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10)));
        try (ControlConnection c = client()) {
            c.command("SIZE pub/plain.txt", 213);
            c.command("QUIT", 221);
        }
        ResourceBaseline.awaitNoSessions(server::sessionCount);
        baseline = ResourceBaseline.capture();
    }

    @AfterEach
    void stop() {
        clients.forEach(ControlConnection::close);
        releaseBlockedReaders(root.resolve("pub/fifo"));
        if (server != null) {
            server.close();
        }
    }

    private ControlConnection client() throws IOException {
        ControlConnection c = server.loggedIn();
        c.setTimeout(PROMPT);
        clients.add(c);
        return c;
    }

    @Test
    void moreSessionsThanCarrierThreadsAskForAFifoAndNewClientsAreStillGreeted() throws Exception {
        int sessions = Runtime.getRuntime().availableProcessors() + 2;
        List<ControlConnection> asking = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ControlConnection c = client();
            c.send(i % 2 == 0 ? "HASH pub/fifo" : "SIZE pub/fifo");
            asking.add(c);
        }
        for (ControlConnection c : asking) {
            assertThat(c.reply().code()).isEqualTo(550);
        }
        for (ControlConnection c : asking) {
            try (Socket data = c.openPassive()) {
                assertThat(c.command("RETR pub/fifo").code()).isEqualTo(550);
            }
        }
        long started = System.nanoTime();
        try (ControlConnection fresh = ControlConnection.connect(server.port(), null, PROMPT)) {
            fresh.expect(220);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("greeting").isLessThan(PROMPT);
        closeAllAndCheckResources();
    }

    @Test
    void everyCommandOnAFifoOrADeviceIsAnsweredAtOnce() throws Exception {
        ControlConnection c = client();
        List<String> names = new ArrayList<>(List.of("pub/fifo", "pub/devzero"));
        if (device) {
            names.add("pub/zero");
        }
        for (String name : names) {
            assertThat(retr(c, name)).as("RETR " + name).startsWith("550 ");
            assertThat(c.command("HASH " + name).toString()).as("HASH " + name).startsWith("550 ");
            assertThat(stor(c, "APPE " + name)).as("APPE " + name).startsWith("550 ");
            assertThat(c.command("REST 1").code()).isEqualTo(350);
            assertThat(stor(c, "STOR " + name)).as("REST 1 + STOR " + name).startsWith("550 ");
            assertThat(c.command("SIZE " + name).toString()).as("SIZE " + name).startsWith("550 ");
        }
        assertThat(c.command("MDTM pub/fifo").code()).isEqualTo(213);
        String listing = list(c, "LIST pub");
        assertThat(listing).contains("fifo", "devzero", "plain.txt");
        assertThat(list(c, "MLSD pub")).contains("fifo");
        assertThat(retr(c, "pub/plain.txt")).startsWith("226");

        // STOR replaces the FIFO's name with a regular file, as it replaces any file: nothing is opened but the new file.
        assertThat(stor(c, "STOR pub/fifo2")).startsWith("226");
        assertThat(root.resolve("pub/fifo2")).isRegularFile().hasContent("data");
        if (device) {
            assertThat(Files.isRegularFile(root.resolve("pub/zero"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
        c.command("QUIT", 221);
        closeAllAndCheckResources();
    }

    private void closeAllAndCheckResources() {
        clients.forEach(ControlConnection::close);
        ResourceBaseline.awaitNoSessions(server::sessionCount);
        baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
    }

    /** The final reply of a RETR ("226 ..." or "550 ..."), reading at most 1 MiB: /dev/zero must not be sent. */
    private static String retr(ControlConnection c, String name) throws IOException {
        try (Socket data = c.openPassive()) {
            Reply r = c.command("RETR " + name);
            if (r.code() != 150) {
                return r.toString();
            }
            byte[] got = data.getInputStream().readNBytes(1 << 20);
            if (got.length == 1 << 20) {
                return "endless data from " + name;
            }
            return c.reply().toString();
        }
    }

    private static String stor(ControlConnection c, String command) throws IOException {
        try (Socket data = c.openPassive()) {
            Reply r = c.command(command);
            if (r.code() != 150) {
                return r.toString();
            }
            data.getOutputStream().write("data".getBytes(StandardCharsets.UTF_8));
            data.shutdownOutput();
            return c.reply().toString();
        }
    }

    private static String list(ControlConnection c, String command) throws IOException {
        try (Socket data = c.openPassive()) {
            c.command(command, 150);
            String text = new String(ControlConnection.readAll(data), StandardCharsets.UTF_8);
            c.expect(226);
            return text;
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }

    /**
     * If a server did open the FIFO, its thread waits for the other end; opening the FIFO without
     * blocking from both sides lets such threads go, so that a failing run ends.
     */
    private static void releaseBlockedReaders(Path fifo) {
        byte[] path = fifo.toString().getBytes(StandardCharsets.UTF_8);
        for (int mode : new int[] {LinuxCalls.O_WRONLY, LinuxCalls.O_RDONLY}) {
            try {
                LinuxCalls.close(LinuxCalls.openat(LinuxCalls.AT_FDCWD, path, mode | LinuxCalls.O_NONBLOCK | LinuxCalls.O_CLOEXEC, 0));
            } catch (ErrnoException nobodyWaits) {
                // ENXIO for a writer when nobody reads: the usual case
            }
        }
    }
}
