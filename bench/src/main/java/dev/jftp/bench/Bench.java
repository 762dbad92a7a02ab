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
 * The benchmark driver (started by bench/run): prepares the data, measures the sendfile ceiling,
 * then starts each server in turn on its own loopback port and measures every figure against it
 * with the same load generator ({@link FtpClient}, {@link Figures}), and writes the report.
 *
 * <pre>
 * java -jar jftp-bench.jar run --data DIR --work DIR --results DIR --jftpd-jar JAR --vsftpd-bin BIN ... [--quick]
 * java -jar jftp-bench.jar report --results DIR [--readme README.md]
 * </pre>
 */
public final class Bench {
    private Bench() {
    }

    /** Every server the driver knows, in the order of a full run; each has its own port, basePort + its index here. */
    static final List<String> ALL_SERVERS = List.of("vsftpd", "jftpd", "apache", "pureftpd", "pyftpdlib");

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
                   Set<String> figures, Path jftpClient, Path readme, int basePort, Path postgresBin, Path haproxy) {
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

        boolean wants(String figure) {
            return figures.isEmpty() || figures.contains(figure);
        }

        /** A server's own port, whichever servers run: the same server is always on the same port. */
        int port(String server) {
            return basePort + ALL_SERVERS.indexOf(server);
        }
    }

    static final int SMALL_SIZE = 4096;
    static final int LOGIN_WORKERS = 50;
    /** A server slower than this on the small files is measured over what it did in this time. */
    static final double SMALL_CAP_SECONDS = 20;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Bench run OPTIONS | Bench report --results DIR [--readme FILE]  (see bench/run)");
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
                        path(opts, "postgres-bin"), path(opts, "haproxy"));
                run(o);
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /**
     * Drives one figure against a server that is already running, for profiling it:
     * {@code drive --port N --user U --password P --figure retr|stor|small_down|small_up|login|list [--path P] [--count N] [--seconds S]}.
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
        for (int i = 0; i < repeat; i++) {
            List<String> paths = new ArrayList<>();
            for (int j = 0; j < count; j++) {
                paths.add(figure.equals("small_up") ? String.format(Locale.ROOT, "%s/s%04d.bin", spec.uploadDir(), j % 1000)
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

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    static void run(Options o) throws Exception {
        for (String name : o.servers()) {
            if (!ALL_SERVERS.contains(name)) {
                throw new IllegalArgumentException("unknown server " + name + " (known: " + String.join(", ", ALL_SERVERS) + ")");
            }
        }
        Files.createDirectories(o.work());
        Results results = new Results(o.results());
        results.reset();
        results.fact("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        results.fact("machine", Machine.describe());
        results.fact("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        results.fact("load_start", Machine.loadAverage());
        results.fact("mode", o.quick() ? "quick (smaller sizes, 1 run: a smoke test, not a measurement)" : "full");
        results.fact("runs", Integer.toString(o.runs()));
        results.fact("big", o.bigLabel());
        results.fact("small_count", Integer.toString(o.smallCount()));
        results.fact("login_seconds", String.format(Locale.ROOT, "%.0f", o.loginSeconds()));
        results.fact("jftpd_java_opts", String.join(" ", o.jftpdJavaOpts()));
        if (o.servers().contains("pyftpdlib") && !o.skipped().containsKey("pyftpdlib")) {
            results.fact("python", "Python " + o.pyftpdlib().pythonVersion());
        }
        System.out.println("bench: preparing data in " + o.root());
        prepareData(o);
        Path big = o.root().resolve(o.bigName());

        if (o.wants("ceiling")) {
            System.out.println("bench: raw sendfile ceiling");
            Figures.sendfileCeiling(big); // warm-up, like every server gets
            measureCeiling(o, big);
        }

        for (String name : o.servers()) {
            if (o.skipped().containsKey(name)) {
                System.out.println("bench: " + name + " skipped: " + o.skipped().get(name));
                results.fact("failure_" + name, "skipped: " + o.skipped().get(name));
                continue;
            }
            int port = o.port(name);
            Servers.Spec spec = switch (name) {
                case "vsftpd" -> Servers.vsftpd(o, port);
                case "jftpd" -> Servers.jftpd(o, port);
                case "apache" -> Servers.apache(o, port);
                case "pureftpd" -> Servers.pureftpd(o, port);
                case "pyftpdlib" -> Servers.pyftpdlib(o, port);
                default -> throw new IllegalArgumentException("unknown server " + name);
            };
            results.fact("label_" + name, spec.label());
            results.fact("hashing_" + name, spec.hashing());
            Path uploads = o.root().resolve(spec.uploadDir());
            resetUploads(uploads, spec.systemUser());
            System.out.println("bench: " + spec.label() + " on 127.0.0.1:" + port);
            try (Servers.Running s = Servers.start(spec, port)) {
                // Ctrl-C or kill of the driver must not leave the server running
                Thread stopper = new Thread(s::close, "stop-" + name);
                Runtime.getRuntime().addShutdownHook(stopper);
                results.fact("cpu_method", s.cpu().method());
                measureServer(o, s, results, big, uploads);
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IOException e) {
                System.out.println("bench: " + name + " failed: " + e);
                results.fact("failure_" + name, e.toString());
            }
            resetUploads(uploads, null);
            Thread.sleep(10_000); // let the machine settle after a server's largest concurrency step
        }
        if (o.wants("ceiling")) {
            results.add(new Results.Row("sendfile", "retr", "RETR " + o.bigLabel(), ceilingBest, "MiB/s", "higher", -1, -1, -1,
                    ceilingRuns, "plain loopback TCP, FileChannel.transferTo (sendfile) into the same sink; best of " + ceilingRuns
                    + " measurements spread over the run (before each server's RETR), as the machine's load varies"));
        }
        results.fact("load_end", Machine.loadAverage());
        Report.write(results, o.results(), o.quick() ? null : o.readme());
        System.out.println("bench: report in " + o.results().resolve("REPORT.md"));
    }

    private static double ceilingBest;
    private static int ceilingRuns;

    /** The sendfile ceiling, measured again at several points of the run: its best is the ceiling. */
    static void measureCeiling(Options o, Path big) throws IOException, InterruptedException {
        for (int i = 0; i < o.runs(); i++) {
            ceilingBest = Math.max(ceilingBest, Figures.sendfileCeiling(big));
            ceilingRuns++;
        }
    }

    /** One measured run: the figure's value, the server's CPU seconds and peak RSS during it. */
    record Sample(double value, double cpuSeconds, long peakKb, long startKb) {
    }

    @FunctionalInterface
    interface Body {
        double run() throws Exception;
    }

    static Sample measure(Servers.Running s, Body body) throws Exception {
        long startKb = ProcStats.pssKb(s.pid());
        try (ProcStats.PeakSampler sampler = new ProcStats.PeakSampler(s.pid(), 50)) {
            long cpu0 = s.cpu().nanos();
            double value = body.run();
            long cpu1 = s.cpu().nanos();
            return new Sample(value, (cpu1 - cpu0) / 1e9, sampler.peakKb(), startKb);
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

    private static void add(Results results, Servers.Running s, String figure, String label, Sample sample, String unit,
                            String better, int runs, String note) throws IOException {
        results.add(new Results.Row(s.spec().name(), figure, label, sample.value(), unit, better, sample.cpuSeconds(),
                sample.peakKb(), -1, runs, note));
    }

    static void measureServer(Options o, Servers.Running s, Results results, Path big, Path uploads) throws Exception {
        String name = s.spec().name();
        String up = s.spec().uploadDir();
        ByteBuffer source = randomBuffer(Figures.SINK_BYTES);
        List<String> smallDown = new ArrayList<>();
        List<String> smallUp = new ArrayList<>();
        for (int i = 0; i < o.smallCount(); i++) {
            smallDown.add(String.format(Locale.ROOT, "small/f%04d.bin", i));
            smallUp.add(String.format(Locale.ROOT, "%s/s%04d.bin", up, i));
        }
        Body clean = () -> {
            resetUploads(uploads, null);
            return 0;
        };

        // Warm-up, not counted, the same for every server: page cache for all, and for the Java
        // servers the JIT, which compiles a method fully only after thousands of calls (with 100
        // files the first counted run still paid for compiling: a long-running server does not).
        Figures.retr(s, o.bigName(), o.bigSize());
        Figures.smallFiles(s, smallDown, SMALL_SIZE, false, SMALL_CAP_SECONDS);
        Figures.smallFiles(s, smallUp, SMALL_SIZE, true, SMALL_CAP_SECONDS);
        clean.run();
        if (o.wants("list")) {
            Figures.list(s, "list100k");
        }

        if (o.wants("ceiling")) {
            measureCeiling(o, big);
        }
        if (o.wants("retr")) {
            add(results, s, "retr", "RETR " + o.bigLabel(),
                    best(s, o.runs(), true, () -> Figures.retr(s, o.bigName(), o.bigSize()), null), "MiB/s", "higher", o.runs(), "");
        }
        if (o.wants("stor")) {
            add(results, s, "stor", "STOR " + o.bigLabel(),
                    best(s, o.runs(), true, () -> Figures.stor(s, up + "/big.bin", o.bigSize(), source), clean), "MiB/s", "higher", o.runs(), "");
        }
        if (o.wants("small")) {
            add(results, s, "small_down", o.smallCount() + "×4 KiB down",
                    best(s, o.runs(), true, () -> Figures.smallFiles(s, smallDown, SMALL_SIZE, false, SMALL_CAP_SECONDS), null),
                    "files/s", "higher", o.runs(), "");
            add(results, s, "small_up", o.smallCount() + "×4 KiB up",
                    best(s, o.runs(), true, () -> Figures.smallFiles(s, smallUp, SMALL_SIZE, true, SMALL_CAP_SECONDS), clean),
                    "files/s", "higher", o.runs(), "");
        }
        if (o.wants("login")) {
            Figures.LoginResult[] last = new Figures.LoginResult[1];
            Sample sample = best(s, o.runs(), true, () -> {
                Figures.LoginResult r = Figures.logins(s, LOGIN_WORKERS, o.loginSeconds());
                if (last[0] == null || r.perSecond() > last[0].perSecond()) {
                    last[0] = r;
                }
                return r.perSecond();
            }, () -> {
                Thread.sleep(1000); // let the server finish closing the last sessions
                return 0;
            });
            Figures.LoginResult r = last[0];
            add(results, s, "login", "logins/s (" + LOGIN_WORKERS + " workers, " + (int) o.loginSeconds() + " s)", sample,
                    "sessions/s", "higher", o.runs(), r.failed() == 0 ? "" : r.failed() + " failed, first: " + r.firstError());
            if (name.equals("jftpd")) {
                ClusterLoginFigures.measure(o, results, o.postgresBin(), o.haproxy());
            }
        }
        if (o.wants("list")) {
            long[] bytes = new long[1];
            Sample sample = best(s, o.runs(), false, () -> {
                Figures.ListResult r = Figures.list(s, "list100k");
                bytes[0] = r.bytes();
                return r.seconds();
            }, null);
            add(results, s, "list", String.format(Locale.ROOT, "LIST %,d entries", o.listEntries()), sample, "s", "lower", o.runs(),
                    String.format(Locale.ROOT, "%,d bytes; server memory %.0f MiB before the LIST, peak %.0f MiB during it",
                            bytes[0], sample.startKb() / 1024.0, sample.peakKb() / 1024.0));
        }
        if (o.wants("curl") && name.equals("vsftpd")) {
            curlFigures(o, s, results, big, uploads);
        }
        if (o.wants("client") && name.equals("jftpd")) {
            ClientFigures.measure(o, s, results, big, uploads);
        }
        // Last: the largest step leaves the machine busy reaping sessions (vsftpd: 20,000 processes).
        if (o.wants("concurrency")) {
            for (int count : o.concurrencySteps()) {
                long cpu0 = s.cpu().nanos();
                Figures.ConcurrencyResult r = Figures.concurrency(s, count);
                double cpu = (s.cpu().nanos() - cpu0) / 1e9;
                String note = String.format(Locale.ROOT, "%d processes; opened in %.1f s", r.processes(), r.openSeconds())
                        + (r.failed() == 0 && r.held() == r.asked() ? "" : "; " + r.failed() + " not opened, "
                        + (r.asked() - r.failed() - r.held()) + " opened but no NOOP answer; first error: " + r.firstError());
                results.add(new Results.Row(name, "conc_" + count, String.format(Locale.ROOT, "%,d sessions", count), r.held(),
                        "held", "higher", cpu, r.rssKb(), r.pssKb(), 1, note));
                waitForSessionsToEnd(s);
                if (r.held() < count) {
                    break; // the next step is larger still
                }
            }
        }
    }

    /** The same transfers with curl, to check that the load generator is not the bottleneck. */
    static void curlFigures(Options o, Servers.Running s, Results results, Path big, Path uploads) throws Exception {
        String base = "ftp://" + s.spec().ftpUser() + ":" + s.spec().password() + "@127.0.0.1:" + s.address().getPort() + "/";
        Sample retr = best(s, o.runs(), true, () -> o.bigSize() / Figures.MIB / timed(List.of("curl", "-sS", "-o", "/dev/null", base + o.bigName())), null);
        add(results, s, "curl_retr", "curl RETR " + o.bigLabel(), retr, "MiB/s", "higher", o.runs(), "");
        Sample stor = best(s, o.runs(), true, () -> o.bigSize() / Figures.MIB
                / timed(List.of("curl", "-sS", "-T", big.toString(), base + s.spec().uploadDir() + "/curl.bin")), () -> {
            resetUploads(uploads, null);
            return 0;
        });
        add(results, s, "curl_stor", "curl STOR " + o.bigLabel(), stor, "MiB/s", "higher", o.runs(), "");
        // one curl, one session, every file: a config file of url/output pairs
        Path config = o.work().resolve("curl-small.conf");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < o.smallCount(); i++) {
            sb.append(String.format(Locale.ROOT, "url = \"%ssmall/f%04d.bin\"%noutput = \"/dev/null\"%n", base, i));
        }
        Files.writeString(config, sb.toString());
        Sample small = best(s, o.runs(), true, () -> curlFilesPerSecond(config, SMALL_CAP_SECONDS), null);
        add(results, s, "curl_small_down", "curl " + o.smallCount() + "×4 KiB down", small, "files/s", "higher", o.runs(), "");
    }

    /**
     * curl fetching the small files in one session, stopped after {@code capSeconds}: files/s over
     * the files it finished. (curl 7.88 sometimes waits a whole second before connecting the data
     * connection when the server's EPSV reply arrives quickly: its poll misses the reply already
     * read. Against a fast server that can be every file, so it must not run unbounded.)
     */
    static double curlFilesPerSecond(Path config, double capSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "-sS", "-K", config.toString(), "-w", "%{response_code}\\n")
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
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        } else {
            Files.createDirectories(dir);
        }
        if (owner != null) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(owner));
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
