package dev.jftp.server.reliability;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an idle server holds: open file descriptors of this process, live platform threads, and the
 * server's virtual threads (counted in a JDK thread dump, which lists virtual threads too). After a
 * fault or a flood, {@link #assertReturned} waits (bounded) until all three are back to it.
 *
 * <p>The JDK's own worker pools (the virtual-thread scheduler's carriers, the common pool, the
 * process reaper) grow and shrink on their own schedule and belong to no session, so they are left
 * out of the platform-thread comparison, as is JUnit's timeout watcher.
 */
final class ResourceBaseline {
    private static final Pattern THREAD_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

    final TreeMap<Integer, String> fds;
    final Set<Thread> platformThreads;
    final long serverVirtualThreads;

    private ResourceBaseline(TreeMap<Integer, String> fds, Set<Thread> platformThreads, long serverVirtualThreads) {
        this.fds = fds;
        this.platformThreads = platformThreads;
        this.serverVirtualThreads = serverVirtualThreads;
    }

    static ResourceBaseline capture() {
        return new ResourceBaseline(openFds(), livePlatformThreads(), serverVirtualThreads());
    }

    /** Open file descriptors of this JVM and what they point to. */
    static TreeMap<Integer, String> openFds() {
        TreeMap<Integer, String> result = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : dir) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    // The JDK starts its virtual-thread pollers (an epoll instance each) lazily, once,
                    // on first need; they are the JVM's, not a session's, and never go away.
                    if (!target.equals("anon_inode:[eventpoll]")) {
                        result.put(Integer.parseInt(p.getFileName().toString()), target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the directory stream's own descriptor, or one closed while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    static Set<Thread> livePlatformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.isVirtual() && t.isAlive() && !isJdkPoolWorker(t))
                .collect(Collectors.toSet());
    }

    private static boolean isJdkPoolWorker(Thread t) {
        String n = t.getName();
        return n.startsWith("ForkJoinPool") || n.startsWith("process reaper") || n.equals("VirtualThread-unblocker")
                || n.equals("Attach Listener") || n.startsWith("junit-") || n.startsWith("Read-Poller") || n.startsWith("Write-Poller")
                || n.equals("MasterPoller"); // the JDK's lazily started virtual-thread pollers
    }

    /**
     * Virtual threads of jftpd sessions (named ftp-session-N and ftp-reader-N) and of TLS handshakes
     * (their tls-handshake-watchdog) alive now.
     */
    static long serverVirtualThreads() {
        return threadDumpNames().stream()
                .filter(n -> n.startsWith("ftp-session-") || n.startsWith("ftp-reader-") || n.equals("tls-handshake-watchdog"))
                .count();
    }

    static List<String> threadDumpNames() {
        try {
            Path dump = Files.createTempFile("jftp-threads", ".json");
            Files.delete(dump); // dumpThreads will not overwrite
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                List<String> names = new ArrayList<>();
                Matcher m = THREAD_NAME.matcher(Files.readString(dump));
                while (m.find()) {
                    names.add(m.group(1));
                }
                return names;
            } finally {
                Files.deleteIfExists(dump);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A short account of the current state against this baseline, for reports and failures. */
    String describeNow(IntSupplier sessions) {
        return "fds " + openFds().size() + " (baseline " + fds.size() + "), platform threads " + livePlatformThreads().size()
                + " (baseline " + platformThreads.size() + "), server virtual threads " + serverVirtualThreads()
                + " (baseline " + serverVirtualThreads + "), sessions " + sessions.getAsInt();
    }

    /** Waits (bounded) until the server has no session left, as before a baseline is taken. */
    static void awaitNoSessions(IntSupplier sessions) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sessions.getAsInt() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sessions.getAsInt() + " session(s) still open after 20 s");
            }
            pause(20);
        }
    }

    /**
     * Waits until no session is left, every descriptor opened since the baseline is closed, every
     * platform thread started since is gone and no session virtual thread is alive; fails with the
     * leftovers when that does not happen within {@code within}.
     */
    void assertReturned(IntSupplier sessions, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        String leftovers = "";
        while (System.nanoTime() < deadline) {
            leftovers = leftovers(sessions);
            if (leftovers.isEmpty()) {
                return;
            }
            pause(100);
        }
        throw new AssertionError("resources did not return to the idle baseline within " + within.toSeconds() + " s: " + leftovers);
    }

    private String leftovers(IntSupplier sessions) {
        List<String> problems = new ArrayList<>();
        if (sessions.getAsInt() != 0) {
            problems.add(sessions.getAsInt() + " session(s) still open");
        }
        TreeMap<Integer, String> now = openFds();
        if (now.size() > fds.size()) {
            TreeMap<Integer, String> extra = new TreeMap<>(now);
            extra.entrySet().removeIf(e -> e.getValue().equals(fds.get(e.getKey())));
            problems.add("open descriptors " + now.size() + " > baseline " + fds.size() + "; new: " + extra + " " + describeSockets(extra.values()));
        }
        Set<Thread> threads = livePlatformThreads();
        threads.removeAll(platformThreads);
        if (!threads.isEmpty()) {
            problems.add("new platform threads: " + threads.stream().map(Thread::getName).toList());
        }
        if (problems.isEmpty()) {
            long virtual = serverVirtualThreads();
            if (virtual > serverVirtualThreads) {
                problems.add(virtual + " session virtual thread(s) alive");
            }
        }
        return String.join("; ", problems);
    }

    /** The /proc/net/tcp entries (addresses in hex, state) of the given socket descriptors. */
    static String describeSockets(java.util.Collection<String> targets) {
        List<String> found = new ArrayList<>();
        for (String target : targets) {
            if (!target.startsWith("socket:[")) {
                continue;
            }
            String inode = target.substring(8, target.length() - 1);
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                try {
                    for (String line : Files.readAllLines(Path.of(table))) {
                        String[] f = line.trim().split("\\s+");
                        if (f.length > 9 && f[9].equals(inode)) {
                            found.add(inode + ": local " + f[1] + " remote " + f[2] + " state " + f[3]);
                        }
                    }
                } catch (IOException e) {
                    found.add(table + ": " + e.getMessage());
                }
            }
        }
        return found.toString();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
