package dev.jftp.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's CPU time and memory from /proc, summed over its process tree (vsftpd runs two
 * processes per session; the Java servers run one). Processes that vanish while being read are
 * skipped: a session that just ended.
 */
final class ProcStats {
    /** USER_HZ: the unit of the times in /proc/PID/stat; 100 on every Linux build that matters. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** The process and all its descendants (from /proc/PID/task/TID/children). */
    static List<Long> tree(long root) {
        List<Long> result = new ArrayList<>();
        result.add(root);
        for (int i = 0; i < result.size(); i++) {
            long pid = result.get(i);
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    try {
                        String children = Files.readString(task.resolve("children")).trim();
                        if (!children.isEmpty()) {
                            for (String c : children.split("\\s+")) {
                                result.add(Long.parseLong(c));
                            }
                        }
                    } catch (IOException gone) {
                        // thread or process ended meanwhile
                    }
                }
            } catch (IOException gone) {
                // process ended meanwhile
            }
        }
        return result;
    }

    /**
     * CPU ticks of the tree: user + system time of each live process plus what its reaped children
     * used (cutime, cstime), so sessions that already ended still count.
     */
    static long cpuTicks(long root) {
        long total = 0;
        for (long pid : tree(root)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after "pid (comm) ": f[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17
                total += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            } catch (IOException | RuntimeException gone) {
                // ended meanwhile
            }
        }
        return total;
    }

    /** Sum of a field of /proc/PID/status (in kB) over the tree, e.g. "VmRSS". */
    static long statusKb(long root, String field) {
        long total = 0;
        for (long pid : tree(root)) {
            total += statusKbOf(pid, field);
        }
        return total;
    }

    static long statusKbOf(long pid, String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith(field + ":")) {
                    return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // ended meanwhile
        }
        return 0;
    }

    /**
     * Proportional set size of the tree (kB): shared pages (libraries, a forking server's copied
     * pages) are split among the processes sharing them, so the sum is the tree's real footprint,
     * where summing RSS would count vsftpd's shared pages once per process.
     */
    static long pssKb(long root) {
        long total = 0;
        for (long pid : tree(root)) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                    if (l.startsWith("Pss:")) {
                        total += Long.parseLong(l.substring(4).trim().split("\\s+")[0]);
                        break;
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // ended meanwhile
            }
        }
        return total;
    }

    /** Resets VmHWM (peak RSS) of the tree to the current RSS ("5" into clear_refs, Linux >= 4.0). */
    static void resetPeak(long root) {
        for (long pid : tree(root)) {
            try {
                Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            } catch (IOException gone) {
                // ended meanwhile, or not permitted: the sampled peak still counts
            }
        }
    }

    /**
     * Samples the tree's memory every few milliseconds while a figure runs and keeps the peak. The
     * measure is PSS summed over the tree, so that pages a forking server shares among its
     * processes count once; for a single process the kernel's VmHWM (reset when sampling starts)
     * also counts, as it sees peaks between samples.
     */
    static final class PeakSampler implements AutoCloseable {
        private final long root;
        private final Thread thread;
        private volatile boolean stop;
        private volatile long peakKb;
        private volatile boolean single = true;

        PeakSampler(long root, int periodMillis) {
            this.root = root;
            resetPeak(root);
            this.thread = Thread.ofPlatform().daemon().name("memory-sampler").start(() -> {
                while (!stop) {
                    if (tree(root).size() > 1) {
                        single = false;
                    }
                    peakKb = Math.max(peakKb, pssKb(root));
                    try {
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        /** The peak over the run, in kB. */
        long peakKb() {
            long last = pssKb(root);
            return Math.max(Math.max(peakKb, last), single ? statusKbOf(root, "VmHWM") : 0);
        }

        @Override
        public void close() {
            stop = true;
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
