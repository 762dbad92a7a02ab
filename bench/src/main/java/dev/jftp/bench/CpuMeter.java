package dev.jftp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server's CPU time, all its processes included. Where it can, it puts the server into a cgroup
 * of its own and reads the cgroup's CPU account, which keeps the time of processes that already
 * ended, whoever reaped them: vsftpd's per-session processes are not always waited for by a parent
 * inside the server's process tree, so summing /proc/PID/stat over the tree loses their time.
 * Without a writable cgroup it falls back to that sum ({@link ProcStats#cpuTicks}).
 */
abstract class CpuMeter implements AutoCloseable {
    /** Total CPU time so far, in nanoseconds. */
    abstract long nanos();

    /** How the time is measured, for the report. */
    abstract String method();

    @Override
    public void close() {
    }

    /** The /proc sum only, leaving the process where it is (for 'drive'). */
    static CpuMeter procTree(long pid) {
        return new ProcTree(pid);
    }

    static CpuMeter attach(String name, long pid) {
        Path v1 = Path.of("/sys/fs/cgroup/cpuacct");
        Path v2 = Path.of("/sys/fs/cgroup");
        try {
            if (Files.isDirectory(v1) && Files.exists(v1.resolve("cpuacct.usage"))) {
                return new Cgroup(v1.resolve("jftp-bench-" + name), pid, "cpuacct.usage", "cgroup v1 cpuacct");
            }
            if (Files.exists(v2.resolve("cgroup.controllers"))) {
                return new Cgroup(v2.resolve("jftp-bench-" + name), pid, "cpu.stat", "cgroup v2 cpu.stat");
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("bench: no cgroup for " + name + " (" + e + "): CPU summed over /proc/PID/stat of its process tree");
        }
        return new ProcTree(pid);
    }

    private static final class Cgroup extends CpuMeter {
        private final Path dir;
        private final String file;
        private final String method;

        Cgroup(Path dir, long pid, String file, String method) throws IOException {
            this.dir = dir;
            this.file = file;
            this.method = method;
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
            nanos(); // readable, or fail now and fall back
        }

        @Override
        long nanos() {
            try {
                String text = Files.readString(dir.resolve(file));
                if (file.equals("cpuacct.usage")) {
                    return Long.parseLong(text.trim());
                }
                for (String line : text.split("\n")) {
                    if (line.startsWith("usage_usec ")) {
                        return Long.parseLong(line.substring(11).trim()) * 1000;
                    }
                }
                throw new IllegalStateException("no usage_usec in " + dir.resolve(file));
            } catch (IOException e) {
                throw new IllegalStateException("reading " + dir.resolve(file), e);
            }
        }

        @Override
        String method() {
            return method + " (all the server's processes, ended ones included)";
        }

        /** Removes the cgroup once its processes are gone (the server was stopped). */
        @Override
        public void close() {
            for (int i = 0; i < 50; i++) {
                try {
                    Files.deleteIfExists(dir);
                    return;
                } catch (IOException busy) {
                    try {
                        Thread.sleep(100); // the last processes are still exiting
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static final class ProcTree extends CpuMeter {
        private final long pid;

        ProcTree(long pid) {
            this.pid = pid;
        }

        @Override
        long nanos() {
            return (long) (ProcStats.cpuTicks(pid) / ProcStats.TICKS_PER_SECOND * 1e9);
        }

        @Override
        String method() {
            return "/proc/PID/stat summed over the process tree (processes reaped outside the tree are missed)";
        }
    }
}
