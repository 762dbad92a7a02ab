package dev.jftp.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark driver (started by bench/run): prepares the data, starts every server on its own
 * loopback port and the ceiling peer (ceiling_peer.py, a process of its own), then measures each
 * figure on all of them interleaved ({@link Rotation}) with the same load generator
 * ({@link FtpClient}, {@link Figures}), the concurrency steps last and one server at a time, and
 * writes the report.
 *
 * <pre>
 * java -jar jftp-bench.jar run --data DIR --work DIR --results DIR --jftpd-jar JAR --vsftpd-bin BIN ... [--quick]
 * java -jar jftp-bench.jar report --results DIR [--readme README.md]
 * java -jar jftp-bench.jar sftp-sessions --port P --key K --user U --known-hosts F --pid PID [--count N]  (bench/sftp)
 * </pre>
 */
public final class Bench {
    private Bench() {
    }

    /** Every server the driver knows, in the order of a full run; each has its own port, basePort + its index here. */
    static final List<String> ALL_SERVERS = List.of("vsftpd", "jftpd", "apache", "pureftpd", "pyftpdlib", "jftpd-s3", "jftpd-alt");

    /** What the S3 variant (jftpd-s3) is measured on: the transfers, which are what the storage changes. */
    static final Set<String> S3_FIGURES = Set.of("retr", "stor", "small");

    /** Pure-FTPd, unpacked from its Debian package by bench/run; {@code db} is the PureDB file bench/run made with pure-pw. */
    record PureFtpd(Path binary, Path libs, String version, Path db, String hash) {
    }

    /** pyftpdlib, unpacked from its Debian package by bench/run, started by {@code launcher} with {@code python}. */
    record Pyftpdlib(Path python, String pythonVersion, Path sitePackages, Path launcher, String version) {
    }

    /**
     * Everything a run needs; see bench/run for where each comes from. {@code skipped}: the peers
     * bench/run could not prepare (not fetched, not runnable), with the reason, for the report.
     */
    record Options(Path data, Path work, Path results, Path java, Path benchJar, Path jftpdJar, List<String> jftpdJavaOpts,
                   Path vsftpdBinary, Path vsftpdLibs, String vsftpdUser, String vsftpdPam, String vsftpdHash,
                   String vsftpdVersion, PureFtpd pureftpd, Pyftpdlib pyftpdlib, Map<String, String> skipped,
                   String password, boolean quick, int runs, List<String> servers,
                   Set<String> figures, Path jftpClient, Path readme, int basePort, Path ceilingPython, Path ceilingPeer,
                   Path postgresBin, Path haproxy) {
        Path root() {
            return data.resolve("root");
        }

        long bigSize() {
            return quick ? 128L << 20 : 1L << 30;
        }

        String bigName() {
            return quick ? "big-128m.bin" : "big-1g.bin";
        }

        String bigLabel() {
            return quick ? "128 MiB" : "1 GiB";
        }

        int smallCount() {
            return quick ? 200 : 1000;
        }

        double loginSeconds() {
            return quick ? 2 : 10;
        }

        List<Integer> concurrencySteps() {
            return quick ? List.of(100, 1000) : List.of(100, 1000, 10_000);
        }

        int listEntries() {
            return 100_000;
        }

        /**
         * Runs of RETR and STOR: at least 5 in a full run. They are cheap (about a second each) and
         * are the figures with a ceiling, which a server near it can exceed by noise alone: more
         * runs of each, ceiling included, make that less likely.
         */
        int transferRuns() {
            return quick ? runs : Math.max(runs, 5);
        }

        /**
         * Runs of the small-file figures: at least 7 in a full run. One run of 1,000 files takes a
         * second or less (Apache FtpServer's 20 s, its cap), and on this VM the same server's
         * figure moves by up to ±30% between runs seconds apart (jftpd 3,534-5,914 and Pure-FTPd
         * 3,846-6,368 files/s down in 12 runs each, one after the other, 2026-12-07): with 3
         * runs, the best and the median of per-round ratios swung with one fast or slow run.
         */
        int smallRuns() {
            return quick ? runs : Math.max(runs, 7);
        }

        boolean wants(String figure) {
            return figures.isEmpty() || figures.contains(figure);
        }

        /** Whether {@code server} is measured on {@code figure}: all figures but jftpd-s3's ({@link #S3_FIGURES}). */
        boolean wants(String server, String figure) {
            return wants(figure) && (!server.equals("jftpd-s3") || S3_FIGURES.contains(figure));
        }

        /** A server's own port, whichever servers run: the same server is always on the same port. */
        int port(String server) {
            return basePort + ALL_SERVERS.indexOf(server);
        }

        /** S3Proxy's port, for jftpd-s3. */
        int s3ProxyPort() {
            return basePort + 50;
        }
    }

