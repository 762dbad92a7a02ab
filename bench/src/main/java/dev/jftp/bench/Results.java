package dev.jftp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The measured rows (results.tsv), every single run (runs.tsv) and facts about the run (meta.tsv),
 * written as they come in so that an interrupted run keeps what it measured, and read back by
 * {@link Report}.
 */
final class Results {
    /**
     * One figure for one server over its runs.
     *
     * @param value    the best of the runs (highest or lowest, as {@code better} says)
     * @param better   "higher" or "lower": which way is better for {@code value}
     * @param cpuSeconds server CPU time (user + system, whole process tree) during the best run; -1 if not measured
     * @param rssKb    server peak memory during the best run (tree sum); for concurrency, RSS with all sessions open
     * @param pssKb    proportional set size (tree sum) where measured, else -1
     * @param median   median of the runs
     * @param min      lowest of the runs
     * @param max      highest of the runs
     * @param load     the 1-minute load average read before each run: "lowest–highest" ("?" if not recorded)
     */
    record Row(String server, String figure, String label, double value, String unit, String better,
               double cpuSeconds, long rssKb, long pssKb, int runs, String note,
               double median, double min, double max, String load) {
        /** A figure measured once. */
        static Row single(String server, String figure, String label, double value, String unit, String better,
                          double cpuSeconds, long rssKb, long pssKb, String note, double load1) {
            return new Row(server, figure, label, value, unit, better, cpuSeconds, rssKb, pssKb, 1, note, value, value, value,
                    String.format(Locale.ROOT, "%.2f", load1));
        }

        String tsv() {
            return String.join("\t", server, figure, label, num(value), unit, better,
                    String.format(Locale.ROOT, "%.3f", cpuSeconds), Long.toString(rssKb), Long.toString(pssKb),
                    Integer.toString(runs), note.replace('\t', ' ').replace('\n', ' '), num(median), num(min), num(max), load);
        }

        private static String num(double v) {
            return String.format(Locale.ROOT, "%.4f", v);
        }

        /** Reads a line of results.tsv; one written before the spread columns existed gets its value as the spread. */
        static Row parse(String line) {
            String[] f = line.split("\t", -1);
            double value = Double.parseDouble(f[3]);
            boolean spread = f.length >= 15;
            return new Row(f[0], f[1], f[2], value, f[4], f[5], Double.parseDouble(f[6]),
                    Long.parseLong(f[7]), Long.parseLong(f[8]), Integer.parseInt(f[9]), f.length > 10 ? f[10] : "",
                    spread ? Double.parseDouble(f[11]) : value, spread ? Double.parseDouble(f[12]) : value,
                    spread ? Double.parseDouble(f[13]) : value, spread ? f[14] : "?");
        }

        boolean higherIsBetter() {
            return better.equals("higher");
        }

        /** The same figure under another server name and figure (the STOR ceiling is the faster of two methods). */
        Row as(String server, String figure, String note) {
            return new Row(server, figure, label, value, unit, better, cpuSeconds, rssKb, pssKb, runs, note, median, min, max, load);
        }
    }

    /** One measured run: which figure on which server, in which round and position of the rotation. */
    record Run(String server, String figure, int round, int position, double value, String unit, double cpuSeconds,
               long peakKb, double load1, Instant started) {
        static Run parse(String line) {
            String[] f = line.split("\t", -1);
            return new Run(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4]), f[5],
                    Double.parseDouble(f[6]), Long.parseLong(f[7]), Double.parseDouble(f[8]), Instant.parse(f[9]));
        }

        String tsv() {
            return String.join("\t", server, figure, Integer.toString(round), Integer.toString(position),
                    String.format(Locale.ROOT, "%.4f", value), unit, String.format(Locale.ROOT, "%.3f", cpuSeconds),
                    Long.toString(peakKb), String.format(Locale.ROOT, "%.2f", load1), started.toString());
        }
    }

    static final String HEADER = "server\tfigure\tlabel\tvalue\tunit\tbetter\tcpu_s\trss_kb\tpss_kb\truns\tnote\tmedian\tmin\tmax\tload1";
    static final String RUNS_HEADER = "server\tfigure\tround\tposition\tvalue\tunit\tcpu_s\tpeak_kb\tload1_before\tstarted";

    private final Path rows;
    private final Path runs;
    private final Path meta;

    Results(Path dir) {
        this.rows = dir.resolve("results.tsv");
        this.runs = dir.resolve("runs.tsv");
        this.meta = dir.resolve("meta.tsv");
    }

    void reset() throws IOException {
        Files.createDirectories(rows.getParent());
        Files.writeString(rows, HEADER + "\n");
        Files.writeString(runs, RUNS_HEADER + "\n");
        Files.writeString(meta, "");
    }

    synchronized void add(Row row) throws IOException {
        Files.writeString(rows, row.tsv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        boolean spread = row.runs() > 1;
        System.out.printf(Locale.ROOT, "  %-9s %-16s %12.2f %-10s%s cpu %7.2f s  mem %8.1f MiB  load %s%s%n", row.server(),
                row.figure(), row.value(), row.unit(),
                spread ? String.format(Locale.ROOT, " (median %.2f, %.2f-%.2f)", row.median(), row.min(), row.max()) : "",
                row.cpuSeconds(), row.rssKb() / 1024.0, row.load(), row.note().isEmpty() ? "" : "  (" + row.note() + ")");
    }

    synchronized void run(Run run) throws IOException {
        Files.writeString(runs, run.tsv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    synchronized void fact(String key, String value) throws IOException {
        Files.writeString(meta, key + "\t" + value.replace('\t', ' ').replace('\n', ' ') + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    List<Row> rows() throws IOException {
        List<Row> result = new ArrayList<>();
        for (String line : Files.readAllLines(rows)) {
            if (!line.isBlank() && !line.startsWith("server\t")) {
                result.add(Row.parse(line));
            }
        }
        return result;
    }

    /** Every measured run so far, in the order run; none for results written before runs were kept. */
    List<Run> runs() throws IOException {
        List<Run> result = new ArrayList<>();
        if (Files.exists(runs)) {
            for (String line : Files.readAllLines(runs)) {
                if (!line.isBlank() && !line.startsWith("server\t")) {
                    result.add(Run.parse(line));
                }
            }
        }
        return result;
    }

    /** Facts in the order written; a key written twice keeps its last value. */
    Map<String, String> facts() throws IOException {
        Map<String, String> result = new LinkedHashMap<>();
        if (Files.exists(meta)) {
            for (String line : Files.readAllLines(meta)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    result.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        }
        return result;
    }

    static Optional<Row> find(List<Row> rows, String server, String figure) {
        return rows.stream().filter(r -> r.server().equals(server) && r.figure().equals(figure)).findFirst();
    }
}
