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

    private Servers() {
    }

    /** One server under test. {@code ftpUser} logs in with {@code password}; uploads go to {@code uploadDir}. */
    record Spec(String name, String label, String hashing, String ftpUser, String password, String uploadDir,
                List<String> command, Map<String, String> env, Path log) {
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
            process.destroy(); // SIGTERM: each server stops cleanly on it
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
                // vsftpd's session processes are its children: make sure none outlives the run
                for (long pid : ProcStats.tree(process.pid())) {
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
                "max_per_ip=0",
                "xferlog_enable=NO",
                "dirmessage_enable=NO",
                "pasv_enable=YES",
                "connect_from_port_20=NO",
                "use_sendfile=YES",
                "") ;
        Files.writeString(conf, config);
        return new Spec("vsftpd", "vsftpd " + o.vsftpdVersion(), "PAM pam_unix against /etc/shadow (" + o.vsftpdHash() + ")",
                o.vsftpdUser(), o.password(), "up-vsftpd",
                List.of(o.vsftpdBinary().toString(), conf.toString()),
                Map.of("LD_LIBRARY_PATH", o.vsftpdLibs().toString()), o.work().resolve("vsftpd.log"));
    }

    static Spec jftpd(Bench.Options o, int port) {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.java().toString());
        cmd.addAll(o.jftpdJavaOpts());
        startJfr(cmd);
        cmd.addAll(List.of("-jar", o.jftpdJar().toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--root", o.root().toString(), "--user", USER + ":" + o.password(),
                "--max-sessions", "20000", "--max-sessions-per-ip", "20000"));
        return new Spec("jftpd", "jftpd", "PBKDF2-HMAC-SHA256, 600,000 iterations (the default), with its cache of verified logins",
                USER, o.password(), "up-jftpd", cmd, Map.of(), o.work().resolve("jftpd.log"));
    }

    static Spec apache(Bench.Options o, int port) {
        List<String> cmd = List.of(o.java().toString(), "-cp", o.benchJar().toString(), ApacheFtpLauncher.class.getName(),
                "--port", Integer.toString(port), "--root", o.root().toString(), "--user", USER, "--password", o.password(),
                "--max-logins", "20000");
        return new Spec("apache", "Apache FtpServer " + ApacheFtpLauncher.version(), "plain text (ClearTextPasswordEncryptor)",
                USER, o.password(), "up-apache", cmd, Map.of(), o.work().resolve("apache.log"));
    }
}
