package dev.jftp.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL server of the test's own: {@code initdb} in a temporary directory, started with
 * {@code pg_ctl} on a free port of 127.0.0.1 (no Unix socket outside that directory), password
 * authentication (SCRAM) for TCP, stopped and deleted after the test class. PostgreSQL refuses to
 * run as root, so as root it runs as the {@code postgres} system user ({@code runuser}). Register
 * it as a static field:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final TemporaryPostgres postgres = new TemporaryPostgres();
 * ... postgres.url() ...
 * </pre>
 *
 * The test class is skipped, saying why, only when no PostgreSQL binaries exist
 * ({@code /usr/lib/postgresql/VERSION/bin} or {@code pg_ctl} on the PATH; Debian: {@code apt-get
 * install postgresql}). {@link #stop()} and {@link #start()} let a test take the database away and
 * bring it back on the same port.
 */
public final class TemporaryPostgres implements BeforeAllCallback, AfterAllCallback {
    public static final String USER = "jftp";
    /** The superuser's password: tests check it never shows in a message or a log line. */
    public static final String PASSWORD = "pg-secret-7f3a9c";
    public static final String DATABASE = "jftp";
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(90);

    private Path bin;
    private Path directory;
    private Path data;
    private int port;
    private volatile boolean running;
    private Thread stopAtExit;
    private final AtomicInteger databases = new AtomicInteger();

    /** The newest PostgreSQL's bin directory on this machine, if any. */
    public static Optional<Path> findBinaries() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(TemporaryPostgres::majorVersion));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                // fall through to the PATH
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
                return Optional.of(Path.of(dir));
            }
        }
        return Optional.empty();
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Path> found = findBinaries();
        assumeTrue(found.isPresent(), "no PostgreSQL binaries on this machine (neither /usr/lib/postgresql/*/bin nor initdb and"
                + " pg_ctl on the PATH), so the PostgreSQL tests are skipped; Debian: apt-get install postgresql");
        bin = found.get();
        boolean root = "root".equals(System.getProperty("user.name"));
        directory = Files.createTempDirectory("jftp-postgres");
        data = directory.resolve("data");
        if (root) {
            // The server runs as 'postgres': it must own the directory where initdb makes 'data'.
            UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(directory, postgres);
        }
        Path passwordFile = directory.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
        run("initdb", "-D", data.toString(), "-U", USER, "--pwfile=" + passwordFile, "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
        Files.delete(passwordFile);
        port = freePort();
        // Should the test JVM be stopped before afterAll (a surefire timeout), stop the server anyway.
        Path dataDirectory = data;
        Path bin = this.bin;
        stopAtExit = new Thread(() -> {
            if (running) {
                try {
                    new ProcessBuilder(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-m", "immediate",
                            "stop")).start().waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    // exiting anyway
                }
            }
        }, "stop-temporary-postgres");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
        start();
        run("psql", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                "-c", "CREATE DATABASE " + DATABASE);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (directory == null) {
            return;
        }
        try {
            stop();
        } finally {
            if (stopAtExit != null) {
                Runtime.getRuntime().removeShutdownHook(stopAtExit);
            }
            deleteTree(directory);
        }
    }

    /** Starts the server (again), on the same port; waits until it accepts connections. */
    public void start() throws IOException {
        run("pg_ctl", "-D", data.toString(), "-l", directory.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + directory
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60",
                "start");
        running = true;
    }

    /** Stops the server (fast shutdown: sessions are ended at once) and waits until it has. */
    public void stop() throws IOException {
        if (running) {
            run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
            running = false;
        }
    }

    /** {@code postgresql://jftp:PASSWORD@127.0.0.1:PORT/jftp}, the form {@code --users} takes. */
    public String url() {
        return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A new, empty database of its own for one test; returns its URL. */
    public String newDatabase() throws IOException {
        String name = "t" + databases.incrementAndGet();
        psql("CREATE DATABASE " + name);
        return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + name;
    }

    public int port() {
        return port;
    }

    /** Runs SQL in the main database through psql as the superuser; returns its unaligned output. */
    public String psql(String sql) throws IOException {
        return psql(DATABASE, sql);
    }

    /** Runs SQL in {@code database} through psql as the superuser; returns its unaligned output. */
    public String psql(String database, String sql) throws IOException {
        return run("psql", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", database, "-v", "ON_ERROR_STOP=1",
                "-At", "-c", sql);
    }

    /** The command, run as the postgres user when we are root (PostgreSQL refuses to run as root). */
    private static List<String> asPostgres(String... command) {
        List<String> result = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            result.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        result.addAll(List.of(command));
        return result;
    }

    private String run(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        command = asPostgres(command.toArray(String[]::new));
        ExternalCommand.Result result = ExternalCommand.in(directory).timeout(COMMAND_LIMIT)
                .env("PGPASSWORD", PASSWORD).run(command);
        if (result.exit() != 0) {
            String log = Files.exists(directory.resolve("server.log")) ? Files.readString(directory.resolve("server.log")) : "";
            throw new IOException(result.describe() + "\n--- server.log:\n" + log);
        }
        return result.stdout();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
