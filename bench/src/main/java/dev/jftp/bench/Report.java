package dev.jftp.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;

/**
 * Writes REPORT.md (tables of the figures and their ratios to vsftpd, the targets, the check
 * against curl) and chart.png (ratios to vsftpd, drawn with java.awt, headless), and optionally
 * puts the main table and the chart into the README between the bench markers.
 */
final class Report {
    static final String README_BEGIN = "<!-- bench:begin (bench/run writes this part) -->";
    static final String README_END = "<!-- bench:end -->";

    private static final List<String> SERVERS = List.of("ceiling", "vsftpd", "jftpd", "jftpd-alt", "jftpd-s3", "pureftpd", "pyftpdlib", "apache");
    /** The servers jftpd is measured against: "the best peer" of issue 5 is the best of these in the same run. */
    private static final List<String> PEERS = List.of("vsftpd", "pureftpd", "pyftpdlib", "apache");
    /** Names for servers the run has no label for (skipped before they were started). */
    private static final Map<String, String> NAMES = Map.of("ceiling", "kernel ceiling (own process)", "vsftpd", "vsftpd",
            "jftpd", "jftpd", "jftpd-alt", "jftpd, alternative", "jftpd-s3", "jftpd on S3", "pureftpd", "Pure-FTPd", "pyftpdlib", "pyftpdlib", "apache", "Apache FtpServer");
    private static final List<String> MAIN_FIGURES = List.of("retr", "stor", "small_down", "small_up", "login", "list");
    /** The figures that have a ceiling: the load generator's RETR and STOR, against the ceiling peer's, same sink and source. */
    private static final List<String> CEILING_FIGURES = List.of("retr", "stor");
    static final String ABOVE = "**above the ceiling**";

    private Report() {
    }

    static void write(Results results, Path dir, Path readme) throws IOException {
        List<Results.Row> rows = results.rows();
        Map<String, String> facts = results.facts();
        String mainTable = mainTable(rows, facts);
        StringBuilder md = new StringBuilder();
        md.append("# jftpd benchmark\n\n");
        md.append("Written by `bench/run` on ").append(facts.getOrDefault("date", "?")).append(".\n\n");
        md.append("- Machine: ").append(facts.getOrDefault("machine", "?")).append("; client and servers share it.\n");
        md.append("- Load average (1/5/15 min) at start: ").append(facts.getOrDefault("load_start", "?"))
                .append("; at end: ").append(facts.getOrDefault("load_end", "?"))
                .append(". Above about 0.5 at the start, other work shared the cores: trust the ratios (same run) more than the absolute numbers.\n");
        md.append("- Mode: ").append(facts.getOrDefault("mode", "?")).append("; each figure is the best of ")
                .append(facts.getOrDefault("runs", "?")).append(" run(s) (RETR, STOR and the client against curl: ").append(facts.getOrDefault("transfer_runs", "?"))
                .append(", their ceilings ").append(facts.getOrDefault("ceiling_runs", "as many"))
                .append(", as a ceiling is a maximum; small files: ").append(facts.getOrDefault("small_runs", facts.getOrDefault("runs", "?")))
                .append("; the start-up figure: more), with the lowest and highest run in brackets.\n");
        md.append("- Every server runs from start to end on its own port and each figure goes round them, interleaved: first"
                + " A B C D, then D C B A, and so on, so that a slow drift of the machine's load falls on all alike. Idle servers"
                + " cost the measured one little (the CPU each used while all were idle: ").append(facts.getOrDefault("idle_cpu", "?"))
                .append("). The concurrency steps come last, one server at a time while the others are idle. The 1-minute load"
                + " average read before each run is in runs.tsv and in the spread table below.\n");
        if (facts.containsKey("page_reporting")) {
            md.append("- Free page reporting to the virtual machine's host: ").append(facts.get("page_reporting")).append(".\n");
        }
        for (Map.Entry<String, String> f : facts.entrySet()) {
            if (f.getKey().startsWith("settle_")) {
                md.append("- Settling ").append(f.getValue()).append(".\n");
            }
        }
        md.append("- ").append(facts.getOrDefault("java", "")).append(" runs the load generator, jftpd")
                .append(facts.getOrDefault("jftpd_java_opts", "").isBlank() ? "" : " (with " + facts.get("jftpd_java_opts") + ")")
                .append(" and Apache FtpServer")
                .append(facts.containsKey("python") ? "; " + facts.get("python") + " runs pyftpdlib" : "").append(".\n\n");
        md.append("## Figures (ratio to vsftpd in parentheses; for LIST, vsftpd's time divided by the server's)\n\n");
        md.append(mainTable).append('\n');
        md.append("![ratios to vsftpd](chart.png)\n\n");
        md.append("## Ceilings (each in a process of its own, as every server is)\n\n");
        md.append(ceilingSection(rows, facts)).append('\n');
        md.append("## Spread of the runs, and the load before them\n\n");
        md.append(spreadTable(rows, facts)).append('\n');
        md.append("## Server CPU time and peak memory during the best run\n\n");
        md.append(costTable(rows, facts)).append('\n');
        md.append("CPU is user + system time of all the server's processes (vsftpd and Pure-FTPd fork two per session), measured with "
                + facts.getOrDefault("cpu_method", "?") + ", for RETR, STOR and small files over the span the figure is timed"
                + " (the session's login before it not counted), for the others over the whole run; peak memory is the PSS of all its processes summed, sampled every 50 ms (for a server of one process, its VmHWM, reset before each run, when higher). PSS counts a page shared by n processes as 1/n in each, so vsftpd's many processes are not counted n times over.\n\n");
        md.append("## Concurrent sessions (each logged in and answering NOOP)\n\n");
        md.append(concurrencyTable(rows, facts)).append('\n');
        md.append("RSS and PSS are summed over the server's process tree while every session is open. PSS splits shared pages among the"
                + " processes sharing them, so it is the fair memory figure for a forking server; for the servers of one process RSS and PSS agree.\n\n");
        md.append("## Targets (issues 5 and 16)\n\n");
        md.append(targets(rows, results.runs(), facts)).append('\n');
        md.append("## Is the load generator the bottleneck? (same server, same file, curl 7.88)\n\n");
        md.append(curlTable(rows)).append('\n');
        md.append("## The jftp client against curl (on jftpd, same file, same disk)\n\n");
        md.append(clientTable(rows, facts)).append('\n');
        md.append("## Logins through HAProxy with the accounts in PostgreSQL (jftpd)\n\n");
        md.append(postgresLoginTable(rows, facts)).append('\n');
        md.append("## Password hashing\n\n");
        for (String s : SERVERS) {
            if (facts.containsKey("hashing_" + s)) {
                md.append("- ").append(label(facts, s)).append(": ").append(facts.get("hashing_" + s)).append('\n');
            }
        }
        md.append('\n');
        md.append("## Notes\n\n");
        for (Results.Row r : rows) {
            if (!r.note().isEmpty() && !r.figure().startsWith("conc_") && !r.server().equals("ceiling") && !r.figure().contains("_start")) {
                md.append("- ").append(label(facts, r.server())).append(", ").append(r.label()).append(": ").append(r.note()).append('\n');
            }
        }
        for (Map.Entry<String, String> f : facts.entrySet()) {
            if (f.getKey().startsWith("failure_")) {
                md.append("- ").append(label(facts, f.getKey().substring("failure_".length()))).append(" not measured: ")
                        .append(f.getValue()).append('\n');
            } else if (f.getKey().startsWith("error_")) {
                md.append("- Error (that figure not counted for that server): ").append(f.getKey().substring(6)).append(": ")
                        .append(f.getValue()).append('\n');
            } else if (f.getKey().equals("client_skipped")) {
                md.append("- ").append(f.getKey()).append(": ").append(f.getValue()).append('\n');
            }
        }
        md.append("- Small files: a server still busy after ").append((int) Bench.SMALL_CAP_SECONDS)
                .append(" s is measured over the files it moved by then.\n");
        md.append("- Raw data: results.tsv (one row per figure and server), runs.tsv (every run, its place in the rotation and the load"
                + " before it) and meta.tsv beside this file.\n");
        Files.writeString(dir.resolve("REPORT.md"), md.toString());
        Chart.draw(rows, facts, dir.resolve("chart.png"));
        if (readme != null && Files.exists(readme)) {
            updateReadme(readme, facts, mainTable);
        }
    }

