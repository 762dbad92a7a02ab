package dev.jftp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Figure 7: the jftp client's get and put of the big file against jftpd, next to curl's on the same
 * server and the same disk, and the start-up of a one-shot session next to curl's. Both write
 * downloads to a file in the work directory (the client writes a part file and renames it: it must
 * never be pointed at /dev/null) and upload the big file. The client runs in batch mode:
 * {@code JFTP_PASSWORD=... jftp -b FILE -P PORT USER@127.0.0.1}. jftp and curl alternate run by
 * run ({@link Rotation}).
 */
final class ClientFigures {
    private ClientFigures() {
    }

    /** One-shot sessions per command for the start-up figure (each is short: they are cheap). */
    static int startupRounds(Bench.Options o) {
        return o.quick() ? 3 : 10;
    }

    static void measure(Bench.Options o, Servers.Running s, Results results) throws Exception {
        Path jftp = o.jftpClient();
        if (jftp == null || !Files.isExecutable(jftp)) {
            results.fact("client_skipped", "bin/jftp not found: the client-versus-curl rows were not measured");
            System.out.println("bench: bin/jftp not found: client figure skipped");
            return;
        }
        Path big = o.root().resolve(o.bigName());
        int port = s.address().getPort();
        String user = s.spec().ftpUser();
        String url = "ftp://" + user + ":" + s.spec().password() + "@127.0.0.1:" + port + "/";
        Path downloaded = o.work().resolve("client-get.bin");
        Path getBatch = o.work().resolve("jftp-get.batch");
        Files.writeString(getBatch, "get " + o.bigName() + " " + downloaded + "\n");
        Path putBatch = o.work().resolve("jftp-put.batch");
        Files.writeString(putBatch, "put " + big + " " + s.spec().uploadDir() + "/client.bin\n");
        Path byeBatch = o.work().resolve("jftp-bye.batch");
        Files.writeString(byeBatch, "bye\n");
        List<String> client = List.of(jftp.toString(), "-b", "", "-P", Integer.toString(port), user + "@127.0.0.1");
        Map<String, String> env = Map.of("JFTP_PASSWORD", s.spec().password());
        Bench.Body removeDownload = () -> {
            Files.deleteIfExists(downloaded);
            return 0;
        };
        Bench.Body removeUploads = Bench.cleanUploads(o, s);
        try {
            Bench.timed(with(client, getBatch), env); // first use builds and warms the client: not counted
            removeDownload.run();
            double mib = o.bigSize() / Figures.MIB;
            Bench.write(results, Rotation.run(List.of(
                    new Rotation.Entry(s, "client_get", "jftp get " + o.bigLabel() + " to a file", "MiB/s", true,
                            () -> mib / Bench.timed(with(client, getBatch), env), removeDownload),
                    new Rotation.Entry(s, "curl_get_file", "curl get " + o.bigLabel() + " to a file", "MiB/s", true,
                            () -> mib / Bench.timed(List.of("curl", "-sS", "-o", downloaded.toString(), url + o.bigName()), Map.of()),
                            removeDownload)), o.transferRuns(), results), (e, best) -> "");
            Bench.write(results, Rotation.run(List.of(
                    new Rotation.Entry(s, "client_put", "jftp put " + o.bigLabel(), "MiB/s", true,
                            () -> mib / Bench.timed(with(client, putBatch), env), removeUploads),
                    new Rotation.Entry(s, "curl_put", "curl put " + o.bigLabel(), "MiB/s", true,
                            () -> mib / Bench.timed(List.of("curl", "-sS", "-T", big.toString(),
                                    url + s.spec().uploadDir() + "/client.bin"), Map.of()), removeUploads)), o.transferRuns(), results),
                    (e, best) -> "");
            startup(o, s, results, with(client, byeBatch), env, url);
        } catch (Exception e) {
            results.fact("client_skipped", "bin/jftp exists but its batch mode failed: " + e.getMessage());
            System.out.println("bench: client figure failed: " + e.getMessage());
        } finally {
            removeDownload.run();
        }
    }

