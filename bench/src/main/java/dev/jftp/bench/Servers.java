package dev.jftp.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The servers under test: how each is started on its own loopback port, and stopped. */
final class Servers {
    static final String USER = "bench";

    /**
     * Every server's idle timeout: an hour, longer than the largest concurrency step takes to
     * open. The defaults (vsftpd, pyftpdlib, Apache FtpServer and jftpd 5 minutes, Pure-FTPd 15)
     * closed the first sessions before the step sent its NOOPs in a run where vsftpd's 10,000
     * logins took 18 minutes (yescrypt, on a loaded machine): 2,893 held, not a measure of what it
     * can hold.
     */
    static final int IDLE_TIMEOUT_SECONDS = 3600;

    private Servers() {
    }

    /**
     * One server under test. {@code ftpUser} logs in with {@code password}; uploads go to {@code uploadDir}
     * (under the data root), which must belong to {@code systemUser} when the sessions run as that
     * system user (null: the server writes as root, as it was started).
     */
    record Spec(String name, String label, String hashing, String ftpUser, String password, String uploadDir,
                String systemUser, List<String> command, Map<String, String> env, Path log) {
    }

    /** A started server: its process (the root of its process tree) and address. */
    record Running(Spec spec, Process process, InetSocketAddress address, CpuMeter cpu) implements AutoCloseable {
        private void dumpFlightRecording() {
            if (JFR_DIR == null || !spec.name().equals("jftpd")) {
                return;
            }
            Path file = Path.of(JFR_DIR).toAbsolutePath().resolve(spec.name() + ".jfr");
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            try {
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "JFR.dump", "name=bench",
                        "filename=" + file).redirectErrorStream(true).start();
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
                System.out.println("bench: flight recording of " + spec.name() + " in " + file);
            } catch (IOException e) {
                System.out.println("bench: could not dump the flight recording: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long pid() {
            return process != null ? process.pid() : drivenPid;
        }

        @Override
        public void close() {
            dumpFlightRecording();
            // vsftpd's session processes are its children: none may outlive the run. They are
            // listed before the server stops, since a dead parent's children are no longer its
            // own (they passed to init), which left vsftpd's sessions running after a stopped run.
            List<Long> tree = ProcStats.tree(process.pid());
            process.destroy(); // SIGTERM: each server stops cleanly on it
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
                for (long pid : tree) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cpu.close();
        }
    }

    /**
     * For profiling (README, "Benchmark"): with BENCH_JFR_DIR set, jftpd runs with a flight recording
     * that is dumped here before the server is stopped (its stop does not wait for JFR's own dump).
     */
    /** The pid of a server started by someone else (Bench drive --pid), for its /proc figures. */
    static volatile long drivenPid = -1;

    static final String JFR_DIR = System.getenv("BENCH_JFR_DIR");

    static void startJfr(List<String> command) {
        if (JFR_DIR != null) {
            command.add("-XX:StartFlightRecording=name=bench,settings=profile");
        }
    }

    static Running start(Spec spec, int port) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(spec.command());
        pb.environment().putAll(spec.env());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
        Process p = pb.start();
        CpuMeter cpu = CpuMeter.attach(spec.name(), p.pid());
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                cpu.close();
                throw new IOException(spec.name() + " exited with " + p.exitValue() + " at start; see " + spec.log());
            }
            try (FtpClient c = FtpClient.connect(address, 2000)) {
                c.quit();
                return new Running(spec, p, address, cpu);
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        cpu.close();
        throw new IOException(spec.name() + " did not answer on " + address + " within 60 s: " + last + "; see " + spec.log());
    }

    /**
     * The ceiling peer (bench/src/main/python/ceiling_peer.py): not an FTP server but a process of
     * its own that sends a file with sendfile(2) and takes uploads with splice(2) or read/write, so
     * that the ceilings cross a process boundary as every FTP figure does. It listens on a port the
     * kernel picks and says which on its standard output.
     */
    static Spec ceiling(Bench.Options o) {
        List<String> cmd = List.of(o.ceilingPython().toString(), o.ceilingPeer().toString(), "--root", o.root().toString());
        return new Spec("ceiling", "kernel ceiling", "none", "", "", "up-ceiling", null, cmd,
                Map.of("PYTHONDONTWRITEBYTECODE", "1"), o.work().resolve("ceiling.log"));
    }

