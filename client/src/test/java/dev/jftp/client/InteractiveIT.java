package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jftp.client.support.JftpdTest;
import dev.jftp.client.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * paths, and a download shows sftp's progress meter.
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

        waitFor("the password prompt", STARTUP, s -> s.contains("alice@127.0.0.1's password:"));
        type(TestServer.PASSWORD);
        keys("Enter");
        String afterLogin = waitFor("the prompt after login", STEP, s -> s.contains("jftp>"));
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