    static String label(Map<String, String> facts, String server) {
        return server.equals("ceiling") ? NAMES.get(server) : facts.getOrDefault("label_" + server, NAMES.getOrDefault(server, server));
    }

    private static List<String> presentServers(List<Results.Row> rows) {
        List<String> result = new ArrayList<>();
        for (String s : SERVERS) {
            if (rows.stream().anyMatch(r -> r.server().equals(s))) {
                result.add(s);
            }
        }
        return result;
    }

    static String format(double value, String unit) {
        if (unit.equals("s")) {
            return String.format(Locale.ROOT, "%.2f s", value);
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The server's figure as a multiple of vsftpd's, higher always better. */
    static OptionalDouble ratio(List<Results.Row> rows, String server, String figure) {
        Optional<Results.Row> r = Results.find(rows, server, figure);
        Optional<Results.Row> base = Results.find(rows, "vsftpd", figure);
        if (r.isEmpty() || base.isEmpty() || r.get().value() <= 0 || base.get().value() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(r.get().higherIsBetter() ? r.get().value() / base.get().value() : base.get().value() / r.get().value());
    }

    static String ratioText(double ratio) {
        return ratio >= 10 ? String.format(Locale.ROOT, "%.0f×", ratio) : ratio >= 0.1
                ? String.format(Locale.ROOT, "%.2f×", ratio) : String.format(Locale.ROOT, "%.3f×", ratio);
    }

    static String mainTable(List<Results.Row> rows, Map<String, String> facts) {
        List<String> servers = presentServers(rows);
        StringBuilder sb = new StringBuilder("| figure |");
        for (String s : servers) {
            sb.append(' ').append(label(facts, s)).append(" |");
        }
        sb.append("\n|---|").append("---:|".repeat(servers.size())).append('\n');
        for (String figure : MAIN_FIGURES) {
            Optional<Results.Row> any = rows.stream().filter(r -> r.figure().equals(figure)).findFirst();
            if (any.isEmpty()) {
                continue;
            }
            sb.append("| ").append(any.get().label()).append(" (").append(any.get().unit()).append(") |");
            for (String s : servers) {
                Optional<Results.Row> r = Results.find(rows, s, figure);
                if (r.isEmpty()) {
                    sb.append(" – |");
                    continue;
                }
                sb.append(' ').append(format(r.get().value(), r.get().unit()));
                OptionalDouble ratio = ratio(rows, s, figure);
                if (ratio.isPresent()) {
                    sb.append(" (").append(ratioText(ratio.getAsDouble())).append(')');
                }
                sb.append(spread(r.get()));
                if (s.equals("ceiling") && figure.equals("stor")) {
                    sb.append(r.get().note().endsWith("splice") ? " splice" : " read/write");
                }
                if (aboveCeiling(rows, r.get())) {
                    sb.append(' ').append(ABOVE);
                }
                sb.append(" |");
            }
            sb.append('\n');
        }
        // the largest concurrency step each server held, with its memory there
        List<String> steps = concurrencySteps(rows);
        if (!steps.isEmpty()) {
            sb.append("| sessions held (of ").append(steps.get(steps.size() - 1).substring(5)).append("), memory (PSS) there |");
            for (String s : servers) {
                Optional<Results.Row> largest = rows.stream().filter(r -> r.server().equals(s) && r.figure().startsWith("conc_"))
                        .reduce((a, b) -> b);
                sb.append(largest.map(r -> String.format(Locale.ROOT, " %,d, %.0f MiB |", (long) r.value(), r.pssKb() / 1024.0)).orElse(" – |"));
            }
            sb.append('\n');
        }
        sb.append("\nBest of the runs, ratio to vsftpd in parentheses, lowest–highest run in brackets.");
        if (rows.stream().anyMatch(r -> aboveCeiling(rows, r))) {
            sb.append(" ").append(ABOVE).append(": higher than the kernel's own ceiling measured in the same run, which no server"
                    + " can be: a measurement error (noise, or a fault of the benchmark), never counted as met in the targets.");
        }
        sb.append('\n');
        String missing = notMeasured(facts);
        if (!missing.isEmpty()) {
            sb.append("\nNot measured in this run: ").append(missing).append(".\n");
        }
        return sb.toString();
    }

    /** " [lowest–highest]" of a figure's runs, or nothing for a single run. */
    static String spread(Results.Row r) {
        if (r.runs() < 2) {
            return "";
        }
        return " [" + number(r.min(), r.unit()) + "–" + number(r.max(), r.unit()) + "]";
    }

    /** A value without its unit. */
    static String number(double value, String unit) {
        return unit.equals("s") ? String.format(Locale.ROOT, "%.3f", value).replaceAll("(\\.\\d\\d)0$", "$1") : format(value, unit);
    }

    /** The ceiling of a figure (RETR: sendfile; STOR: the faster of splice and read/write), if measured. */
    static Optional<Results.Row> ceiling(List<Results.Row> rows, String figure) {
        return CEILING_FIGURES.contains(figure) ? Results.find(rows, "ceiling", figure) : Optional.empty();
    }

    /** A server's figure above its ceiling of the same run: impossible, so a measurement error. */
    static boolean aboveCeiling(List<Results.Row> rows, Results.Row r) {
        return !r.server().equals("ceiling") && ceiling(rows, r.figure()).map(c -> r.value() > c.value()).orElse(false);
    }

    /** The servers that were asked for but skipped or failed, with the reason. */
    static String notMeasured(Map<String, String> facts) {
        List<String> result = new ArrayList<>();
        for (Map.Entry<String, String> f : facts.entrySet()) {
            if (f.getKey().startsWith("failure_")) {
                String server = f.getKey().substring("failure_".length());
                result.add(label(facts, server) + " (" + f.getValue() + ")");
            }
        }
        return String.join("; ", result);
    }

    static List<String> concurrencySteps(List<Results.Row> rows) {
        return rows.stream().map(Results.Row::figure).filter(f -> f.startsWith("conc_")).distinct()
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a.substring(5)), Integer.parseInt(b.substring(5)))).toList();
    }