    /** Starts the ceiling peer and reads its "listening PORT" line. */
    static Running startCeiling(Spec spec) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(spec.command());
        pb.environment().putAll(spec.env());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
        Process p = pb.start();
        CpuMeter cpu = CpuMeter.attach(spec.name(), p.pid());
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first;
        try {
            first = line.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            first = null;
        }
        if (first == null || !first.startsWith("listening ")) {
            p.destroyForcibly();
            cpu.close();
            throw new IOException("the ceiling peer did not start (" + first + "); see " + spec.log());
        }
        return new Running(spec, p, new InetSocketAddress("127.0.0.1", Integer.parseInt(first.substring(10).trim())), cpu);
    }

    /** vsftpd, standalone (listen=YES) in the foreground, with a config of our own. */
    static Spec vsftpd(Bench.Options o, int port) throws IOException {
        Path conf = o.work().resolve("vsftpd.conf");
        Path empty = o.work().resolve("vsftpd-empty");
        Files.createDirectories(empty);
        String config = String.join("\n",
                "# written by bench/run: a standalone vsftpd for the benchmark, never the system service",
                "listen=YES",
                "listen_ipv6=NO",
                "listen_address=127.0.0.1",
                "listen_port=" + port,
                "background=NO",
                "anonymous_enable=NO",
                "local_enable=YES",
                "write_enable=YES",
                "local_umask=022",
                "local_root=" + o.root(),
                "pam_service_name=" + o.vsftpdPam(),
                "secure_chroot_dir=" + empty,
                // the sandboxes need kernel features a container may lack; they cost little either way
                "seccomp_sandbox=NO",
                "isolate=NO",
                "isolate_network=NO",
                "userlist_enable=NO",
                "tcp_wrappers=NO",
                "max_clients=0",
                "idle_session_timeout=" + IDLE_TIMEOUT_SECONDS,
                "max_per_ip=0",
                "xferlog_enable=NO",
                "dirmessage_enable=NO",
                "pasv_enable=YES",
                "connect_from_port_20=NO",
                "use_sendfile=YES",
                "") ;
        Files.writeString(conf, config);
        return new Spec("vsftpd", "vsftpd " + o.vsftpdVersion(), "PAM pam_unix against /etc/shadow (" + o.vsftpdHash() + ")",
                o.vsftpdUser(), o.password(), "up-vsftpd", o.vsftpdUser(),
                List.of(o.vsftpdBinary().toString(), conf.toString()),
                Map.of("LD_LIBRARY_PATH", o.vsftpdLibs().toString()), o.work().resolve("vsftpd.log"));
    }

    static Spec jftpd(Bench.Options o, int port) {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.java().toString());
        cmd.addAll(o.jftpdJavaOpts());
        startJfr(cmd);
        cmd.addAll(jftpdArguments(o, o.jftpdJar().toString(), port));
        return new Spec("jftpd", "jftpd", "PBKDF2-HMAC-SHA256, 600,000 iterations (the default), with its cache of verified logins",
                USER, o.password(), "up-jftpd", null, cmd, QUIET_JFTPD, o.work().resolve("jftpd.log"));
    }

    /**
     * jftpd logs at WARN in the benchmark: no line per session or transfer, as every peer runs
     * (vsftpd {@code xferlog_enable=NO}, Pure-FTPd {@code --syslogfacility none}, pyftpdlib at
     * WARNING). At INFO, its line per transfer cost about 5% of its CPU per small upload.
     */
    static final Map<String, String> QUIET_JFTPD = Map.of("JFTPD_LOG_LEVEL", "WARN");

    /** {@code -jar JAR} and the options every jftpd of the benchmark on the local disk runs with. */
    private static List<String> jftpdArguments(Bench.Options o, String jar, int port) {
        return List.of("-jar", jar, "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--root", o.root().toString(), "--user", USER + ":" + o.password(),
                "--max-sessions", "20000", "--max-sessions-per-ip", "20000",
                "--idle-timeout", Integer.toString(IDLE_TIMEOUT_SECONDS));
    }

    /**
     * A second jftpd beside the first, to measure a design against the current one in the same run
     * (never part of the full run): the jar {@code JFTPD_ALT_JAR} (default: the same jar) with the
     * Java options {@code JFTPD_ALT_JAVA_OPTS}, on the same files, uploading to its own folder.
     */
    static Spec jftpdAlt(Bench.Options o, int port) {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.java().toString());
        cmd.addAll(o.jftpdJavaOpts());
        cmd.addAll(Bench.split(System.getenv().getOrDefault("JFTPD_ALT_JAVA_OPTS", "")));
        String jar = System.getenv().getOrDefault("JFTPD_ALT_JAR", o.jftpdJar().toString());
        cmd.addAll(jftpdArguments(o, jar, port));
        String label = "jftpd, alternative (" + (jar.equals(o.jftpdJar().toString()) ? "same jar" : jar) + ", options: "
                + System.getenv().getOrDefault("JFTPD_ALT_JAVA_OPTS", "none") + ")";
        return new Spec("jftpd-alt", label, "as jftpd", USER, o.password(), "up-jftpd-alt", null, cmd, QUIET_JFTPD,
                o.work().resolve("jftpd-alt.log"));
    }

    /** The S3 variant's bucket, and the credentials jftpd and S3Proxy share (a local test service: no secret). */
    static final String S3_BUCKET = "bench";
    static final String S3_ACCESS_KEY = "jftp-bench";
    static final String S3_SECRET_KEY = "jftp-bench-secret";

    /**
     * jftpd with {@code --storage s3://bench/root} on the S3Proxy that {@link #s3proxy} started at
     * {@code s3Port}; otherwise started as {@link #jftpd}. Its peak RSS is its own, S3Proxy's not
     * counted (S3Proxy stands in for the object store, which would be elsewhere).
     */
    static Spec jftpdS3(Bench.Options o, int port, int s3Port) {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.java().toString());
        cmd.addAll(o.jftpdJavaOpts());
        startJfr(cmd);
        cmd.addAll(List.of("-jar", o.jftpdJar().toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--root", o.work().resolve("jftpd-s3-root").toString(), "--user", USER + ":" + o.password(),
                "--max-sessions", "20000", "--max-sessions-per-ip", "20000",
                "--idle-timeout", Integer.toString(IDLE_TIMEOUT_SECONDS),
                "--storage", "s3://" + S3_BUCKET + "/root", "--s3-endpoint", "http://127.0.0.1:" + s3Port));
        return new Spec("jftpd-s3", "jftpd, S3 storage (S3Proxy " + S3ProxyLauncher.version() + ", filesystem store, loopback)",
                "PBKDF2-HMAC-SHA256, 600,000 iterations (the default), with its cache of verified logins",
                USER, o.password(), "up-jftpd-s3", null, cmd,
                Map.of("AWS_ACCESS_KEY_ID", S3_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3_SECRET_KEY, "AWS_REGION", "us-east-1",
                        "AWS_EC2_METADATA_DISABLED", "true", "JFTPD_LOG_LEVEL", "WARN"),
                o.work().resolve("jftpd-s3.log"));
    }

    /** Where S3Proxy's filesystem store keeps the benchmark's bucket (kept with the data between runs). */
    static Path s3Store(Bench.Options o) {
        return o.data().resolve("s3");
    }

    /** The directory of the store that holds the uploads' objects (emptied between runs like any upload directory). */
    static Path s3Uploads(Bench.Options o) {
        return s3Store(o).resolve(S3_BUCKET).resolve("root").resolve("up-jftpd-s3");
    }

    /** S3Proxy in its own JVM ({@link S3ProxyLauncher}), ready once its port answers. */
    static Process s3proxy(Bench.Options o, int port) throws IOException, InterruptedException {
        List<String> cmd = List.of(o.java().toString(), "-Xmx1g", "-cp", o.benchJar().toString(), S3ProxyLauncher.class.getName(),
                "--port", Integer.toString(port), "--store", s3Store(o).toString(), "--bucket", S3_BUCKET,
                "--data-root", o.root().toString(), "--big", o.bigName(), "--uploads", "up-jftpd-s3",
                "--access-key", S3_ACCESS_KEY, "--secret-key", S3_SECRET_KEY);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(o.work().resolve("s3proxy.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos(); // the first start copies the big file in
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("S3Proxy exited with " + p.exitValue() + " at start; see " + o.work().resolve("s3proxy.log"));
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return p;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IOException("S3Proxy did not listen on 127.0.0.1:" + port + " within 10 minutes; see " + o.work().resolve("s3proxy.log"));
    }

    /** SIGTERM, then SIGKILL if it has not gone after 15 s. */
    static void stop(Process helper) {
        helper.destroy();
        try {
            if (!helper.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                helper.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            helper.destroyForcibly();
        }
    }

    static Spec apache(Bench.Options o, int port) {
        List<String> cmd = List.of(o.java().toString(), "-cp", o.benchJar().toString(), ApacheFtpLauncher.class.getName(),
                "--port", Integer.toString(port), "--root", o.root().toString(), "--user", USER, "--password", o.password(),
                "--max-logins", "20000", "--idle-timeout", Integer.toString(IDLE_TIMEOUT_SECONDS));
        return new Spec("apache", "Apache FtpServer " + ApacheFtpLauncher.version(), "plain text (ClearTextPasswordEncryptor)",
                USER, o.password(), "up-apache", null, cmd, Map.of(), o.work().resolve("apache.log"));
    }

    /** Above the 10,000 sessions of the largest concurrency step. */
    static final int PURE_FTPD_MAX_CLIENTS = 12_000;

    /**
     * Pure-FTPd in the foreground (no -B), standalone on its own port. Its one user is a PureDB
     * virtual user (the file bench/run makes with pure-pw) mapped to the system user jftpbench and
     * holding jftpbench's own /etc/shadow hash, so it checks the same hash as vsftpd; PureDB rather
     * than its "-l unix" because that refuses a user whose shell is not in /etc/shells (nologin).
     * Its home is the data root, where sessions start, as vsftpd's (neither is chrooted).
     */
    static Spec pureftpd(Bench.Options o, int port) {
        Bench.PureFtpd p = o.pureftpd();
        List<String> cmd = List.of(p.binary().toString(),
                "--bind", "127.0.0.1," + port,
                "--login", "puredb:" + p.db(),
                "--noanonymous",
                "--dontresolve",
                "--syslogfacility", "none", // no log line per session or transfer (vsftpd: xferlog_enable=NO)
                "--pidfile", o.work().resolve("pure-ftpd.pid").toString(),
                // it allows at most half as many clients as passive ports: 30,000 ports for 12,000 clients
                "--maxclientsnumber", Integer.toString(PURE_FTPD_MAX_CLIENTS),
                "--maxclientsperip", Integer.toString(PURE_FTPD_MAX_CLIENTS),
                "--maxidletime", Integer.toString(IDLE_TIMEOUT_SECONDS / 60), // minutes
                "--passiveportrange", "30000:59999",
                "--umask", "133:022",
                // a listing stops at 10,000 entries by default: the LIST figure asks for 100,000
                "--limitrecursion", "200000:5");
        return new Spec("pureftpd", "Pure-FTPd " + p.version(),
                "PureDB virtual user holding the system user's /etc/shadow hash (" + p.hash() + "), checked with crypt()",
                o.vsftpdUser(), o.password(), "up-pureftpd", o.vsftpdUser(), cmd,
                p.libs() == null ? Map.of() : Map.of("LD_LIBRARY_PATH", p.libs().toString()), o.work().resolve("pureftpd.log"));
    }

    /** pyftpdlib's default single-process FTPServer, started by bench/src/main/python/pyftpdlib_launcher.py. */
    static Spec pyftpdlib(Bench.Options o, int port) {
        Bench.Pyftpdlib p = o.pyftpdlib();
        List<String> cmd = List.of(p.python().toString(), p.launcher().toString(),
                "--port", Integer.toString(port), "--root", o.root().toString(), "--user", USER, "--password", o.password(),
                "--passive-ports", "61000-64999", "--max-cons", "20000", "--idle-timeout", Integer.toString(IDLE_TIMEOUT_SECONDS));
        return new Spec("pyftpdlib", "pyftpdlib " + p.version(), "plain text (DummyAuthorizer)",
                USER, o.password(), "up-pyftpdlib", null, cmd,
                Map.of("PYTHONPATH", p.sitePackages().toString(), "PYTHONDONTWRITEBYTECODE", "1"), o.work().resolve("pyftpdlib.log"));
    }
}