    /**
     * Start-up: a one-shot session that logs in and leaves, the whole command timed, wall and CPU
     * (user + system of the command and everything it started, from bash's {@code time}): jftp with
     * a batch of only {@code bye}, against curl logging in and asking for nothing ({@code -I} on
     * the root: USER, PASS, PWD, then it closes without QUIT). Measured after waiting for a quiet
     * machine; the load before each run is recorded.
     */
    static void startup(Bench.Options o, Servers.Running s, Results results, List<String> jftpBye, Map<String, String> env,
                        String url) throws Exception {
        Bench.settle(o, results, "before the start-up figure");
        List<String> curl = List.of("curl", "-sS", "-I", url);
        Path err = o.work().resolve("startup.err");
        timedWithCpu(jftpBye, env, err); // not counted: page cache, and the client's AOT cache if the get did not make it
        Map<String, List<Double>> cpu = new java.util.HashMap<>();
        List<Rotation.Entry> entries = new ArrayList<>();
        for (String name : List.of("client_start", "curl_start")) {
            List<String> command = name.equals("client_start") ? jftpBye : curl;
            Map<String, String> commandEnv = name.equals("client_start") ? env : Map.of();
            String label = name.equals("client_start") ? "jftp -b (only bye): start, login, exit" : "curl -I ftp://…/: start, login, exit";
            entries.add(new Rotation.Entry(s, name, label, "s", false, () -> {
                Timing t = timedWithCpu(command, commandEnv, err);
                cpu.computeIfAbsent(name, k -> new ArrayList<>()).add(t.cpu());
                return t.wall();
            }, null));
        }
        Map<Rotation.Entry, List<Bench.Sample>> measured = Rotation.run(entries, startupRounds(o), results);
        Bench.write(results, measured, (e, best) -> "wall time of the whole command; CPU in the _cpu row");
        for (Map.Entry<Rotation.Entry, List<Bench.Sample>> m : measured.entrySet()) {
            // the command's own CPU, one value per run, as a row of its own (lower is better)
            List<Double> values = cpu.get(m.getKey().figure());
            List<Bench.Sample> samples = new ArrayList<>();
            for (int i = 0; i < values.size() && i < m.getValue().size(); i++) {
                Bench.Sample w = m.getValue().get(i);
                samples.add(new Bench.Sample(values.get(i), w.cpuSeconds(), w.peakKb(), w.startKb(), w.load1()));
            }
            Rotation.Entry e = m.getKey();
            results.add(Rotation.row(new Rotation.Entry(e.target(), e.figure() + "_cpu", e.label() + " (CPU)", "s", false,
                    e.body(), null), samples, "user + system CPU of the command and its children (bash time)"));
        }
    }

    /** Wall and CPU (user + system, the command and all it started) of one command. */
    record Timing(double wall, double cpu) {
    }

    /** Runs a command under bash's {@code time}: wall and CPU to the millisecond; fails when it exits non-zero. */
    static Timing timedWithCpu(List<String> command, Map<String, String> env, Path err) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("bash", "-c", "TIMEFORMAT='%3R %3U %3S'; time \"$@\" >/dev/null 2>\"$BENCH_ERR\"",
                "bench-time"));
        c.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(c);
        pb.environment().putAll(env);
        pb.environment().put("BENCH_ERR", err.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String timing = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command).replaceAll("//[^@/]*@", "//***@") + " failed: "
                    + (Files.exists(err) ? Files.readString(err).strip() : "") + " " + timing);
        }
        String[] f = timing.substring(timing.lastIndexOf('\n') + 1).trim().split("\\s+");
        return new Timing(Double.parseDouble(f[0]), Double.parseDouble(f[1]) + Double.parseDouble(f[2]));
    }

    private static List<String> with(List<String> command, Path batch) {
        List<String> c = new ArrayList<>(command);
        c.set(2, batch.toString());
        return c;
    }
}
