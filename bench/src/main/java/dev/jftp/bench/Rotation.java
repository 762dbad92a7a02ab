package dev.jftp.bench;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One figure measured on several servers interleaved: round 1 runs each server once in order
 * (A B C D), round 2 in reverse (D C B A), and so on, so that a slow drift of the machine's load
 * (other work starting or ending, writeback, a server's leftovers) falls on every server alike
 * rather than on whoever was measured last. Each run records the 1-minute load average read just
 * before it (runs.tsv). A server whose run fails is dropped from the rest of the figure and the
 * failure is recorded (meta.tsv, key {@code error_SERVER_FIGURE}).
 */
final class Rotation {
    private Rotation() {
    }

    /**
     * One participant: a figure on one server (or on the ceiling peer). {@code between} runs,
     * untimed, after each of its runs (e.g. removing an upload). {@code higherIsBetter} says which
     * run is the best. {@code runsPerRound} runs follow each other at the entry's turn in a round.
     */
    record Entry(Servers.Running target, String figure, String label, String unit, boolean higherIsBetter,
                 Bench.Body body, Bench.Body between, int runsPerRound) {
        Entry(Servers.Running target, String figure, String label, String unit, boolean higherIsBetter, Bench.Body body,
              Bench.Body between) {
            this(target, figure, label, unit, higherIsBetter, body, between, 1);
        }

        /**
         * The ceiling peer's entries: {@value #CEILING_RUNS_PER_ROUND} runs at each turn. A ceiling
         * is a maximum, which the best of more runs estimates better; with as many runs as a server,
         * noise alone put jftpd's best RETR run 1% above the ceiling's in a full run (3,071 against
         * 3,042 MiB/s, medians 2,442 against 2,906), though both send the file the same way; with
         * twice as many, on an Intel Xeon, jftpd's first RETR run was 3% above the best of the
         * ceiling's ten (2,264 against 2,191 MiB/s; medians 1,987 against 2,043). Four per round
         * (20 of 1 GiB in a full run, about 0.5 s each) make the chance that the best of five runs
         * of the same distribution tops them 1 in 5 (it was 1 in 3); a server truly above the
         * ceiling, as the in-process "ceiling" once let jftpd be by 1.7×, still shows.
         */
        Entry asCeiling() {
            return new Entry(target, figure, label, unit, higherIsBetter, body, between, CEILING_RUNS_PER_ROUND);
        }

        String server() {
            return target.spec().name();
        }
    }

    static final int CEILING_RUNS_PER_ROUND = 4;

    /** Runs every entry {@code rounds} times, interleaved; returns the samples of each entry that did not fail. */
    static Map<Entry, List<Bench.Sample>> run(List<Entry> entries, int rounds, Results results) throws Exception {
        Map<Entry, List<Bench.Sample>> samples = new LinkedHashMap<>();
        for (Entry e : entries) {
            samples.put(e, new ArrayList<>());
        }
        for (int round = 1; round <= rounds; round++) {
            List<Entry> order = new ArrayList<>(samples.keySet());
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            int position = 0;
            for (Entry e : order) {
                for (int run = 0; run < e.runsPerRound() && samples.containsKey(e); run++) {
                    position++;
                    Instant started = Instant.now();
                    try {
                        Bench.Sample s = Bench.measure(e.target(), e.body());
                        samples.get(e).add(s);
                        results.run(new Results.Run(e.server(), e.figure(), round, position, s.value(), e.unit(), s.cpuSeconds(),
                                s.peakKb(), s.load1(), started));
                        if (e.between() != null) {
                            e.between().run();
                        }
                    } catch (IOException | RuntimeException ex) {
                        System.out.println("bench: " + e.server() + " " + e.figure() + " failed: " + ex);
                        results.fact("error_" + e.server() + "_" + e.figure(), "run " + round + " failed: " + ex);
                        samples.remove(e);
                    }
                }
            }
        }
        return samples;
    }

    /** The row of an entry: the best run (with its CPU and memory), the median, the spread and the loads. */
    static Results.Row row(Entry e, List<Bench.Sample> samples, String note) {
        Comparator<Bench.Sample> byValue = Comparator.comparingDouble(Bench.Sample::value);
        Bench.Sample best = e.higherIsBetter() ? samples.stream().max(byValue).orElseThrow() : samples.stream().min(byValue).orElseThrow();
        return new Results.Row(e.server(), e.figure(), e.label(), best.value(), e.unit(), e.higherIsBetter() ? "higher" : "lower",
                best.cpuSeconds(), best.peakKb(), -1, samples.size(), note, median(samples.stream().mapToDouble(Bench.Sample::value).toArray()),
                samples.stream().mapToDouble(Bench.Sample::value).min().orElseThrow(),
                samples.stream().mapToDouble(Bench.Sample::value).max().orElseThrow(),
                loadRange(samples.stream().mapToDouble(Bench.Sample::load1).toArray()));
    }

    /** Runs the entries and writes a row for each (no note); returns the rows written. */
    static List<Results.Row> measure(List<Entry> entries, int rounds, Results results) throws Exception {
        List<Results.Row> rows = new ArrayList<>();
        for (Map.Entry<Entry, List<Bench.Sample>> m : run(entries, rounds, results).entrySet()) {
            Results.Row r = row(m.getKey(), m.getValue(), "");
            results.add(r);
            rows.add(r);
        }
        return rows;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** "lowest–highest" of the loads, or the one value. */
    static String loadRange(double[] loads) {
        double lo = java.util.Arrays.stream(loads).min().orElse(Double.NaN);
        double hi = java.util.Arrays.stream(loads).max().orElse(Double.NaN);
        return lo == hi ? String.format(Locale.ROOT, "%.2f", lo) : String.format(Locale.ROOT, "%.2f–%.2f", lo, hi);
    }
}
