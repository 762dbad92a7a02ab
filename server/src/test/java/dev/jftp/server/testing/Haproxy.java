package dev.jftp.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy for tests: Debian's package, fetched once into {@code peers/} by
 * {@code bin/lib/fetch-haproxy.sh} (never installed), run in the foreground with a configuration
 * the test writes, and stopped when closed.
 */
public final class Haproxy implements AutoCloseable {
    private static final Duration FETCH_LIMIT = Duration.ofMinutes(5);
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;

    private Haproxy(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The runnable HAProxy (a wrapper script), fetched the first time; skips the test, saying why,
     * when it cannot be fetched here (no Debian package source, no network to it).
     */
    public static Path binary() throws IOException {
        Path root = projectRoot();
        ExternalCommand.Result result = ExternalCommand.in(root).timeout(FETCH_LIMIT).run(root.resolve("bin/lib/fetch-haproxy.sh").toString());
        assumeTrue(result.exit() == 0, () -> "HAProxy could not be fetched, so this test is skipped: " + result.stderr().strip());
        return Path.of(result.stdout().strip());
    }

    /**
     * Starts HAProxy with {@code config} (written to {@code directory}) and waits until {@code ready}
     * accepts connections (one of its frontends).
     */
    public static Haproxy start(Path directory, String config, InetSocketAddress ready) throws IOException, InterruptedException {
        return start(directory, config, java.util.Map.of(), ready);
    }

    /**
     * As {@link #start(Path, String, InetSocketAddress)}, with {@code env} in HAProxy's environment:
     * a configuration may name addresses as {@code "${NAME}"}, which HAProxy expands itself.
     */
    public static Haproxy start(Path directory, String config, java.util.Map<String, String> env, InetSocketAddress ready)
            throws IOException, InterruptedException {
        Path binary = binary();
        Files.createDirectories(directory);
        Path file = directory.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Path log = directory.resolve("haproxy.log");
        ExternalCommand checker = ExternalCommand.in(directory).timeout(START_LIMIT);
        for (java.util.Map.Entry<String, String> e : env.entrySet()) {
            checker = checker.env(e.getKey(), e.getValue());
        }
        ExternalCommand.Result check = checker.run(binary.toString(), "-c", "-f", file.toString());
        if (check.exit() != 0) {
            throw new AssertionError("haproxy refused the configuration:\n" + check.describe() + "\n--- haproxy.cfg:\n" + config);
        }
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-db", "-f", file.toString())
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        Haproxy haproxy = new Haproxy(process, log);
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(ready, 1_000);
                return haproxy;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    haproxy.close();
                    throw new AssertionError("haproxy did not listen on " + ready + " within " + START_LIMIT.toSeconds() + " s:\n"
                            + haproxy.output());
                }
                Thread.sleep(50);
            }
        }
    }

    /** What HAProxy printed so far (warnings, alerts). */
    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A port free on 127.0.0.1 just now, for a frontend. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static Path projectRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("bin/lib/fetch-haproxy.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("no bin/lib/fetch-haproxy.sh above " + Path.of("").toAbsolutePath());
    }
}
