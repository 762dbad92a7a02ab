package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jftp.client.support.JftpdTest;
import dev.jftp.client.support.LegacyFtpServer;
import dev.jftp.client.support.SftpTestServer;
import dev.jftp.client.support.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real program (the shaded jar) on a real pseudo-terminal, driven through tmux as a person
 * would type: the password prompt does not echo, Tab completes commands and remote and local
 * paths, a download shows sftp's progress meter, errors show before the program ends, and Ctrl-C
 * stops a whole command (or, while connecting, the program); over SFTP, the host key questions
 * and warnings as ssh shows them.
 */
class InteractiveIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final int MEGABYTES = 16;

    @TempDir
    Path base;
    private Path socket;
    private TestServer server;
    private boolean tmuxStarted;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(tmuxInstalled(), "SKIPPED: tmux is not installed (bin/lib/install-peers.sh installs it); the interactive program was not tested");
        server = TestServer.start(Files.createDirectories(base.resolve("root")));
        socket = base.resolve("tmux.sock");
    }

    @AfterEach
    void stop() throws Exception {
        if (tmuxStarted) {
            tmux("kill-server"); // only the server on our own socket
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(180)
    void aPersonLogsInCompletesAndWatchesTheProgress() throws Exception {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/jftp.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
        JftpdTest.randomFile(server.root().resolve("bigfile.bin"), MEGABYTES);
        Path local = Files.createDirectories(base.resolve("local"));
        Files.createDirectories(local.resolve("subdir"));
        Path home = Files.createDirectories(base.resolve("home"));
        String java = ProcessHandle.current().info().command().orElse("java");
        String program = "cd " + local + " && HOME=" + home + " " + java + " -jar " + jar + " -P " + server.port()
                + " alice@127.0.0.1; echo JFTP-EXIT=$?; sleep 120";
        tmux("new-session", "-d", "-s", "jftp", "-x", "150", "-y", "40", program);
        tmuxStarted = true;

        String afterLogin = logIn();
        assertThat(afterLogin).contains("Connected to 127.0.0.1.").doesNotContain(TestServer.PASSWORD);

        type("ge");
        keys("Tab");
        // (capture-pane drops trailing blanks, so the space completion adds is not seen)
        waitFor("the completed command word", STEP, s -> s.contains("jftp> get"));
        type("bigf");
        keys("Tab");
        waitFor("the completed remote file name", STEP, s -> s.contains("jftp> get bigfile.bin"));
        keys("Enter");
        String done = waitFor("the finished progress meter", STEP, s -> s.contains("100%"));
        assertThat(done).containsPattern("bigfile\\.bin +100% +" + MEGABYTES + "MB +[0-9.]+[KMG]?B/s +\\d\\d:\\d\\d");
        waitFor("the prompt after the download", STEP, s -> s.strip().endsWith("jftp>"));
        assertThat(Files.size(local.resolve("bigfile.bin"))).isEqualTo(MEGABYTES * 1024L * 1024);

        type("lcd sub");
        keys("Tab");
        waitFor("the completed local directory", STEP, s -> s.contains("jftp> lcd subdir/"));
        keys("Enter");
        type("lpwd");
        keys("Enter");
        waitFor("the new local directory", STEP, s -> s.contains("Local working directory: " + local.resolve("subdir")));

        type("bye");
        keys("Enter");
        String end = waitFor("the program to end", STEP, s -> s.contains("JFTP-EXIT="));
        assertThat(end).contains("JFTP-EXIT=0").doesNotContain(TestServer.PASSWORD);
        assertThat(Files.readString(home.resolve(".jftp_history"))).contains("get bigfile.bin").doesNotContain(TestServer.PASSWORD);
    }

    /**
     * Starts jftp with {@code arguments} in a tmux pane, in {@code local} with {@code home} as
     * HOME. The shell around it survives a Ctrl-C (a trap, which jftp does not inherit) and prints
     * jftp's exit status as JFTP-EXIT=N.
     */
    private void startJftp(Path local, Path home, String arguments) throws Exception {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/jftp.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path script = Files.writeString(base.resolve("run-jftp.sh"), "trap 'true' INT\n"
                + "cd '" + local + "' && HOME='" + home + "' '" + java + "' -jar '" + jar + "' " + arguments + "\n"
                + "echo JFTP-EXIT=$?\nsleep 120\n");
        tmux("new-session", "-d", "-s", "jftp", "-x", "150", "-y", "40", "bash " + script);
        tmuxStarted = true;
    }

    /** Types alice's password at the prompt; returns the screen once the jftp prompt shows. */
    private String logIn() throws Exception {
        waitFor("the password prompt", STARTUP, s -> s.contains("alice@127.0.0.1's password:"));
        type(TestServer.PASSWORD);
        keys("Enter");
        return waitFor("the prompt after login", STEP, s -> s.contains("jftp>"));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    @Timeout(120)
    void aClosedPortIsReportedOnTheTerminalWithoutAPasswordPrompt() throws Exception {
        Path home = Files.createDirectories(base.resolve("home"));
        int port = closedPort();
        startJftp(home, home, "-P " + port + " alice@127.0.0.1");
        String end = waitFor("the program to end", STARTUP, s -> s.contains("JFTP-EXIT="));
        assertThat(end).contains("Connection to 127.0.0.1 port " + port + " refused").contains("JFTP-EXIT=1")
                .as("ssh and sftp fail before they ask").doesNotContain("password:");
    }

    @Test
    @Timeout(120)
    void threeWrongPasswordsEndWithAMessageOnTheTerminal() throws Exception {
        Path home = Files.createDirectories(base.resolve("home"));
        startJftp(home, home, "-P " + server.port() + " alice@127.0.0.1");
        for (int attempt = 1; attempt <= 3; attempt++) {
            int shown = attempt;
            waitFor("password prompt " + attempt, STARTUP, s -> count(s, "alice@127.0.0.1's password:") == shown);
            type("wrong" + attempt);
            keys("Enter");
        }
        String end = waitFor("the program to end", STEP, s -> s.contains("JFTP-EXIT="));
        assertThat(end).contains("Permission denied, please try again.").contains("alice@127.0.0.1: Permission denied (3 failed logins).")
                .contains("JFTP-EXIT=1");
    }

    /**
     * An SFTP login costs the JVM about 2.5 s of CPU (MINA, Bouncy Castle, the key exchange); on
     * a machine shared with benchmarks that was 50 s of wall time.
     */
    private static final Duration SFTP_STARTUP = Duration.ofSeconds(240);

    /** The SFTP server for the host key tests, started by the test that needs it. */
    private SftpTestServer sftpServer;

    @AfterEach
    void stopSftp() throws Exception {
        if (sftpServer != null) {
            sftpServer.close();
        }
    }

    /**
     * The SFTP host key prompt as ssh shows it, on a real terminal: an unknown key is shown with
     * its fingerprint and asked about once; yes stores it (then the password prompt, a transfer);
     * the next session asks nothing.
     */
    @Test
    @Timeout(900)
    void sftpAsksOnceAboutAnUnknownHostKeyStoresItAndThenAsksNoMore() throws Exception {
        sftpServer = SftpTestServer.start(Files.createDirectories(base.resolve("sshd")));
        Path local = Files.createDirectories(base.resolve("local"));
        Path home = Files.createDirectories(base.resolve("home"));
        Files.writeString(local.resolve("hello.txt"), "hello over sftp");
        String destination = "sftp://" + SftpTestServer.USER + "@127.0.0.1:" + sftpServer.port();
        startJftp(local, home, destination);
        String question = waitFor("the host key question", SFTP_STARTUP, s -> s.contains("(yes/no/[fingerprint])?"));
        assertThat(question).contains("The authenticity of host '[127.0.0.1]:" + sftpServer.port() + " ([127.0.0.1]:" + sftpServer.port()
                + ")' can't be established.").containsPattern("ED25519 key fingerprint is SHA256:[A-Za-z0-9+/]{43}\\.")
                .contains("This key is not known by any other names.");
        type("yes");
        keys("Enter");
        waitFor("the password prompt", SFTP_STARTUP, s -> s.contains(SftpTestServer.USER + "@127.0.0.1's password:"));
        assertThat(screen()).contains("Warning: Permanently added '[127.0.0.1]:" + sftpServer.port() + "' (ED25519) to the list of known hosts.");
        type(sftpServer.password());
        keys("Enter");
        waitFor("the prompt after login", SFTP_STARTUP, s -> s.contains("jftp>"));
        type("put hello.txt");
        keys("Enter");
        waitFor("the upload", SFTP_STARTUP, s -> s.contains("100%"));
        type("bye");
        keys("Enter");
        assertThat(waitFor("the program to end", SFTP_STARTUP, s -> s.contains("JFTP-EXIT="))).contains("JFTP-EXIT=0")
                .doesNotContain(sftpServer.password());
        assertThat(sftpServer.file("hello.txt")).hasContent("hello over sftp");
        assertThat(home.resolve(".ssh/known_hosts")).content().isEqualTo(sftpServer.knownHostsLine() + "\n");

        tmux("kill-session", "-t", "jftp");
        startJftp(local, home, "-i " + sftpServer.clientKey + " " + destination);
        waitFor("the prompt after login", SFTP_STARTUP, s -> s.contains("jftp>"));
        assertThat(screen()).as("known now: no question, and a key needs no password").doesNotContain("(yes/no").doesNotContain("password:");
        type("bye");
        keys("Enter");
        assertThat(waitFor("the program to end", SFTP_STARTUP, s -> s.contains("JFTP-EXIT="))).contains("JFTP-EXIT=0");
    }

    /** A changed host key on a terminal: ssh's warning, no question, nothing sent, exit 1; -b never asks about an unknown one. */
    @Test
    @Timeout(900)
    void sftpRefusesAChangedHostKeyLoudlyAndBatchModeAnUnknownOneWithoutAsking() throws Exception {
        sftpServer = SftpTestServer.start(Files.createDirectories(base.resolve("sshd")));
        Path home = Files.createDirectories(base.resolve("home"));
        Path other = base.resolve("other_key");
        SftpTestServer.keygen(other, "ed25519", "");
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/known_hosts"),
                "[127.0.0.1]:" + sftpServer.port() + " " + Files.readString(Path.of(other + ".pub")).strip() + "\n");
        String destination = "sftp://" + SftpTestServer.USER + "@127.0.0.1:" + sftpServer.port();
        startJftp(home, home, "-i " + sftpServer.clientKey + " " + destination);
        String end = waitFor("the program to end", SFTP_STARTUP, s -> s.contains("JFTP-EXIT="));
        assertThat(end).contains("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!").contains("Host key verification failed.")
                .contains("JFTP-EXIT=1").doesNotContain("(yes/no").doesNotContain("jftp>");

        tmux("kill-session", "-t", "jftp");
        Files.delete(home.resolve(".ssh/known_hosts"));
        Path batch = Files.writeString(base.resolve("batch.txt"), "mkdir never\n");
        startJftp(home, home, "-b " + batch + " -i " + sftpServer.clientKey + " " + destination);
        String refused = waitFor("the batch to end", SFTP_STARTUP, s -> s.contains("JFTP-EXIT="));
        assertThat(refused).contains("No ED25519 host key is known for [127.0.0.1]:" + sftpServer.port())
                .contains("Host key verification failed.").contains("JFTP-EXIT=1").doesNotContain("(yes/no");
        assertThat(sftpServer.file("never")).doesNotExist();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    @Timeout(180)
    void ctrlCStopsAWholeGetAndTheSessionGoesOn() throws Exception {
        Path remote = Files.createDirectories(base.resolve("legacy"));
        for (String name : List.of("a.bin", "b.bin", "c.bin")) {
            JftpdTest.randomFile(remote.resolve(name), 4);
        }
        Path local = Files.createDirectories(base.resolve("local"));
        Path home = Files.createDirectories(base.resolve("home"));
        // 16 KiB every 20 ms: each file takes seconds however fast the machine, so Ctrl-C lands in the first.
        try (LegacyFtpServer slow = new LegacyFtpServer(remote).paced(16 * 1024, 20)) {
            startJftp(local, home, "-P " + slow.port() + " alice@127.0.0.1");
            logIn();
            type("get *.bin");
            keys("Enter");
            // (a download writes in 512 KiB steps: past 0% its part file has bytes to keep)
            waitFor("the first file partly written", STEP, s -> s.matches("(?s).*a\\.bin +[1-9][0-9]*%.*"));
            keys("C-c");
            String after = waitFor("the command to stop", STEP, s -> s.contains("get: interrupted"));
            assertThat(after).contains("Partial download kept in").doesNotContain("Fetching b.bin").doesNotContain("server said");
            waitFor("the prompt again", STEP, s -> s.strip().endsWith("jftp>"));
            type("lpwd");
            keys("Enter");
            waitFor("the session going on", STEP, s -> s.contains("Local working directory: " + local));
            type("bye");
            keys("Enter");
            String end = waitFor("the program to end", STEP, s -> s.contains("JFTP-EXIT="));
            assertThat(end).contains("JFTP-EXIT=0");
        }
        try (var files = Files.list(local)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".a.bin.jftp-part");
        }
    }

    /** A server that accepts connections and never greets; counts them. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final Thread thread = Thread.ofVirtual().start(this::accept);

        SilentServer() throws IOException {
        }

        private void accept() {
            for (int i = 0; i < 10 && !listener.isClosed(); i++) {
                try {
                    accepted.add(listener.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            for (Socket s : accepted) {
                s.close();
            }
            thread.join(Duration.ofSeconds(10));
        }
    }

    private static void waitUntil(String what, Duration limit, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + limit.toSeconds() + " s for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    @Timeout(180)
    void ctrlCWhileConnectingEndsTheProgram() throws Exception {
        Path home = Files.createDirectories(base.resolve("home"));
        try (SilentServer silent = new SilentServer()) {
            startJftp(home, home, "-P " + silent.port() + " alice@127.0.0.1");
            waitUntil("jftp to connect", STARTUP, () -> !silent.accepted.isEmpty());
            Thread.sleep(200); // it now waits for the greeting
            keys("C-c");
            String end = waitFor("the program to end", STEP, s -> s.contains("JFTP-EXIT="));
            assertThat(end).contains("JFTP-EXIT=130").as("no password asked before the server greeted").doesNotContain("password:");
        }
    }

    @Test
    @Timeout(180)
    void ctrlCStopsAnOpenAndTheHistoryKeepsNoPassword() throws Exception {
        Path home = Files.createDirectories(base.resolve("home"));
        try (SilentServer silent = new SilentServer()) {
            startJftp(home, home, "");
            waitFor("the prompt", STARTUP, s -> s.contains("jftp>"));
            type("open alice@127.0.0.1 " + silent.port());
            keys("Enter");
            waitUntil("jftp to connect", STEP, () -> !silent.accepted.isEmpty());
            Thread.sleep(200);
            keys("C-c");
            waitFor("the open to stop", STEP, s -> s.contains("open: interrupted"));
        }
        String url = "ftp://alice:" + TestServer.PASSWORD + "@127.0.0.1:" + server.port() + "/";
        type("open " + url);
        keys("Enter");
        waitFor("the login", STEP, s -> s.contains("Connected to 127.0.0.1."));
        type("bye");
        keys("Enter");
        waitFor("the program to end", STEP, s -> s.contains("JFTP-EXIT=0"));
        Path history = home.resolve(".jftp_history");
        assertThat(Files.readString(history)).contains("open ftp://alice@127.0.0.1:" + server.port() + "/")
                .doesNotContain(TestServer.PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
    }

    private void type(String text) throws Exception {
        tmux("send-keys", "-t", "jftp", "-l", text);
    }

    private void keys(String key) throws Exception {
        tmux("send-keys", "-t", "jftp", key);
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", "jftp", "-S", "-200");
    }

    /** Polls the screen until it shows what is expected; bounded by {@code limit}. */
    private String waitFor(String what, Duration limit, Predicate<String> shown) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = screen();
            if (shown.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        fail("waited " + limit.toSeconds() + " s for " + what + "; the screen shows:\n" + last);
        return last;
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("tmux " + args[0] + " did not finish");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + text);
        }
        return text;
    }

    private static boolean tmuxInstalled() {
        try {
            Process process = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