    static String costTable(List<Results.Row> rows, Map<String, String> facts) {
        List<String> servers = presentServers(rows).stream().filter(s -> !s.equals("ceiling")).toList();
        StringBuilder sb = new StringBuilder("| figure |");
        for (String s : servers) {
            sb.append(' ').append(label(facts, s)).append(": CPU s, peak MiB |");
        }
        sb.append("\n|---|").append("---:|".repeat(servers.size())).append('\n');
        List<String> figures = new ArrayList<>(MAIN_FIGURES);
        figures.addAll(List.of("curl_retr", "curl_stor", "curl_small_down", "client_get", "curl_get_file", "client_put", "curl_put"));
        for (String figure : figures) {
            Optional<Results.Row> any = rows.stream().filter(r -> r.figure().equals(figure)).findFirst();
            if (any.isEmpty()) {
                continue;
            }
            sb.append("| ").append(any.get().label()).append(" |");
            for (String s : servers) {
                sb.append(Results.find(rows, s, figure).map(r -> String.format(Locale.ROOT, " %.2f, %.0f |", r.cpuSeconds(), r.rssKb() / 1024.0))
                        .orElse(" – |"));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String concurrencyTable(List<Results.Row> rows, Map<String, String> facts) {
        List<String> servers = presentServers(rows).stream().filter(s -> !s.equals("ceiling")).toList();
        StringBuilder sb = new StringBuilder("| sessions |");
        for (String s : servers) {
            sb.append(' ').append(label(facts, s)).append(": held, RSS / PSS MiB, CPU s |");
        }
        sb.append("\n|---|").append("---:|".repeat(servers.size())).append('\n');
        for (String step : concurrencySteps(rows)) {
            sb.append(String.format(Locale.ROOT, "| %,d |", Integer.parseInt(step.substring(5))));
            for (String s : servers) {
                sb.append(Results.find(rows, s, step).map(r -> String.format(Locale.ROOT, " %,d, %.0f / %.0f, %.1f |", (long) r.value(),
                        r.rssKb() / 1024.0, r.pssKb() / 1024.0, r.cpuSeconds())).orElse(" not reached |"));
            }
            sb.append('\n');
        }
        for (Results.Row r : rows) {
            if (r.figure().startsWith("conc_") && !r.note().isEmpty()) {
                sb.append("\n").append(label(facts, r.server())).append(", ").append(r.label()).append(": ").append(r.note()).append('\n');
            }
        }
        return sb.toString();
    }

    private static double value(List<Results.Row> rows, String server, String figure) {
        return Results.find(rows, server, figure).map(Results.Row::value).orElse(Double.NaN);
    }

    /** The best peer for a figure in this run, and its value. */
    record Best(String server, double value) {
    }

    /** The best of the peers measured on {@code figure} (higher or lower, as the figure wants); empty if none was. */
    static Optional<Best> bestPeer(List<Results.Row> rows, String figure) {
        Best best = null;
        for (String peer : PEERS) {
            Optional<Results.Row> r = Results.find(rows, peer, figure);
            if (r.isEmpty() || r.get().value() <= 0) {
                continue;
            }
            boolean better = best == null || (r.get().higherIsBetter() ? r.get().value() > best.value() : r.get().value() < best.value());
            if (better) {
                best = new Best(peer, r.get().value());
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * jftpd against the best peer on a figure, naming that peer and its figure. Where the figure
     * had several rounds, also the median over rounds of jftpd's run divided by that peer's run of
     * the same round: on a machine whose runs spread widely, one fast run can make the best of the
     * runs look like a win, so the target counts as met only when both say so.
     */
    private static void targetBestPeer(StringBuilder sb, List<Results.Row> rows, List<Results.Run> runs, Map<String, String> facts,
                                       String what, String figure) {
        Optional<Best> best = bestPeer(rows, figure);
        Optional<Results.Row> ours = Results.find(rows, "jftpd", figure);
        if (best.isEmpty() || ours.isEmpty()) {
            sb.append("| ").append(what).append(" | not measured in this run | – | – |\n");
            return;
        }
        Results.Row r = ours.get();
        double ratio = r.higherIsBetter() ? r.value() / best.get().value() : best.get().value() / r.value();
        Results.Row peer = Results.find(rows, best.get().server(), figure).orElseThrow();
        double perRound = perRound(runs, figure, best.get().server(), r.higherIsBetter());
        String met = aboveCeiling(rows, r) ? "**no: measurement error** (jftpd above the ceiling)"
                : aboveCeiling(rows, peer) ? "**no: measurement error** (the peer above the ceiling)"
                : ratio >= 1.0 && (Double.isNaN(perRound) || perRound >= 1.0) ? "yes"
                : ratio >= 1.0 ? "**no** (the best run only)" : "**no**";
        sb.append("| ").append(what).append(" | ").append(ratioText(ratio)).append(" (").append(format(r.value(), r.unit()))
                .append(" against ").append(format(best.get().value(), r.unit())).append(")")
                .append(Double.isNaN(perRound) ? "" : "; per round " + ratioText(perRound)).append(" | ")
                .append(label(facts, best.get().server())).append(" | ").append(met).append(" |\n");
    }

    /**
     * The median over rounds of jftpd's run divided by {@code peer}'s run of the same round (inverted
     * where lower is better); NaN with fewer than 3 rounds that have both.
     */
    static double perRound(List<Results.Run> runs, String figure, String peer, boolean higherIsBetter) {
        Map<Integer, Double> ours = new java.util.HashMap<>();
        Map<Integer, Double> theirs = new java.util.HashMap<>();
        for (Results.Run run : runs) {
            if (run.figure().equals(figure) && run.value() > 0) {
                if (run.server().equals("jftpd")) {
                    ours.put(run.round(), run.value());
                } else if (run.server().equals(peer)) {
                    theirs.put(run.round(), run.value());
                }
            }
        }
        double[] ratios = ours.entrySet().stream().filter(e -> theirs.containsKey(e.getKey()))
                .mapToDouble(e -> higherIsBetter ? e.getValue() / theirs.get(e.getKey()) : theirs.get(e.getKey()) / e.getValue())
                .toArray();
        return ratios.length < 3 ? Double.NaN : Rotation.median(ratios);
    }

    static String targets(List<Results.Row> rows, List<Results.Run> runs, Map<String, String> facts) {
        StringBuilder sb = new StringBuilder("| target | measured | best peer | met |\n|---|---|---|---|\n");
        targetBestPeer(sb, rows, runs, facts, "RETR ≥ 1.0× the best peer", "retr");
        double toCeiling = value(rows, "jftpd", "retr") / value(rows, "ceiling", "retr");
        if (toCeiling > 1) {
            sb.append("| RETR ≥ 0.9× the sendfile ceiling | ").append(ratioText(toCeiling))
                    .append(" | – | **no: measurement error** (above the ceiling) |\n");
        } else {
            target(sb, "RETR ≥ 0.9× the sendfile ceiling", toCeiling, 0.9);
        }
        targetBestPeer(sb, rows, runs, facts, "STOR ≥ 1.0× the best peer", "stor");
        targetBestPeer(sb, rows, runs, facts, "small files down ≥ 1.0× the best peer", "small_down");
        targetBestPeer(sb, rows, runs, facts, "small files up ≥ 1.0× the best peer", "small_up");
        target(sb, "small files down ≥ 50× Apache FtpServer", value(rows, "jftpd", "small_down") / value(rows, "apache", "small_down"), 50);
        target(sb, "small files up ≥ 50× Apache FtpServer", value(rows, "jftpd", "small_up") / value(rows, "apache", "small_up"), 50);
        targetBestPeer(sb, rows, runs, facts, "logins/s ≥ 1.0× the best peer (with PBKDF2 600,000 stored hashes)", "login");
        Optional<Results.Row> c10k = Results.find(rows, "jftpd", "conc_10000");
        if (c10k.isPresent()) {
            Results.Row r = c10k.get();
            boolean met = r.value() >= 10_000 && r.rssKb() <= 512 * 1024;
            sb.append(String.format(Locale.ROOT, "| 10,000 sessions held, RSS ≤ 512 MiB | %,d held, %.0f MiB | – | %s |%n", (long) r.value(),
                    r.rssKb() / 1024.0, met ? "yes" : "**no**"));
        } else {
            sb.append("| 10,000 sessions held, RSS ≤ 512 MiB | not measured in this run | – | – |\n");
        }
        Optional<Results.Row> list = Results.find(rows, "jftpd", "list");
        list.ifPresent(r -> sb.append(String.format(Locale.ROOT,
                "| LIST of 100,000 entries streams: memory does not grow with the directory | %s | – | %s |%n",
                r.note().replaceAll("^[^;]*; ", ""), r.rssKb() - listStartKb(r) < 32 * 1024 ? "yes (grew < 32 MiB)" : "**check**")));
        double get = value(rows, "jftpd", "client_get") / value(rows, "jftpd", "curl_get_file");
        double put = value(rows, "jftpd", "client_put") / value(rows, "jftpd", "curl_put");
        target(sb, "jftp get within 5% of curl (on jftpd)", get, 0.95);
        target(sb, "jftp put within 5% of curl (on jftpd)", put, 0.95);
        List<String> above = rows.stream().filter(r -> aboveCeiling(rows, r))
                .map(r -> label(facts, r.server()) + " " + r.label()).toList();
        if (rows.stream().anyMatch(r -> r.server().equals("ceiling"))) {
            sb.append("| no figure above its ceiling (issue 16) | ").append(above.isEmpty() ? "none above" : String.join(", ", above))
                    .append(" | – | ").append(above.isEmpty() ? "yes" : "**no**").append(" |\n");
        } else {
            sb.append("| no figure above its ceiling (issue 16) | the ceiling was not measured in this run | – | – |\n");
        }
        List<String> peers = PEERS.stream().filter(p -> rows.stream().anyMatch(r -> r.server().equals(p)))
                .map(p -> label(facts, p)).toList();
        sb.append("\nThe best peer is the best of the peers measured in this run: ")
                .append(peers.isEmpty() ? "none" : String.join(", ", peers)).append('.');
        String missing = notMeasured(facts);
        if (!missing.isEmpty()) {
            sb.append(" Not measured: ").append(missing).append('.');
        }
        sb.append('\n');
        return sb.toString();
    }

    /** The memory before the LIST, from its note ("... %.0f MiB before the LIST ..."). */
    private static long listStartKb(Results.Row r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("memory (\\d+) MiB before").matcher(r.note());
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
    }

    private static void target(StringBuilder sb, String what, double ratio, double needed) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            sb.append("| ").append(what).append(" | not measured in this run | – | – |\n");
            return;
        }
        sb.append("| ").append(what).append(" | ").append(ratioText(ratio)).append(" | – | ").append(ratio >= needed ? "yes" : "**no**").append(" |\n");
    }

    static String curlTable(List<Results.Row> rows) {
        StringBuilder sb = new StringBuilder("| figure | server | load generator | curl | generator ÷ curl |\n|---|---|---:|---:|---:|\n");
        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("retr", "curl_retr");
        pairs.put("stor", "curl_stor");
        pairs.put("small_down", "curl_small_down");
        for (String server : List.of("vsftpd")) {
            for (Map.Entry<String, String> p : pairs.entrySet()) {
                Optional<Results.Row> gen = Results.find(rows, server, p.getKey());
                Optional<Results.Row> curl = Results.find(rows, server, p.getValue());
                if (gen.isPresent() && curl.isPresent()) {
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %s %s | %s %s | %s |%n", gen.get().label(), server,
                            format(gen.get().value(), gen.get().unit()), gen.get().unit(), format(curl.get().value(), curl.get().unit()),
                            curl.get().unit(), ratioText(gen.get().value() / curl.get().value())));
                }
            }
        }
        sb.append("\nA ratio ≥ 1.0 on vsftpd means the load generator drives it at least as hard as curl does."
                + " curl's small-file figure includes starting curl once (one session for all files); curl 7.88 sometimes waits"
                + " a whole second before it connects a data connection (its poll misses an EPSV reply it has already read), so"
                + " that figure is bounded in time and only shows that the generator is not the slower of the two.\n");
        return sb.toString();
    }

    /** Figure 8 (see ClusterLoginFigures): next to jftpd's "login" row, whose account is given on the command line. */
    static String postgresLoginTable(List<Results.Row> rows, Map<String, String> facts) {
        if (Results.find(rows, "jftpd", "login_pg_cached").isEmpty()) {
            return "Not measured: " + facts.getOrDefault("login_pg_skipped", "the login figure was not run") + ".\n";
        }
        StringBuilder sb = new StringBuilder("| logins | sessions/s | server CPU s, peak MiB |\n|---|---:|---:|\n");
        for (String figure : List.of("login", "login_pg_cached", "login_pg_cold")) {
            Results.find(rows, "jftpd", figure).ifPresent(r -> sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f, %.0f |%n",
                    figure.equals("login") ? r.label() + ", account on the command line, direct" : r.label(), format(r.value(), r.unit()),
                    r.cpuSeconds(), r.rssKb() / 1024.0)));
        }
        sb.append("\nCached: the same user again and again, answered by the node's verified-login cache without asking the database."
                + " Cold: every login a user the node has not seen, so each costs a database lookup and one PBKDF2 check"
                + " (600,000 iterations), which bounds it. One jftpd node behind HAProxy (Debian's package) in TCP mode with send-proxy-v2,"
                + " PostgreSQL on the same machine.\n");
        if (facts.containsKey("login_pg_note")) {
            sb.append("Note: ").append(facts.get("login_pg_note")).append(".\n");
        }
        return sb.toString();
    }

