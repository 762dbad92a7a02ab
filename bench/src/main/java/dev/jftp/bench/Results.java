package dev.jftp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The measured rows (results.tsv) and facts about the run (meta.tsv), written as they come in so
 * that an interrupted run keeps what it measured, and read back by {@link Report}.
 */
final class Results {
    /**
     * One figure for one server, the best of its runs.
     *
     * @param better   "higher" or "lower": which way is better for {@code value}
     * @param cpuSeconds server CPU time (user + system, whole process tree) during the best run; -1 if not measured
     * @param rssKb    server peak RSS during the best run (tree sum); for concurrency, RSS with all sessions open
     * @param pssKb    proportional set size (tree sum) where measured, else -1
     */
    record Row(String server, String figure, String label, double value, String unit, String better,
               double cpuSeconds, long rssKb, long pssKb, int runs, String note) {
        String tsv() {
            return String.join("\t", server, figure, label, String.format(Locale.ROOT, "%.4f", value), unit, better,
                    String.format(Locale.ROOT, "%.3f", cpuSeconds), Long.toString(rssKb), Long.toString(pssKb),
                    Integer.toString(runs), note.replace('\t', ' ').replace('\n', ' '));
        }

        static Row parse(String line) {
            String[] f = line.split("\t", -1);
            return new Row(f[0], f[1], f[2], Double.parseDouble(f[3]), f[4], f[5], Double.parseDouble(f[6]),
                    Long.parseLong(f[7]), Long.parseLong(f[8]), Integer.parseInt(f[9]), f.length > 10 ? f[10] : "");
        }

        boolean higherIsBetter() {
            return better.equals("higher");
        }
    }

    static final String HEADER = "server\tfigure\tlabel\tvalue\tunit\tbetter\tcpu_s\trss_kb\tpss_kb\truns\tnote";

    private final Path rows;
    private final Path meta;

    Results(Path dir) {
        this.rows = dir.resolve("results.tsv");
        this.meta = dir.resolve("meta.tsv");
    }

    void reset() throws IOException {
        Files.createDirectories(rows.getParent());
        Files.writeString(rows, HEADER + "\n");
        Files.writeString(meta, "");
    }

    synchronized void add(Row row) throws IOException {
        Files.writeString(rows, row.tsv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.printf(Locale.ROOT, "  %-8s %-16s %12.2f %-10s cpu %7.2f s  mem %8.1f MiB%s%n", row.server(), row.figure(),
                row.value(), row.unit(), row.cpuSeconds(), row.rssKb() / 1024.0, row.note().isEmpty() ? "" : "  (" + row.note() + ")");
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
