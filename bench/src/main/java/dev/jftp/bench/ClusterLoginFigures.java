package dev.jftp.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Figure 8: logins per second through HAProxy (TCP mode, {@code send-proxy-v2}) into a jftpd whose
 * accounts are in PostgreSQL ({@code --users postgresql://...}, {@code --proxy-protocol}), next to
 * jftpd's "login" figure with a command-line account: <b>cached</b>, the same user again and again
 * (the verified-login cache answers, the database is not asked), and <b>cold</b>, every login a
 * user never seen before (one database lookup and one PBKDF2 check of 600,000 iterations each).
 *
 * <p>The PostgreSQL is one of the run's own ({@code initdb} in the work directory, as the
 * {@code postgres} user when bench runs as root; fsync off, as for the tests), on loopback; the
 * HAProxy is Debian's package, fetched into {@code peers/} by {@code bin/lib/fetch-haproxy.sh}.
 * Either missing: the rows are not measured and the report says why.
 */
final class ClusterLoginFigures {
    private static final String DB_USER = "bench";
    private static final String DB_NAME = "jftpd";
    /** Users for the cold figure: more than 50 workers can log in within the measured seconds on this machine. */
    private static final int COLD_USERS = 20_000;

    private ClusterLoginFigures() {
    }

    static void measure(Bench.Options o, Results results, Path postgresBin, Path haproxy) throws Exception {
        if (postgresBin == null || !Files.isExecutable(postgresBin.resolve("initdb"))) {
            skip(results, "no PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
            return;
        }
        if (haproxy == null || !Files.isExecutable(haproxy)) {
            skip(results, "HAProxy could not be fetched (bin/lib/fetch-haproxy.sh)");
            return;
        }
        Path dir = o.work().resolve("cluster-login");
        deleteTree(dir);
        Files.createDirectories(dir);
        String dbPassword = "b" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        Postgres pg = Postgres.start(postgresBin, dir, dbPassword, freePort());
        try {
            String url = "postgresql://" + DB_USER + ":" + dbPassword + "@127.0.0.1:" + pg.port + "/" + DB_NAME;
            String password = o.password();
            // The schema and the cached user through the command line, as an operator would ...
            Process add = new ProcessBuilder(o.java().toString(), "-jar", o.jftpdJar().toString(), "user", "add", Servers.USER,
                    "--users", url).redirectErrorStream(true).redirectOutput(dir.resolve("user-add.log").toFile()).start();
            try (OutputStream in = add.getOutputStream()) {
                in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (!add.waitFor(120, TimeUnit.SECONDS) || add.exitValue() != 0) {
                throw new IOException("jftpd user add failed: " + Files.readString(dir.resolve("user-add.log")));
            }
            // ... and the cold users by SQL, with the same hash (hashing 20,000 passwords would take an hour).
            pg.psql("INSERT INTO jftpd_accounts (name, password_hash, home, permissions) SELECT 'cold' || g, password_hash, home,"
                    + " permissions FROM jftpd_accounts, generate_series(1, " + COLD_USERS + ") g WHERE name = '" + Servers.USER + "'");

            int port = o.port("jftpd") + 20;
            List<String> cmd = new ArrayList<>();
            cmd.add(o.java().toString());
            cmd.addAll(o.jftpdJavaOpts());
            cmd.addAll(List.of("-jar", o.jftpdJar().toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    // HAProxy connects from 127.0.0.2 (its 'source'), the only address trusted to send a
                    // PROXY header; the start-up probe, from 127.0.0.1, is then a direct client.
                    "--root", o.root().toString(), "--users", url, "--proxy-protocol", "--trusted-proxies", "127.0.0.2",
                    "--max-sessions", "20000", "--max-sessions-per-ip", "20000"));
            Servers.Spec spec = new Servers.Spec("jftpd", "jftpd", "PBKDF2-HMAC-SHA256, 600,000 iterations, accounts in PostgreSQL",
                    Servers.USER, password, "up-jftpd", null, cmd, Map.of(), o.work().resolve("jftpd-postgres.log"));
            try (Servers.Running node = Servers.start(spec, port)) {
                int frontend = freePort();
                Path config = dir.resolve("haproxy.cfg");
                Files.writeString(config, """
                        global
                            # 50 workers; HAProxy needs two descriptors per connection and refuses to start without them
                            maxconn 2000
                        defaults
                            mode tcp
                            timeout connect 5s
                            timeout client 60s
                            timeout server 60s
                        frontend ftp
                            bind 127.0.0.1:%d
                            default_backend jftpd
                        backend jftpd
                            server node1 127.0.0.1:%d send-proxy-v2 source 127.0.0.2
                        """.formatted(frontend, port));
                Process proxy = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
                try {
                    awaitPort(frontend, proxy, dir.resolve("haproxy.log"));
                    // The server is measured (CPU, memory) as for every figure; clients go to HAProxy.
                    Servers.Running viaProxy = new Servers.Running(spec, node.process(), new InetSocketAddress("127.0.0.1", frontend),
                            node.cpu());
                    Figures.LoginResult[] cached = new Figures.LoginResult[1];
                    Bench.Sample cachedSample = Bench.best(node, o.runs(), true, () -> {
                        Figures.LoginResult r = Figures.logins(viaProxy, Bench.LOGIN_WORKERS, o.loginSeconds());
                        cached[0] = r;
                        return r.perSecond();
                    }, pause());
                    AtomicInteger next = new AtomicInteger();
                    Figures.LoginResult[] cold = new Figures.LoginResult[1];
                    Bench.Sample coldSample = Bench.best(node, o.runs(), true, () -> {
                        Figures.LoginResult r = Figures.logins(viaProxy, Bench.LOGIN_WORKERS, o.loginSeconds(),
                                () -> "cold" + (next.incrementAndGet() % COLD_USERS + 1));
                        cold[0] = r;
                        return r.perSecond();
                    }, pause());
                    add(results, o, "login_pg_cached", "logins/s through HAProxy, accounts in PostgreSQL, cached (" + Bench.LOGIN_WORKERS
                            + " workers, " + (int) o.loginSeconds() + " s)", cachedSample, cached[0]);
                    add(results, o, "login_pg_cold", "logins/s through HAProxy, accounts in PostgreSQL, cold: each login a new user",
                            coldSample, cold[0]);
                    if (next.get() >= COLD_USERS) {
                        results.fact("login_pg_note", "the cold run used more logins than there are cold users: later ones were cached");
                    }
                } finally {
                    proxy.destroy();
                    proxy.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            skip(results, "it failed: " + e.getMessage().replace(dbPassword, "***"));
            System.out.println("bench: the PostgreSQL login figure failed: " + e.getMessage().replace(dbPassword, "***"));
        } finally {
            pg.stop();
            deleteTree(dir);
        }
    }

    private static Bench.Body pause() {
        return () -> {
            Thread.sleep(1000); // let the server finish closing the last sessions
            return 0;
        };
    }

    private static void add(Results results, Bench.Options o, String figure, String label, Bench.Sample sample, Figures.LoginResult r)
            throws IOException {
        results.add(new Results.Row("jftpd", figure, label, sample.value(), "sessions/s", "higher", sample.cpuSeconds(), sample.peakKb(),
                -1, o.runs(), r == null || r.failed() == 0 ? "" : r.failed() + " failed, first: " + r.firstError(),
                sample.value(), sample.value(), sample.value(), String.format(java.util.Locale.ROOT, "%.2f", sample.load1())));
    }

    private static void skip(Results results, String why) throws IOException {
        results.fact("login_pg_skipped", "the PostgreSQL login figures were not measured: " + why);
        System.out.println("bench: PostgreSQL login figures skipped: " + why);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("HAProxy did not listen on " + port + ": " + Files.readString(log).strip());
                }
                Thread.sleep(50);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A PostgreSQL of the run's own, in {@code dir/pg} (as 'postgres' when root: it refuses to run as root). */
    private record Postgres(Path bin, Path dir, String password, int port) {
        static Postgres start(Path bin, Path parent, String password, int port) throws IOException, InterruptedException {
            Path dir = Files.createDirectories(parent.resolve("pg"));
            if (root()) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            Path pwfile = dir.resolve("pw");
            Files.writeString(pwfile, password + "\n");
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-r--r--"));
            Postgres pg = new Postgres(bin, dir, password, port);
            pg.run("initdb", "-D", dir.resolve("data").toString(), "-U", DB_USER, "--pwfile=" + pwfile, "--auth-local=trust",
                    "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
            Files.delete(pwfile);
            pg.run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off -c synchronous_commit=off"
                            + " -c full_page_writes=off -c max_connections=100", "start");
            pg.psqlIn("postgres", "CREATE DATABASE " + DB_NAME);
            return pg;
        }

        void stop() {
            try {
                run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "-t", "60", "stop");
            } catch (IOException | InterruptedException e) {
                System.out.println("bench: stopping PostgreSQL: " + e.getMessage());
            }
        }

        void psql(String sql) throws IOException, InterruptedException {
            psqlIn(DB_NAME, sql);
        }

        private void psqlIn(String database, String sql) throws IOException, InterruptedException {
            run("psql", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", DB_USER, "-d", database, "-v", "ON_ERROR_STOP=1", "-q",
                    "-c", sql);
        }

        private static boolean root() {
            return "root".equals(System.getProperty("user.name"));
        }

        private void run(String program, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            if (root()) {
                command.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            command.add(bin.resolve(program).toString());
            command.addAll(List.of(args));
            Path log = dir.resolve("commands.log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("PGPASSWORD", password);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(program + " failed: " + Files.readString(log).replace(password, "***"));
            }
        }
    }
}