    static String clientTable(List<Results.Row> rows, Map<String, String> facts) {
        if (Results.find(rows, "jftpd", "client_get").isEmpty()) {
            return "Not measured: " + facts.getOrDefault("client_skipped", "the client figure was not run") + ".\n";
        }
        StringBuilder sb = new StringBuilder("| transfer | jftp | curl | jftp ÷ curl |\n|---|---:|---:|---:|\n");
        for (String[] pair : new String[][] {{"client_get", "curl_get_file"}, {"client_put", "curl_put"}}) {
            Optional<Results.Row> jftp = Results.find(rows, "jftpd", pair[0]);
            Optional<Results.Row> curl = Results.find(rows, "jftpd", pair[1]);
            if (jftp.isPresent() && curl.isPresent()) {
                sb.append(String.format(Locale.ROOT, "| %s | %s MiB/s | %s MiB/s | %s |%n", jftp.get().label().replace("jftp ", ""),
                        format(jftp.get().value(), "MiB/s"), format(curl.get().value(), "MiB/s"),
                        ratioText(jftp.get().value() / curl.get().value())));
            }
        }
        sb.append("\nWall time of the whole command (start, login, transfer, exit), best of the runs, lowest–highest in"
                + " brackets, jftp and curl alternating; the first jftp run, which may build the client, is not counted.\n");
        if (Results.find(rows, "jftpd", "client_start").isPresent()) {
            sb.append("\nStart-up: a one-shot session that logs in and leaves, against jftpd (best, median, lowest–highest of the runs;"
                    + " load average before them ").append(Results.find(rows, "jftpd", "client_start").get().load()).append("):\n\n");
            sb.append("| command | wall | CPU (user + system) |\n|---|---:|---:|\n");
            for (String name : List.of("client_start", "curl_start")) {
                Optional<Results.Row> wall = Results.find(rows, "jftpd", name);
                Optional<Results.Row> cpu = Results.find(rows, "jftpd", name + "_cpu");
                if (wall.isPresent() && cpu.isPresent()) {
                    sb.append("| ").append(wall.get().label()).append(" | ").append(bestMedianSpread(wall.get())).append(" | ")
                            .append(bestMedianSpread(cpu.get())).append(" |\n");
                }
            }
            sb.append("\njftp is `bin/jftp -b FILE` with a FILE of only `bye` (the script, its JVM with the AOT cache, login, QUIT);"
                    + " curl is `curl -I ftp://user:…@127.0.0.1:PORT/` (USER, PASS, PWD, then it closes without QUIT)."
                    + " CPU is bash's `time`: the command and every process it started. The machine was left to settle before them (see the settling line above).\n");
        }
        return sb.toString();
    }

