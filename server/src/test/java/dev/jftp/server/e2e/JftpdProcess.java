package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code bin/jftpd} script run as a process, as a user would run it. It is started from
 * the project root's script with a working directory of the test's choosing, and is ready once it
 * printed its {@code jftpd listening on HOST:PORT} line.
 *
 * <p>These tests run in the integration-test phase, right after Maven packaged the jar, so the
 * script must find the jar fresh. {@code JFTP_NO_BUILD=1} makes the script fail instead of starting
 * a nested Maven build should its freshness check ever think otherwise.
 */
final class JftpdProcess implements AutoCloseable {
    static final Pattern LISTENING = Pattern.compile("jftpd listening on (\\S+):(\\d+)");
    /** JVM start plus PBKDF2 hashing of --user passwords on a busy two-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Process process;
    private final Path stderrFile;
    private final List<String> stdoutLines = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> stdoutClosed = new CompletableFuture<>();
    private final String host;
    private final int port;

    private JftpdProcess(Process process, Path stderrFile) throws IOException {
        this.process = process;
        this.stderrFile = stderrFile;
        Thread.ofVirtual().name("jftpd-stdout").start(this::readStdout);
        Integer found;
        try {
            found = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("bin/jftpd printed no 'jftpd listening on' line within " + START_TIMEOUT.toSeconds()
                    + " s; stderr:\n" + stderr());
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Matcher m = LISTENING.matcher(stdoutLines.getFirst());
        assertThat(m.matches()).isTrue();
        this.host = m.group(1);
        this.port = found;
    }

    /** Starts {@code bin/jftpd ARGS} in {@code workDir}; waits until it listens. */
    static JftpdProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, Map.of(), args);
    }

    /**
     * As {@link #start(Path, String...)}, with {@code env} added to the environment (AWS
     * credentials, or a {@code JFTPD_JAVA_OPTS} other than the default {@code -Xmx512m}).
     */
    static JftpdProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(workDir);
        Path jar = jar();
        FileTime jarTime = Files.getLastModifiedTime(jar);
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.addAll(List.of(args));
        Path logs = Files.createDirectories(projectRoot().resolve("server/target/e2e-logs"));
        Path stderrFile = logs.resolve("jftpd-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + ".stderr.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectError(stderrFile.toFile());
        builder.environment().put("JFTP_NO_BUILD", "1");
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().put("JFTPD_JAVA_OPTS", "-Xmx512m");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        JftpdProcess jftpd = new JftpdProcess(process, stderrFile);
        assertThat(Files.getLastModifiedTime(jar)).as("bin/jftpd must use the jar Maven just packaged, not rebuild it").isEqualTo(jarTime);
        assertThat(jftpd.stderr()).as("bin/jftpd stderr").doesNotContain("jftp: building");
        return jftpd;
    }

    /** Runs {@code bin/jftpd ARGS} to completion (for sub-commands such as {@code user add}). */
    static ExternalCommand.Result run(Path workDir, String stdin, String... args) throws IOException {
        return runWithEnvironment(workDir, Map.of(), stdin, args);
    }

    /** As {@link #run(Path, String, String...)}, with {@code env} added to the environment. */
    static ExternalCommand.Result runWithEnvironment(Path workDir, Map<String, String> env, String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.addAll(List.of(args));
        ExternalCommand external = ExternalCommand.in(workDir).env("JFTP_NO_BUILD", "1");
        for (Map.Entry<String, String> e : env.entrySet()) {
            external = external.env(e.getKey(), e.getValue());
        }
        return external.stdin(stdin).timeout(Duration.ofSeconds(90)).run(command);
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                stdoutLines.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.matches()) {
                    ready.complete(Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException e) {
            // the process ended; what it printed is in stdoutLines
        } finally {
            stdoutClosed.complete(null);
            ready.completeExceptionally(new AssertionError("bin/jftpd ended without a 'jftpd listening on' line; stdout: "
                    + stdoutLines + "; stderr:\n" + stderr()));
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Every line the process wrote to standard output so far (complete once it has exited). */
    List<String> stdoutLines() {
        synchronized (stdoutLines) {
            return List.copyOf(stdoutLines);
        }
    }

    /** What the process wrote to standard error so far. */
    String stderr() {
        try {
            return Files.readString(stderrFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /** Waits up to {@code timeout} for a line of standard error containing {@code text}. */
    boolean awaitStderr(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stderr().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return stderr().contains(text);
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Waits up to {@code timeout} for standard error to match {@code pattern}; the match, or null. */
    Matcher awaitStderr(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = pattern.matcher(stderr());
            if (m.find()) {
                return m;
            }
            if (System.nanoTime() >= deadline || !process.isAlive()) {
                return null;
            }
            Thread.sleep(20);
        }
    }

    /** Sends SIGTERM (what {@link Process#destroy()} does on Unix). */
    void terminate() {
        process.destroy();
    }

    /** Waits for the exit; returns the exit status, or null if it has not exited within {@code timeout}. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        try {
            stdoutClosed.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the exit status is what matters here
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL if it has not gone after a while. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The project root: the nearest directory upwards holding bin/jftpd. */
    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("bin/jftpd"))) {
                return d;
            }
        }
        throw new IllegalStateException("no bin/jftpd above " + dir);
    }

    static Path script() {
        return projectRoot().resolve("bin/jftpd");
    }

    static Path jar() {
        Path jar = projectRoot().resolve("server/target/jftpd.jar");
        assertThat(jar).as("the packaged server jar (these tests run after 'package')").exists();
        return jar;
    }
}
