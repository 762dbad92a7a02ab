package dev.jftp.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * "SFTP sessions held" at a size one {@code sftp} + {@code ssh} process pair per session cannot
 * reach (bench/sftp's {@code sessions} figure): N SSH connections from this one JVM with Apache MINA
 * SSHD's client, each authenticated with an Ed25519 key, with an SFTP channel open that has answered
 * one realpath and one stat, all held at once; then how many are still open and how much the
 * server's memory grew (PSS of its process tree, as the FTP concurrency figure measures it:
 * {@link ProcStats#pssKb}). OpenSSH's sshd forks a process (two with privilege separation) per
 * session, all in the tree under the listener's pid.
 *
 * <pre>
 * java -jar jftp-bench.jar sftp-sessions --port P --key K --user U --known-hosts F --pid PID
 *      [--count 5000] [--parallel 16] [--settle-seconds 10] [--min-available-mib 3072] [--timeout-seconds 120]
 * </pre>
 *
 * Prints one line of {@code key=value} fields for bench/sftp to parse. Opening stops early, and
 * says so, when the machine's MemAvailable falls below {@code --min-available-mib} (OpenSSH's
 * process per session can exhaust a shared machine's memory) or after the first hundred failures.
 */
final class SftpSessionsFigure {
    private SftpSessionsFigure() {
    }

    /** One held session: the SSH connection and its SFTP channel. */
    private record Held(ClientSession session, SftpClient sftp) {
    }

    static void run(Map<String, String> opts) throws Exception {
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(required(opts, "port"));
        Path keyFile = Path.of(required(opts, "key"));
        String user = required(opts, "user");
        long pid = Long.parseLong(required(opts, "pid"));
        int count = Integer.parseInt(opts.getOrDefault("count", "5000"));
        int parallel = Integer.parseInt(opts.getOrDefault("parallel", "16"));
        long settleSeconds = Long.parseLong(opts.getOrDefault("settle-seconds", "10"));
        long minAvailableKb = Long.parseLong(opts.getOrDefault("min-available-mib", "3072")) * 1024;
        Duration timeout = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("timeout-seconds", "120")));

        Iterable<KeyPair> identities;
        try (InputStream in = Files.newInputStream(keyFile)) {
            identities = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(keyFile.toString()), in, null);
        }
        KeyPair key = identities.iterator().next();

        SshClient client = SshClient.setUpDefaultClient();
        // The server's host key is checked against the known_hosts file bench/sftp wrote; anything
        // else is refused, so a figure can never be taken against the wrong server.
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE,
                Path.of(required(opts, "known-hosts"))));
        // Held sessions are idle by design: the client must not close them (the server's own idle
        // timeout, 300 s for jftpd, is far longer than a run).
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ofHours(1));
        client.start();

        long pssBeforeKb = ProcStats.pssKb(pid);
        List<Held> held = new ArrayList<>(count);
        ConcurrentLinkedQueue<Held> opened = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> stoppedBecause = new AtomicReference<>("");
        long t0 = System.nanoTime();
        // A few platform threads, each opening one session after another: parallel enough to keep
        // both sides busy, few enough not to trip a server's limit on unauthenticated connections.
        ExecutorService openers = Executors.newFixedThreadPool(parallel);
        for (int w = 0; w < parallel; w++) {
            openers.execute(() -> {
                while (!stop.get() && next.getAndIncrement() < count) {
                    if (next.get() % 100 == 0 && availableKb() < minAvailableKb) {
                        stoppedBecause.compareAndSet("", "MemAvailable below " + minAvailableKb / 1024 + " MiB");
                        stop.set(true);
                        break;
                    }
                    ClientSession session = null;
                    try {
                        session = client.connect(user, host, port).verify(timeout).getSession();
                        session.addPublicKeyIdentity(key);
                        session.auth().verify(timeout);
                        SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
                        String home = sftp.canonicalPath(".");
                        sftp.stat(home);
                        opened.add(new Held(session, sftp));
                    } catch (Exception e) {
                        if (session != null) {
                            session.close(true);
                        }
                        firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                        if (failures.incrementAndGet() >= 100) {
                            stoppedBecause.compareAndSet("", "100 failures");
                            stop.set(true);
                        }
                    }
                }
            });
        }
        openers.shutdown();
        if (!openers.awaitTermination(2, TimeUnit.HOURS)) {
            stoppedBecause.compareAndSet("", "openers still running after 2 h");
            stop.set(true);
        }
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        held.addAll(opened);

        // Let the server settle (its sessions' buffers, a forked process's copy-on-write pages) and
        // then count what is still open and measure it.
        Thread.sleep(settleSeconds * 1000);
        int stillOpen = 0;
        for (Held h : held) {
            if (h.session().isOpen() && h.sftp().isOpen()) {
                stillOpen++;
            }
        }
        long pssAfterKb = ProcStats.pssKb(pid);
        int processes = ProcStats.tree(pid).size();
        // And they still answer: one more realpath on every held session.
        int answering = 0;
        for (Held h : held) {
            try {
                h.sftp().canonicalPath(".");
                answering++;
            } catch (Exception e) {
                firstFailure.compareAndSet(null, "after holding: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        double growthMib = (pssAfterKb - pssBeforeKb) / 1024.0;
        System.out.printf(Locale.ROOT,
                "sftp-sessions requested=%d opened=%d held=%d answering=%d failed=%d open_seconds=%.1f sessions_per_second=%.1f"
                        + " pss_before_mib=%.1f pss_after_mib=%.1f pss_growth_mib=%.1f kib_per_session=%.1f server_processes=%d"
                        + " stopped=\"%s\" first_failure=\"%s\"%n",
                count, held.size(), stillOpen, answering, failures.get(), openSeconds, held.size() / openSeconds,
                pssBeforeKb / 1024.0, pssAfterKb / 1024.0, growthMib, held.isEmpty() ? 0 : (pssAfterKb - pssBeforeKb) / (double) held.size(),
                processes, stoppedBecause.get(), String.valueOf(firstFailure.get()).replace('"', '\''));
        System.out.flush();

        ExecutorService closers = Executors.newFixedThreadPool(parallel);
        for (Held h : held) {
            closers.execute(() -> {
                try {
                    h.sftp().close();
                } catch (Exception ignored) {
                    // closing anyway below
                }
                h.session().close(true);
            });
        }
        closers.shutdown();
        closers.awaitTermination(5, TimeUnit.MINUTES);
        client.stop();
    }

    /** MemAvailable of /proc/meminfo in kB (Long.MAX_VALUE if unreadable: no guard rather than no figure). */
    private static long availableKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemAvailable:")) {
                    return Long.parseLong(l.substring("MemAvailable:".length()).trim().split("\\s+")[0]);
                }
            }
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }

    private static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("sftp-sessions needs --" + name);
        }
        return v;
    }
}