    /** "best s (median m, lo–hi)" of a row. */
    static String bestMedianSpread(Results.Row r) {
        return number(r.value(), r.unit()) + " " + r.unit() + (r.runs() < 2 ? ""
                : " (median " + number(r.median(), r.unit()) + ", " + number(r.min(), r.unit()) + "–" + number(r.max(), r.unit()) + ")");
    }

    /**
     * The ceilings, how each was measured, and each server's RETR and STOR as a share of them.
     */
    static String ceilingSection(List<Results.Row> rows, Map<String, String> facts) {
        if (rows.stream().noneMatch(r -> r.server().equals("ceiling"))) {
            return "Not measured in this run" + (facts.containsKey("failure_ceiling") ? ": " + facts.get("failure_ceiling") : "") + ".\n";
        }
        StringBuilder sb = new StringBuilder("| ceiling | how | best | median | lowest–highest | peer CPU s (best run) |\n"
                + "|---|---|---:|---:|---:|---:|\n");
        Map<String, String> how = new LinkedHashMap<>();
        how.put("retr", "RETR: sendfile(2) of the file into the socket; the generator's RETR sink reads it");
        how.put("stor_splice", "STOR: splice(2) socket → pipe → file; the generator's STOR source writes it");
        how.put("stor_copy", "STOR: read(2) into 1 MiB, write(2) to the file (two copies)");
        for (Map.Entry<String, String> h : how.entrySet()) {
            Results.find(rows, "ceiling", h.getKey()).ifPresent(r -> sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s–%s | %.2f |%n",
                    r.label(), h.getValue(), format(r.value(), r.unit()), format(r.median(), r.unit()), format(r.min(), r.unit()),
                    format(r.max(), r.unit()), r.cpuSeconds())));
        }
        sb.append("""

                The ceilings run in `bench/src/main/python/ceiling_peer.py`, a process of its own, reached over loopback by the
                same load generator with the same sink (RETR) and source (STOR) as the FTP figures, and measured in the same
                rotation. RETR: no server sends a file with fewer copies than sendfile's none on its side. STOR: a process must
                copy every byte once from the socket's buffers into the file's page cache; splice does just that one copy,
                a read/write loop does two (the receiving side's plain loop, what an FTP server runs); the STOR ceiling is the
                faster of the two in this run. (A sender and a receiver thread in one JVM, the earlier ceiling, share the
                process and came out below what servers reached from their own processes.)

                """);
        sb.append("| server | RETR ÷ ceiling | STOR ÷ ceiling |\n|---|---:|---:|\n");
        for (String s : presentServers(rows)) {
            if (s.equals("ceiling")) {
                continue;
            }
            sb.append("| ").append(label(facts, s)).append(" |");
            for (String figure : CEILING_FIGURES) {
                Optional<Results.Row> r = Results.find(rows, s, figure);
                Optional<Results.Row> c = ceiling(rows, figure);
                sb.append(r.isPresent() && c.isPresent() ? " " + ratioText(r.get().value() / c.get().value())
                        + (aboveCeiling(rows, r.get()) ? " " + ABOVE : "") + " |" : " – |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Every figure of every server: best, median, spread of the runs, and the 1-minute load average before them. */
    static String spreadTable(List<Results.Row> rows, Map<String, String> facts) {
        StringBuilder sb = new StringBuilder("| figure | server | runs | best | median | lowest–highest | spread | load before the runs |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|\n");
        List<String> figures = rows.stream().map(Results.Row::figure).distinct().toList();
        for (String figure : figures) {
            for (String s : SERVERS) {
                Results.find(rows, s, figure).ifPresent(r -> sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s–%s | %s | %s |%n",
                        r.label(), label(facts, s) + (s.equals("ceiling") && figure.startsWith("stor_") ? " (" + figure.substring(5) + ")" : ""),
                        r.runs(), number(r.value(), r.unit()), number(r.median(), r.unit()), number(r.min(), r.unit()), number(r.max(), r.unit()),
                        r.median() > 0 ? String.format(Locale.ROOT, "%.0f%%", (r.max() - r.min()) / r.median() * 100) : "–", r.load())));
            }
        }
        sb.append("\nSpread: (highest − lowest) ÷ median. A figure whose spread is wide was measured on a machine whose load moved;"
                + " its ratios deserve less trust than its neighbours'.\n");
        return sb.toString();
    }

    /** Replaces the README's generated part (between the markers) with the latest table and the chart. */
    static void updateReadme(Path readme, Map<String, String> facts, String mainTable) throws IOException {
        String text = Files.readString(readme);
        int begin = text.indexOf(README_BEGIN);
        int end = text.indexOf(README_END);
        if (begin < 0 || end < begin) {
            System.out.println("bench: README has no bench markers; not updated");
            return;
        }
        String generated = README_BEGIN + "\n"
                + "Latest full run: " + facts.getOrDefault("date", "?") + ", on " + facts.getOrDefault("machine", "?")
                + " (load average at start " + facts.getOrDefault("load_start", "?") + "), servers interleaved figure by figure."
                + " Best of " + facts.getOrDefault("runs", "?") + " runs (RETR, STOR and the client against curl: " + facts.getOrDefault("transfer_runs", "?")
                + ", their ceilings " + facts.getOrDefault("ceiling_runs", "as many") + "; small files: " + facts.getOrDefault("small_runs", facts.getOrDefault("runs", "?"))
                + "), ratios to vsftpd in parentheses, lowest–highest run in"
                + " brackets; the whole report with the ceilings, the spread and load of every figure, CPU, memory, targets and"
                + " the curl check is [bench/results/REPORT.md](bench/results/REPORT.md).\n\n"
                + mainTable + "\n![ratios to vsftpd](bench/results/chart.png)\n";
        Files.writeString(readme, text.substring(0, begin) + generated + text.substring(end));
    }

    /** The PNG: one group of bars per figure, the ratio to vsftpd on a log scale. */
    static final class Chart {
        private Chart() {
        }

        record Bar(String server, double ratio, boolean aboveCeiling) {
        }

        /** The bars of each group, in this order; vsftpd is the 1× line. */
        private static final List<String> CHART_SERVERS = List.of("jftpd", "pureftpd", "pyftpdlib", "apache", "ceiling");

        static void draw(List<Results.Row> rows, Map<String, String> facts, Path file) throws IOException {
            System.setProperty("java.awt.headless", "true");
            Map<String, List<Bar>> groups = new LinkedHashMap<>();
            for (String figure : MAIN_FIGURES) {
                Optional<Results.Row> any = rows.stream().filter(r -> r.figure().equals(figure)).findFirst();
                if (any.isEmpty()) {
                    continue;
                }
                List<Bar> bars = new ArrayList<>();
                for (String s : CHART_SERVERS) {
                    ratio(rows, s, figure).ifPresent(v -> bars.add(new Bar(s, v,
                            Results.find(rows, s, figure).map(r -> aboveCeiling(rows, r)).orElse(false))));
                }
                groups.put(any.get().label() + (figure.equals("list") ? " (speed)" : ""), bars);
            }
            List<String> steps = concurrencySteps(rows);
            for (String step : steps) {
                Optional<Results.Row> base = Results.find(rows, "vsftpd", step);
                if (base.isEmpty() || base.get().pssKb() <= 0 || base.get().value() <= 0) {
                    continue;
                }
                List<Bar> bars = new ArrayList<>();
                for (String s : CHART_SERVERS.stream().filter(s -> !s.equals("ceiling")).toList()) {
                    Results.find(rows, s, step).filter(r -> r.pssKb() > 0 && r.value() > 0).ifPresent(r -> bars.add(new Bar(s,
                            (base.get().pssKb() / base.get().value()) / (r.pssKb() / r.value()), false)));
                }
                groups.put("memory at " + Results.find(rows, "vsftpd", step).get().label() + " (vsftpd's ÷ server's)", bars);
            }

            int barHeight = 18;
            int groupGap = 16;
            int left = 330;
            int right = 190;
            int top = 70;
            int plotWidth = 700;
            int height = top + 60;
            for (List<Bar> bars : groups.values()) {
                height += Math.max(1, bars.size()) * barHeight + groupGap;
            }
            int width = left + plotWidth + right;
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Ratio to vsftpd (higher is better, log scale) - " + facts.getOrDefault("date", "").replaceAll("T.*", ""), 20, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(facts.getOrDefault("machine", ""), 20, 48);
            if (rows.stream().noneMatch(r -> r.server().equals("vsftpd"))) {
                g.drawString("vsftpd was not measured in this run: no ratios to draw (see REPORT.md for the figures)", 20, 64);
            }

            double minLog = Math.log(1.0 / 128);
            double maxLog = Math.log(128);
            int axisBottom = height - 40;
            java.util.function.DoubleToIntFunction x = r -> left + (int) Math.round(
                    (Math.log(Math.max(Math.min(r, 128), 1.0 / 128)) - minLog) / (maxLog - minLog) * plotWidth);
            for (double tick = 1.0 / 128; tick <= 128.0001; tick *= 2) {
                int tx = x.applyAsInt(tick);
                g.setColor(tick == 1.0 ? Color.BLACK : new Color(225, 225, 225));
                g.setStroke(new BasicStroke(tick == 1.0 ? 2f : 1f));
                g.drawLine(tx, top - 5, tx, axisBottom);
                g.setColor(Color.DARK_GRAY);
                String t = tick >= 1 ? String.format(Locale.ROOT, "%.0f×", tick) : "1/" + Math.round(1 / tick);
                g.drawString(t, tx - g.getFontMetrics().stringWidth(t) / 2, axisBottom + 15);
            }
            g.drawString("vsftpd = 1×", x.applyAsInt(1.0) + 4, top - 8);

            Map<String, Color> colors = Map.of("jftpd", new Color(31, 119, 180), "pureftpd", new Color(44, 160, 44),
                    "pyftpdlib", new Color(148, 103, 189), "apache", new Color(255, 127, 14), "ceiling", new Color(127, 127, 127));
            int y = top;
            g.setStroke(new BasicStroke(1f));
            for (Map.Entry<String, List<Bar>> group : groups.entrySet()) {
                g.setColor(Color.BLACK);
                g.drawString(group.getKey(), 20, y + barHeight - 5);
                for (Bar bar : group.getValue()) {
                    int x0 = x.applyAsInt(1.0);
                    int x1 = x.applyAsInt(bar.ratio());
                    g.setColor(colors.get(bar.server()));
                    g.fillRect(Math.min(x0, x1), y + 2, Math.max(2, Math.abs(x1 - x0)), barHeight - 4);
                    g.setColor(Color.BLACK);
                    String t = label(facts, bar.server()).replaceAll(" [0-9][^ ]*$", "") + " " + ratioText(bar.ratio())
                            + (bar.aboveCeiling() ? " ABOVE THE CEILING: measurement error" : "");
                    int tx = x1 >= x0 ? x1 + 4 : x1 - 4 - g.getFontMetrics().stringWidth(t);
                    if (tx < left) {
                        tx = x0 + 4;
                    }
                    g.drawString(t, tx, y + barHeight - 5);
                    y += barHeight;
                }
                if (group.getValue().isEmpty()) {
                    y += barHeight;
                }
                y += groupGap;
            }
            g.dispose();
            ImageIO.write(image, "png", file.toFile());
        }
    }
}