    static final int SMALL_SIZE = 4096;
    static final int LOGIN_WORKERS = 50;
    /** A server slower than this on the small files is measured over what it did in this time. */
    static final double SMALL_CAP_SECONDS = 20;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Bench run OPTIONS | Bench report --results DIR [--readme FILE] | Bench sftp-sessions OPTIONS  (see bench/run, bench/sftp)");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                flags.add("quick");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                opts.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("bad argument: " + args[i]);
            }
        }
        Path results = Path.of(opts.getOrDefault("results", "bench/results"));
        Path readme = opts.containsKey("readme") ? Path.of(opts.get("readme")) : null;
        switch (args[0]) {
            case "report" -> Report.write(new Results(results), results, readme);
            case "drive" -> drive(opts);
            case "sftp-sessions" -> SftpSessionsFigure.run(opts);
            case "run" -> {
                boolean quick = flags.contains("quick");
                Options o = new Options(Path.of(opts.get("data")).toAbsolutePath(), Path.of(opts.get("work")).toAbsolutePath(),
                        results.toAbsolutePath(), Path.of(ProcessHandle.current().info().command().orElse("java")),
                        Path.of(opts.get("bench-jar")).toAbsolutePath(), Path.of(opts.get("jftpd-jar")).toAbsolutePath(),
                        split(System.getenv().getOrDefault("JFTPD_JAVA_OPTS", "")),
                        path(opts, "vsftpd-bin"), path(opts, "vsftpd-libs"), opts.get("vsftpd-user"),
                        opts.get("vsftpd-pam"), opts.getOrDefault("vsftpd-hash", "unknown hash"),
                        opts.getOrDefault("vsftpd-version", ""),
                        new PureFtpd(path(opts, "pureftpd-bin"), path(opts, "pureftpd-libs"), opts.getOrDefault("pureftpd-version", ""),
                                path(opts, "pureftpd-db"), opts.getOrDefault("pureftpd-hash", "unknown hash")),
                        new Pyftpdlib(Path.of(opts.getOrDefault("python", "python3")), opts.getOrDefault("python-version", "?"),
                                path(opts, "pyftpdlib-path"),
                                path(opts, "pyftpdlib-launcher"), opts.getOrDefault("pyftpdlib-version", "")),
                        skipped(opts), opts.get("password"), quick,
                        Integer.parseInt(opts.getOrDefault("runs", quick ? "1" : "3")),
                        split(opts.getOrDefault("servers", String.join(",", ALL_SERVERS)).replace(',', ' ')),
                        Set.copyOf(split(opts.getOrDefault("figures", "").replace(',', ' '))),
                        opts.containsKey("jftp") ? Path.of(opts.get("jftp")) : null, readme,
                        Integer.parseInt(opts.getOrDefault("base-port", "22121")),
                        path(opts, "ceiling-python"), path(opts, "ceiling-peer"),
                        path(opts, "postgres-bin"), path(opts, "haproxy"));
                run(o);
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /**
     * Drives one figure against a server that is already running, for profiling it:
     * {@code drive --port N --user U --password P --figure retr|stor|small_down|small_up|login|list [--path P] [--count N] [--seconds S] [--tag T]}.
     */
    static void drive(Map<String, String> opts) throws Exception {
        Servers.Spec spec = new Servers.Spec("server", "server", "", opts.get("user"), opts.get("password"),
                opts.getOrDefault("upload-dir", "up-jftpd"), null, List.of(), Map.of(), Path.of("/dev/null"));
        Servers.drivenPid = Long.parseLong(opts.getOrDefault("pid", "-1"));
        Servers.Running s = new Servers.Running(spec, null,
                new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(opts.get("port"))),
                CpuMeter.procTree(Servers.drivenPid));
        int count = Integer.parseInt(opts.getOrDefault("count", "1000"));
        String figure = opts.get("figure");
        int repeat = Integer.parseInt(opts.getOrDefault("repeat", "1"));
        String tag = opts.getOrDefault("tag", "drive");
        for (int i = 0; i < repeat; i++) {
            List<String> paths = new ArrayList<>();
            for (int j = 0; j < count; j++) {
                // small_up: new names in every repeat (see smallUp), from --tag (use another in each call)
                paths.add(figure.equals("small_up") ? smallUpName(spec.uploadDir(), tag + (i + 1), j)
                        : String.format(Locale.ROOT, "small/f%04d.bin", j % 1000));
            }
            long t0 = System.nanoTime();
            String result = switch (figure) {
                case "retr" -> Figures.retr(s, opts.get("path"), Long.parseLong(opts.get("size"))) + " MiB/s";
                case "stor" -> Figures.stor(s, opts.get("path"), Long.parseLong(opts.get("size")), randomBuffer(Figures.SINK_BYTES)) + " MiB/s";
                case "small_down" -> Figures.smallFiles(s, paths, SMALL_SIZE, false, 600) + " files/s";
                case "small_up" -> Figures.smallFiles(s, paths, SMALL_SIZE, true, 600) + " files/s";
                case "login" -> Figures.logins(s, LOGIN_WORKERS, Double.parseDouble(opts.getOrDefault("seconds", "10"))) + "";
                case "list" -> Figures.list(s, opts.getOrDefault("path", "list100k")) + "";
                case "concurrency" -> Figures.concurrency(s, count) + "";
                default -> throw new IllegalArgumentException("unknown figure " + figure);
            };
            System.out.printf(Locale.ROOT, "%s: %s (%.2f s)%n", figure, result, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** An option naming a file, or null when bench/run did not pass it (a peer it skipped) or passed it empty. */
    private static Path path(Map<String, String> opts, String name) {
        String value = opts.get(name);
        return value == null || value.isEmpty() ? null : Path.of(value);
    }

    /** The peers bench/run could not prepare: {@code --skip-NAME REASON}. */
    private static Map<String, String> skipped(Map<String, String> opts) {
        Map<String, String> result = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : opts.entrySet()) {
            if (e.getKey().startsWith("skip-")) {
                result.put(e.getKey().substring(5), e.getValue());
            }
        }
        return result;
    }

    static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    static void run(Options o) throws Exception {
        for (String name : o.servers()) {
            if (!ALL_SERVERS.contains(name)) {
                throw new IllegalArgumentException("unknown server " + name + " (known: " + String.join(", ", ALL_SERVERS) + ")");
            }
        }
        Files.createDirectories(o.work());
        smallDeletesStamp = o.work().resolve("small-uploads-deleted");
        Results results = new Results(o.results());
        results.reset();
        results.fact("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        results.fact("machine", Machine.describe());
        results.fact("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        results.fact("load_start", Machine.loadAverage());
        results.fact("mode", o.quick() ? "quick (smaller sizes, fewer runs: a smoke test, not a measurement)" : "full");
        results.fact("runs", Integer.toString(o.runs()));
        results.fact("transfer_runs", Integer.toString(o.transferRuns()));
        results.fact("ceiling_runs", Integer.toString(o.transferRuns() * Rotation.CEILING_RUNS_PER_ROUND));
        results.fact("small_runs", Integer.toString(o.smallRuns()));
        results.fact("big", o.bigLabel());
        results.fact("small_count", Integer.toString(o.smallCount()));
        results.fact("login_seconds", String.format(Locale.ROOT, "%.0f", o.loginSeconds()));
        results.fact("jftpd_java_opts", String.join(" ", o.jftpdJavaOpts()));
        results.fact("page_reporting", System.getenv().getOrDefault("BENCH_PAGE_REPORTING", "not known (not started by bench/run)"));
        if (o.servers().contains("pyftpdlib") && !o.skipped().containsKey("pyftpdlib")) {
            results.fact("python", "Python " + o.pyftpdlib().pythonVersion());
        }
        System.out.println("bench: preparing data in " + o.root());
        prepareData(o);

        // Every server runs from start to end, each on its own port, and the figures go round them
        // (Rotation): an idle server costs the others little (the idle_cpu fact says how little),
        // while restarting a server for each figure would throw away the Java
        // servers' JIT warm-up, or need it paid again before every figure.
        List<Servers.Running> running = new ArrayList<>();
        Servers.Running ceiling = null;
        List<Process> helpers = new ArrayList<>(); // what a server needs running beside it: jftpd-s3's S3Proxy
        Thread stopper = new Thread(() -> {
            running.forEach(Servers.Running::close);
            helpers.forEach(Servers::stop);
        }, "stop-servers");
        Runtime.getRuntime().addShutdownHook(stopper); // Ctrl-C or kill of the driver must not leave a server running
        try {
            if (o.wants("ceiling")) {
                if (o.ceilingPython() == null || o.ceilingPeer() == null) {
                    results.fact("failure_ceiling", "skipped: no python3 to run bench/src/main/python/ceiling_peer.py");
                } else {
                    Servers.Spec spec = Servers.ceiling(o);
                    resetUploads(o.root().resolve(spec.uploadDir()), null);
                    try {
                        ceiling = Servers.startCeiling(spec);
                        running.add(ceiling);
                        results.fact("label_ceiling", spec.label());
                        System.out.println("bench: ceiling peer (" + o.ceilingPython() + " " + o.ceilingPeer().getFileName() + ") on "
                                + ceiling.address());
                    } catch (IOException e) {
                        System.out.println("bench: ceiling peer failed: " + e);
                        results.fact("failure_ceiling", e.toString());
                    }
                }
            }
            for (String name : o.servers()) {
                if (o.skipped().containsKey(name)) {
                    System.out.println("bench: " + name + " skipped: " + o.skipped().get(name));
                    results.fact("failure_" + name, "skipped: " + o.skipped().get(name));
                    continue;
                }
                int port = o.port(name);
                if (name.equals("jftpd-s3")) {
                    System.out.println("bench: S3Proxy on 127.0.0.1:" + o.s3ProxyPort() + " (store " + Servers.s3Store(o) + ")");
                    try {
                        helpers.add(Servers.s3proxy(o, o.s3ProxyPort()));
                    } catch (IOException e) {
                        System.out.println("bench: " + name + " failed: " + e);
                        results.fact("failure_" + name, e.toString());
                        continue;
                    }
                }
                Servers.Spec spec = switch (name) {
                    case "vsftpd" -> Servers.vsftpd(o, port);
                    case "jftpd" -> Servers.jftpd(o, port);
                    case "apache" -> Servers.apache(o, port);
                    case "pureftpd" -> Servers.pureftpd(o, port);
                    case "pyftpdlib" -> Servers.pyftpdlib(o, port);
                    case "jftpd-s3" -> Servers.jftpdS3(o, port, o.s3ProxyPort());
                    case "jftpd-alt" -> Servers.jftpdAlt(o, port);
                    default -> throw new IllegalArgumentException("unknown server " + name);
                };
                results.fact("label_" + name, spec.label());
                results.fact("hashing_" + name, spec.hashing());
                resetUploads(uploads(o, spec), spec.systemUser());
                System.out.println("bench: " + spec.label() + " on 127.0.0.1:" + port);
                try {
                    Servers.Running s = Servers.start(spec, port);
                    running.add(s);
                    results.fact("cpu_method", s.cpu().method());
                } catch (IOException e) {
                    System.out.println("bench: " + name + " failed: " + e);
                    results.fact("failure_" + name, e.toString());
                }
            }
            List<Servers.Running> servers = warmUp(o, running.stream().filter(s -> !s.spec().name().equals("ceiling")).toList(),
                    results);
            if (ceiling != null && !warmUpCeiling(o, ceiling, results)) {
                ceiling = null;
            }
            idleCpu(o, running, results);
            measureFigures(o, servers, ceiling, results);
        } finally {
            for (Servers.Running s : running) {
                s.close();
                try {
                    resetUploads(uploads(o, s.spec()), null);
                } catch (IOException e) {
                    System.out.println("bench: could not empty " + s.spec().uploadDir() + ": " + e);
                }
            }
            helpers.forEach(Servers::stop);
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
        results.fact("load_end", Machine.loadAverage());
        Report.write(results, o.results(), o.quick() ? null : o.readme());
        System.out.println("bench: report in " + o.results().resolve("REPORT.md"));
    }

    /**
     * Rounds of the small-file figures in the warm-up. The JIT of a Java server keeps compiling
     * for about 10,000 small transfers: jftpd with -XX:+PrintCompilation, 1,000 downloads at a
     * time, compiled 184, 60, 31, 40, 70, 19, 17 methods in its first eight thousands, then about
     * 10 per thousand, while its compiler threads took a third of its CPU in the first runs
     * (perf). One round (the earlier warm-up) left most of that in the counted runs.
     */
    static final int SMALL_WARM_UP_ROUNDS = 8;

    /**
     * Big uploads in the warm-up. Without any, jftpd's STOR runs got faster run after run
     * (bench/run --servers jftpd,pureftpd,vsftpd --figures stor --runs 5, host page reporting
     * paused: 1,550, 1,715, 2,257, 2,784, 2,914 MiB/s with 0.63, 0.60, 0.39, 0.33, 0.33 s of
     * CPU) while Pure-FTPd's stayed level: the JIT compiled jftpd's upload path in counted runs.
     */
    static final int STOR_WARM_UP_RUNS = 2;

    /**
     * Warm-up, not counted, the same for every server: page cache for all, and for the Java
     * servers the JIT, which compiles a method fully only after thousands of calls (with 100 files
     * the first counted run still paid for compiling: a long-running server does not; see
     * {@link #SMALL_WARM_UP_ROUNDS}). A server that fails here is not measured (the report says
     * why); returns the others.
     */
    static List<Servers.Running> warmUp(Options o, List<Servers.Running> servers, Results results) throws Exception {
        System.out.println("bench: warming up");
        List<Servers.Running> ready = new ArrayList<>();
        ByteBuffer source = randomBuffer(Figures.SINK_BYTES);
        for (Servers.Running s : servers) {
            Path uploads = uploads(o, s.spec());
            try {
                Figures.retr(s, o.bigName(), o.bigSize());
                // Uploads too (STOR_WARM_UP_RUNS): without them jftpd compiled its upload path
                // during the counted STOR runs.
                for (int run = 0; run < (o.quick() ? 1 : STOR_WARM_UP_RUNS); run++) {
                    Figures.stor(s, s.spec().uploadDir() + "/warm-up.bin", o.bigSize(), source);
                    resetUploads(uploads, null);
                }
                for (int round = 0; round < (o.quick() ? 1 : SMALL_WARM_UP_ROUNDS); round++) {
                    Figures.smallFiles(s, smallDown(o), SMALL_SIZE, false, SMALL_CAP_SECONDS);
                    // kept until the run ends, as the figure's own (see smallUp)
                    Figures.smallFiles(s, smallUp(o, s, "w" + (round + 1)), SMALL_SIZE, true, SMALL_CAP_SECONDS);
                }
                if (o.wants(s.spec().name(), "list")) {
                    Figures.list(s, "list100k");
                }
                ready.add(s);
            } catch (IOException e) {
                System.out.println("bench: " + s.spec().name() + " failed in its warm-up: " + e);
                results.fact("failure_" + s.spec().name(), "failed in its warm-up: " + e);
            }
        }
        return ready;
    }

    /** The ceiling peer's warm-up, each way once; false (and the failure recorded) if it fails. */
    static boolean warmUpCeiling(Options o, Servers.Running ceiling, Results results) throws Exception {
        try {
            Figures.ceilingSend(ceiling, o.bigName(), o.bigSize());
            ByteBuffer source = randomBuffer(Figures.SINK_BYTES);
            for (String method : List.of("SPLICE", "COPY")) {
                Figures.ceilingReceive(ceiling, method, ceiling.spec().uploadDir() + "/big.bin", o.bigSize(), source);
                resetUploads(o.root().resolve(ceiling.spec().uploadDir()), null);
            }
            return true;
        } catch (IOException e) {
            System.out.println("bench: the ceiling peer failed in its warm-up: " + e);
            results.fact("failure_ceiling", "failed in its warm-up: " + e);
            return false;
        }
    }

    /**
     * The CPU each server uses while idle, over a few seconds: what a server costs the one being
     * measured while they all stay running (the report gives it, to show it is nothing).
     */
    static void idleCpu(Options o, List<Servers.Running> running, Results results) throws Exception {
        double seconds = o.quick() ? 2 : 5;
        long[] before = new long[running.size()];
        for (int i = 0; i < running.size(); i++) {
            before[i] = running.get(i).cpu().nanos();
        }
        Thread.sleep((long) (seconds * 1000));
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            parts.add(String.format(Locale.ROOT, "%s %.2f ms/s", running.get(i).spec().name(),
                    (running.get(i).cpu().nanos() - before[i]) / 1e6 / seconds));
        }
        results.fact("idle_cpu", String.join(", ", parts) + String.format(Locale.ROOT, " (over %.0f s after the warm-up)", seconds));
    }

    static List<String> smallDown(Options o) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < o.smallCount(); i++) {
            paths.add(String.format(Locale.ROOT, "small/f%04d.bin", i));
        }
        return paths;
    }

    /**
     * The names one run of small uploads gives its files: new ones in every run ({@code tag}), none
     * deleted until the whole bench run ends. Deleting a run's files before the next made the figure
     * measure the file system more than the servers: ext4 without a journal (this machine's root,
     * {@code /sys/fs/ext4/vda/journal_task}: none) does not reuse an inode deleted in the last 60 s
     * (360 s while its inode table block is dirty), and each new file's allocation scans past every
     * one of them; jftpd and Pure-FTPd then spent 500-900 µs of CPU per 4 KiB upload (full run of
     * 2026-12-07) against 130-240 µs with nothing deleted, and a run's figure swung with what its
     * directory's block group had seen deleted (by hand: jftpd 0.38-1.16× Pure-FTPd).
     */
    static List<String> smallUp(Options o, Servers.Running s, String tag) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < o.smallCount(); i++) {
            paths.add(smallUpName(s.spec().uploadDir(), tag, i));
        }
        return paths;
    }

    /** Small uploads' names begin so: {@link #cleanUploads} leaves them in place. */
    static final String SMALL_UP_PREFIX = "small-up-";

    static String smallUpName(String uploadDir, String tag, int i) {
        return String.format(Locale.ROOT, "%s/%s%s-%04d.bin", uploadDir, SMALL_UP_PREFIX, tag, i);
    }

    /**
     * Where a server's uploads land on this machine, to be emptied between runs: below the data
     * root, or for jftpd-s3 in S3Proxy's filesystem store, which keeps each object as a file.
     */
    static Path uploads(Options o, Servers.Spec spec) {
        return spec.name().equals("jftpd-s3") ? Servers.s3Uploads(o) : o.root().resolve(spec.uploadDir());
    }

    /** The servers measured on {@code figure}: all but jftpd-s3 outside {@link #S3_FIGURES}. */
    static List<Servers.Running> measuredOn(Options o, List<Servers.Running> servers, String figure) {
        return servers.stream().filter(s -> o.wants(s.spec().name(), figure)).toList();
    }

    /**
     * Between the runs of a big upload (STOR, the client's put): removes its file (every upload but
     * the small files, which stay until the run ends: see {@link #smallUp}), then writes back.
     */
    static Body cleanUploads(Options o, Servers.Running s) {
        Path uploads = uploads(o, s.spec());
        return () -> {
            deleteUploads(uploads, false);
            writeBack();
            return 0;
        };
    }

    /** Between the runs of small uploads: only the write-back (their files stay: see {@link #smallUp}). */
    static final Body WRITE_BACK = () -> {
        writeBack();
        return 0;
    };

    /**
     * Writes every dirty page of the machine to disk ({@code sync}) before an upload run (STOR,
     * small files up), so that no run pays for the write-back of an earlier run's data (STOR runs of
     * every server spread 30-50% without it: the kernel started writing a gigabyte out in the middle
     * of whichever run came next).
     */
    static void writeBack() throws IOException {
        try {
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            if (!sync.waitFor(120, TimeUnit.SECONDS)) {
                sync.destroyForcibly();
                throw new IOException("sync took more than 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for sync", e);
        }
    }

    /**
     * Runs uploads the way {@link Rotation#run} does, after running every entry's clean-up once
     * first: each server's first run, too, then starts with no file of the names it uploads (the
     * warm-up's uploads would otherwise be replaced, which costs an atomic upload, a new file
     * renamed over the old one, more than a write in place; small uploads get new names instead)
     * and nothing left to write out.
     */
    static Map<Rotation.Entry, List<Sample>> runFromClean(List<Rotation.Entry> entries, int rounds, Results results) throws Exception {
        for (Rotation.Entry e : entries) {
            e.between().run();
        }
        return Rotation.run(entries, rounds, results);
    }

    /** Every figure, each interleaved over the servers (and the ceiling peer for RETR and STOR). */
    static void measureFigures(Options o, List<Servers.Running> servers, Servers.Running ceiling, Results results) throws Exception {
        ByteBuffer source = randomBuffer(Figures.SINK_BYTES);
        String big = "RETR " + o.bigLabel();
        if (o.wants("retr") || (ceiling != null && o.wants("ceiling"))) {
            System.out.println("bench: RETR " + o.bigLabel());
            List<Rotation.Entry> entries = new ArrayList<>();
            for (Servers.Running s : o.wants("retr") ? servers : List.<Servers.Running>of()) {
                entries.add(new Rotation.Entry(s, "retr", big, "MiB/s", true, () -> Figures.retr(s, o.bigName(), o.bigSize()), null));
            }
            if (ceiling != null) {
                entries.add(new Rotation.Entry(ceiling, "retr", big, "MiB/s", true,
                        () -> Figures.ceilingSend(ceiling, o.bigName(), o.bigSize()), null).asCeiling());
            }
            write(results, Rotation.run(entries, o.transferRuns(), results), (e, best) -> e.server().equals("ceiling")
                    ? "sendfile(2) of the file from the ceiling peer's own process into the same sink" : "");
        }
        if (o.wants("stor") || (ceiling != null && o.wants("ceiling"))) {
            System.out.println("bench: STOR " + o.bigLabel());
            String label = "STOR " + o.bigLabel();
            List<Rotation.Entry> entries = new ArrayList<>();
            for (Servers.Running s : o.wants("stor") ? servers : List.<Servers.Running>of()) {
                entries.add(new Rotation.Entry(s, "stor", label, "MiB/s", true,
                        () -> Figures.stor(s, s.spec().uploadDir() + "/big.bin", o.bigSize(), source), cleanUploads(o, s)));
            }
            if (ceiling != null) {
                for (String method : List.of("SPLICE", "COPY")) {
                    entries.add(new Rotation.Entry(ceiling, "stor_" + method.toLowerCase(Locale.ROOT), label, "MiB/s", true,
                            () -> Figures.ceilingReceive(ceiling, method, ceiling.spec().uploadDir() + "/big.bin", o.bigSize(), source),
                            cleanUploads(o, ceiling)).asCeiling());
                }
            }
            List<Results.Row> rows = write(results, runFromClean(entries, o.transferRuns(), results), (e, best) -> switch (e.figure()) {
                case "stor_splice" -> "splice(2) socket → pipe → file in the ceiling peer's own process: one copy, into the page cache";
                case "stor_copy" -> "read(2) into 1 MiB + write(2) in the ceiling peer's own process: two copies";
                default -> "";
            });
            // The STOR ceiling is the faster way a process can take the bytes into the page cache.
            rows.stream().filter(r -> r.server().equals("ceiling") && r.figure().startsWith("stor_"))
                    .max(java.util.Comparator.comparingDouble(Results.Row::value))
                    .ifPresent(r -> {
                        try {
                            results.add(r.as("ceiling", "stor", "the faster of splice(2) and read/write in the ceiling peer's own process: "
                                    + (r.figure().equals("stor_splice") ? "splice" : "read/write")));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
        }
        if (o.wants("small")) {
            System.out.println("bench: small files");
            List<Rotation.Entry> down = new ArrayList<>();
            List<Rotation.Entry> up = new ArrayList<>();
            for (Servers.Running s : servers) {
                List<String> d = smallDown(o);
                int[] round = {0};
                down.add(new Rotation.Entry(s, "small_down", o.smallCount() + "×4 KiB down", "files/s", true,
                        () -> Figures.smallFiles(s, d, SMALL_SIZE, false, SMALL_CAP_SECONDS), null));
                up.add(new Rotation.Entry(s, "small_up", o.smallCount() + "×4 KiB up", "files/s", true,
                        () -> Figures.smallFiles(s, smallUp(o, s, "r" + ++round[0]), SMALL_SIZE, true, SMALL_CAP_SECONDS), WRITE_BACK));
            }
            write(results, Rotation.run(down, o.smallRuns(), results), (e, best) -> "");
            awaitNoRecentDeletes(o, results);
            write(results, runFromClean(up, o.smallRuns(), results), (e, best) -> "");
        }
        if (o.wants("login")) {
            System.out.println("bench: logins");
            Map<String, Figures.LoginResult> worst = new HashMap<>();
            List<Rotation.Entry> entries = new ArrayList<>();
            for (Servers.Running s : measuredOn(o, servers, "login")) {
                entries.add(new Rotation.Entry(s, "login", "logins/s (" + LOGIN_WORKERS + " workers, " + (int) o.loginSeconds() + " s)",
                        "sessions/s", true, () -> {
                            Figures.LoginResult r = Figures.logins(s, LOGIN_WORKERS, o.loginSeconds());
                            worst.merge(s.spec().name(), r, (a, b) -> a.failed() >= b.failed() ? a : b);
                            return r.perSecond();
                        }, () -> {
                            waitForSessionsToEnd(s); // vsftpd and Pure-FTPd: the sessions' processes are still exiting
                            return 0;
                        }));
            }
            write(results, Rotation.run(entries, o.runs(), results), (e, best) -> {
                Figures.LoginResult r = worst.get(e.server());
                return r == null || r.failed() == 0 ? "" : r.failed() + " failed (worst run), first: " + r.firstError();
            });
        }
        if (o.wants("login") && servers.stream().anyMatch(s -> s.spec().name().equals("jftpd"))) {
            // Figure 8: jftpd's logins through HAProxy with the accounts in PostgreSQL (its own nodes).
            System.out.println("bench: logins through HAProxy, accounts in PostgreSQL");
            ClusterLoginFigures.measure(o, results, o.postgresBin(), o.haproxy());
        }
        if (o.wants("login")) {
            // The login storms leave the load average high for minutes (vsftpd's and Pure-FTPd's
            // session processes still exiting): the full run of 2026-12-06 measured LIST at a load
            // of 5 and the client against curl at 4. The figures after them wait for it.
            settle(o, results, "after the login figures");
        }
        if (o.wants("list")) {
            System.out.println("bench: LIST");
            Map<String, Long> bytes = new HashMap<>();
            List<Rotation.Entry> entries = new ArrayList<>();
            for (Servers.Running s : measuredOn(o, servers, "list")) {
                entries.add(new Rotation.Entry(s, "list", String.format(Locale.ROOT, "LIST %,d entries", o.listEntries()), "s", false, () -> {
                    Figures.ListResult r = Figures.list(s, "list100k");
                    bytes.put(s.spec().name(), r.bytes());
                    return r.seconds();
                }, null));
            }
            write(results, Rotation.run(entries, o.runs(), results), (e, best) -> String.format(Locale.ROOT,
                    "%,d bytes; server memory %.0f MiB before the LIST, peak %.0f MiB during it",
                    bytes.get(e.server()), best.startKb() / 1024.0, best.peakKb() / 1024.0));
        }
        for (Servers.Running s : servers) {
            if (o.wants("curl") && s.spec().name().equals("vsftpd")) {
                System.out.println("bench: curl against vsftpd");
                curlFigures(o, s, results);
            }
        }
        for (Servers.Running s : servers) {
            if (o.wants("client") && s.spec().name().equals("jftpd")) {
                System.out.println("bench: the jftp client against curl");
                ClientFigures.measure(o, s, results);
            }
        }
        // Last, each server alone (the others idle): the largest step leaves the machine busy
        // reaping sessions (vsftpd, Pure-FTPd: 20,000 processes), so the next waits for the load.
        if (o.wants("concurrency")) {
            for (Servers.Running s : measuredOn(o, servers, "concurrency")) {
                System.out.println("bench: concurrent sessions on " + s.spec().name());
                concurrency(o, s, results);
                settle(o, results, "after " + s.spec().name() + "'s concurrency steps");
            }
        }
    }

    /** Writes the row of each entry that was measured, with its note; returns them. */
    static List<Results.Row> write(Results results, Map<Rotation.Entry, List<Sample>> measured,
                                   java.util.function.BiFunction<Rotation.Entry, Sample, String> note) throws IOException {
        List<Results.Row> rows = new ArrayList<>();
        for (Map.Entry<Rotation.Entry, List<Sample>> m : measured.entrySet()) {
            Results.Row plain = Rotation.row(m.getKey(), m.getValue(), "");
            Sample best = m.getValue().stream().filter(s -> s.value() == plain.value()).findFirst().orElseThrow();
            Results.Row r = plain.as(plain.server(), plain.figure(), note.apply(m.getKey(), best));
            results.add(r);
            rows.add(r);
        }
        return rows;
    }

    static void concurrency(Options o, Servers.Running s, Results results) throws Exception {
        String name = s.spec().name();
        for (int count : o.concurrencySteps()) {
            double load1 = Machine.load1();
            long cpu0 = s.cpu().nanos();
            Figures.ConcurrencyResult r = Figures.concurrency(s, count);
            double cpu = (s.cpu().nanos() - cpu0) / 1e9;
            String note = String.format(Locale.ROOT, "%d processes; opened in %.1f s", r.processes(), r.openSeconds())
                    + (r.failed() == 0 && r.held() == r.asked() ? "" : "; " + r.failed() + " not opened, "
                    + (r.asked() - r.failed() - r.held()) + " opened but no NOOP answer; first error: " + r.firstError());
            results.add(Results.Row.single(name, "conc_" + count, String.format(Locale.ROOT, "%,d sessions", count), r.held(),
                    "held", "higher", cpu, r.rssKb(), r.pssKb(), note, load1));
            results.run(new Results.Run(name, "conc_" + count, 1, 1, r.held(), "held", cpu, r.rssKb(), load1, java.time.Instant.now()));
            waitForSessionsToEnd(s);
            if (r.held() < count) {
                break; // the next step is larger still
            }
        }
    }

    /** The 1-minute load average read before every measured run so far (for {@link #settle}). */
    private static final List<Double> LOADS = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * Waits, at most 5 minutes (30 s in quick mode), for the 1-minute load average to come back to
     * where it was for the measured runs so far (their median, plus 0.5): after a server's
     * 10,000 sessions the machine is still reaping them, and the load average itself decays with a
     * one-minute time constant. Records how long it waited and where the load ended.
     */
    static void settle(Options o, Results results, String when) throws Exception {
        double target;
        synchronized (LOADS) {
            target = (LOADS.isEmpty() ? 0 : Rotation.median(LOADS.stream().mapToDouble(Double::doubleValue).toArray())) + 0.5;
        }
        long limit = TimeUnit.SECONDS.toNanos(o.quick() ? 30 : 300);
        long t0 = System.nanoTime();
        double start = Machine.load1();
        double load = start;
        while (load > target && System.nanoTime() - t0 < limit) {
            Thread.sleep(1000);
            load = Machine.load1();
        }
        String text = String.format(Locale.ROOT, "%s: waited %.0f s for the 1-minute load average to fall to %.2f: %.2f → %.2f%s",
                when, (System.nanoTime() - t0) / 1e9, target, start, load, load > target ? " (gave up: still above)" : "");
        System.out.println("bench: " + text);
        results.fact("settle_" + results.facts().keySet().stream().filter(k -> k.startsWith("settle_")).count(), text);
    }

    /** One measured run: the figure's value, the server's CPU seconds and peak RSS during it, and the load before it. */
    record Sample(double value, double cpuSeconds, long peakKb, long startKb, double load1) {
    }

    @FunctionalInterface
    interface Body {
        double run() throws Exception;
    }

    static Sample measure(Servers.Running s, Body body) throws Exception {
        double load1 = Machine.load1();
        LOADS.add(load1);
        long startKb = ProcStats.pssKb(s.pid());
        try (ProcStats.PeakSampler sampler = new ProcStats.PeakSampler(s.pid(), 50)) {
            CpuWindow.open(s.cpu());
            long cpu0 = s.cpu().nanos();
            double value = body.run();
            long cpu1 = s.cpu().nanos();
            return new Sample(value, CpuWindow.close(cpu1 - cpu0) / 1e9, sampler.peakKb(), startKb, load1);
        }
    }

    /**
     * The server's CPU of a run, counted over the same span as the figure's clock where the figure
     * marks it ({@link #start}, {@link #stop}: RETR, STOR, small files), else over the whole run.
     * A run's session logs in before its clock starts, and a login can cost the server far more
     * than the figure: jftpd checks a PBKDF2 hash again (about 0.2 s) once its 10-minute memory of
     * the password ran out, and one run of small uploads then showed 0.36 s of CPU for 0.16 s of
     * uploads, more than two cores can give. Runs are measured one at a time, so one window.
     */
    static final class CpuWindow {
        private static CpuMeter meter;
        private static long started = -1;
        private static long stopped = -1;

        private CpuWindow() {
        }

        static void open(CpuMeter m) {
            meter = m;
            started = -1;
            stopped = -1;
        }

        /** Where the figure's clock starts. */
        static void start() {
            if (meter != null) {
                started = meter.nanos();
            }
        }

        /** Where the figure's clock stops. */
        static void stop() {
            if (meter != null && started >= 0) {
                stopped = meter.nanos();
            }
        }

        /** The CPU of the marked span, or {@code wholeRun} when the figure marked none. */
        static long close(long wholeRun) {
            long marked = started >= 0 && stopped >= started ? stopped - started : -1;
            meter = null;
            return marked >= 0 ? marked : wholeRun;
        }
    }

    /** The best of {@code runs} runs ({@code between} runs after each, untimed: e.g. removing uploads). */
    static Sample best(Servers.Running s, int runs, boolean higherIsBetter, Body body, Body between) throws Exception {
        Sample best = null;
        for (int i = 0; i < runs; i++) {
            Sample sample = measure(s, body);
            if (best == null || (higherIsBetter ? sample.value() > best.value() : sample.value() < best.value())) {
                best = sample;
            }
            if (between != null) {
                between.run();
            }
        }
        return best;
    }

    /** The same transfers with curl, to check that the load generator is not the bottleneck. */
    static void curlFigures(Options o, Servers.Running s, Results results) throws Exception {
        Path big = o.root().resolve(o.bigName());
        String base = "ftp://" + s.spec().ftpUser() + ":" + s.spec().password() + "@127.0.0.1:" + s.address().getPort() + "/";
        // one curl, one session, every file: a config file of url/output pairs
        Path config = o.work().resolve("curl-small.conf");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < o.smallCount(); i++) {
            sb.append(String.format(Locale.ROOT, "url = \"%ssmall/f%04d.bin\"%noutput = \"/dev/null\"%n", base, i));
        }
        Files.writeString(config, sb.toString());
        double mib = o.bigSize() / Figures.MIB;
        List<Rotation.Entry> entries = List.of(
                new Rotation.Entry(s, "curl_retr", "curl RETR " + o.bigLabel(), "MiB/s", true,
                        () -> mib / timed(List.of("curl", "-sS", "-o", "/dev/null", base + o.bigName())), null),
                new Rotation.Entry(s, "curl_stor", "curl STOR " + o.bigLabel(), "MiB/s", true,
                        () -> mib / timed(List.of("curl", "-sS", "-T", big.toString(), base + s.spec().uploadDir() + "/curl.bin")),
                        cleanUploads(o, s)),
                new Rotation.Entry(s, "curl_small_down", "curl " + o.smallCount() + "×4 KiB down", "files/s", true,
                        () -> curlFilesPerSecond(config, SMALL_CAP_SECONDS), null));
        write(results, Rotation.run(entries, o.runs(), results), (e, best) -> "");
    }

    /**
     * curl fetching the small files in one session, stopped after {@code capSeconds}: files/s over
     * the files it finished. (curl 7.88 sometimes waits a whole second before connecting the data
     * connection when the server's EPSV reply arrives quickly: its poll misses the reply already
     * read. Against a fast server that can be every file, so it must not run unbounded.) Each
     * file's reply code goes to curl's standard error, which is not buffered: on its standard
     * output, a pipe, curl kept them in its buffer, and a curl stopped at the cap took the count
     * of every file it had finished with it (0 files/s).
     */
    static double curlFilesPerSecond(Path config, double capSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "-sS", "-K", config.toString(), "-w", "%{stderr}%{response_code}\\n")
                .redirectErrorStream(true).start();
        long t0 = System.nanoTime();
        long[] done = {0};
        Thread counter = Thread.ofVirtual().start(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).lines()) {
                lines.forEach(l -> {
                    if (l.equals("226")) {
                        done[0]++;
                    }
                });
            }
        });
        boolean finished = p.waitFor((long) (capSeconds * 1000), TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!finished) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        counter.join(5000);
        return done[0] / seconds;
    }

    /** Runs a command; returns its wall time in seconds, or fails when it exits non-zero. */
    static double timed(List<String> command) throws IOException, InterruptedException {
        return timed(command, Map.of());
    }

    /** As {@link #timed(List)}, with extra environment variables. */
    static double timed(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command).replaceAll("//[^@/]*@", "//***@") + " failed: " + new String(output).strip());
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void waitForSessionsToEnd(Servers.Running s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ProcStats.tree(s.pid()).size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(200); // vsftpd: until the session processes are gone
        }
        Thread.sleep(2000); // everyone: let the closes settle
    }

    static ByteBuffer randomBuffer(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return ByteBuffer.allocateDirect(size).put(bytes).flip();
    }

    /** Empties a server's upload directory (made writable for the user its sessions run as). */
    static void resetUploads(Path dir, String owner) throws IOException {
        if (Files.isDirectory(dir)) {
            deleteUploads(dir, true);
        } else {
            Files.createDirectories(dir);
        }
        if (owner != null) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(owner));
        }
    }

    /**
     * Deletes the files in a server's upload directory, the small uploads only if {@code small}
     * (see {@link #smallUp}); when it deletes any of those, notes the time in {@link #smallDeletesStamp}.
     */
    static void deleteUploads(Path dir, boolean small) throws IOException {
        int smallDeleted = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                boolean isSmall = f.getFileName().toString().startsWith(SMALL_UP_PREFIX);
                if ((small || !isSmall) && Files.deleteIfExists(f) && isSmall) {
                    smallDeleted++;
                }
            }
        }
        if (smallDeleted > 0 && smallDeletesStamp != null) {
            Files.writeString(smallDeletesStamp, Long.toString(System.currentTimeMillis()));
        }
    }

    /**
     * A file holding when small uploads were last deleted (milliseconds since the epoch), by this
     * run or the one before it; set by {@link #run} to a file in the work directory.
     */
    static volatile Path smallDeletesStamp;

    /**
     * How long after small uploads were deleted the next small uploads wait, so that no server's
     * new files scan past inodes ext4 will not reuse yet (see {@link #smallUp}): 60 s, plus 300 s
     * while the inode table block is dirty, plus a margin.
     */
    static final long RECENT_DELETES_MILLIS = 370_000;

    /**
     * Waits, before the small uploads, until the last deletion of small uploads (the previous run's
     * clean-up, or this run's of files a stopped run left) is {@link #RECENT_DELETES_MILLIS} old;
     * says so, and records the wait. Not in --quick (a smoke test).
     */
    static void awaitNoRecentDeletes(Options o, Results results) throws IOException, InterruptedException {
        Path stamp = smallDeletesStamp;
        if (o.quick() || stamp == null || !Files.exists(stamp)) {
            return;
        }
        long since = System.currentTimeMillis() - Long.parseLong(Files.readString(stamp).trim());
        if (since >= 0 && since < RECENT_DELETES_MILLIS) {
            long wait = RECENT_DELETES_MILLIS - since;
            System.out.printf(Locale.ROOT, "bench: waiting %.0f s before the small uploads: small files were deleted %.0f s ago%n",
                    wait / 1e3, since / 1e3);
            results.fact("small_up_wait", String.format(Locale.ROOT, "%.0f s (small files deleted %.0f s before the figure)", wait / 1e3, since / 1e3));
            Thread.sleep(wait);
        }
    }

    /** The files every server serves: one big file, the small files, the 100,000-entry directory. Kept between runs. */
    static void prepareData(Options o) throws IOException {
        Path root = o.root();
        Files.createDirectories(root);
        Path big = root.resolve(o.bigName());
        if (!Files.exists(big) || Files.size(big) != o.bigSize()) {
            System.out.println("bench: writing " + big + " (" + o.bigLabel() + " of random bytes)");
            ByteBuffer buffer = randomBuffer(8 << 20);
            try (FileChannel f = FileChannel.open(big, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (long written = 0; written < o.bigSize(); ) {
                    buffer.rewind();
                    written += f.write(buffer);
                }
            }
        }
        Path small = root.resolve("small");
        Files.createDirectories(small);
        byte[] content = new byte[SMALL_SIZE];
        new Random(7).nextBytes(content);
        for (int i = 0; i < 1000; i++) {
            Path f = small.resolve(String.format(Locale.ROOT, "f%04d.bin", i));
            if (!Files.exists(f)) {
                Files.write(f, content);
            }
        }
        Path list = root.resolve("list100k");
        Path done = o.data().resolve("list100k.done");
        if (!Files.exists(done)) {
            System.out.println("bench: creating " + o.listEntries() + " entries in " + list);
            Files.createDirectories(list);
            for (int i = 0; i < o.listEntries(); i++) {
                Path f = list.resolve(String.format(Locale.ROOT, "entry-%06d.txt", i));
                if (!Files.exists(f)) {
                    Files.createFile(f);
                }
            }
            Files.writeString(done, "");
        }
    }
}
