package dev.jftp.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The figures, each measured the same way for every server. Transfers run on one platform thread
 * (like one curl); the session figures (logins, concurrency) on virtual threads, one per client.
 */
final class Figures {
    static final int TIMEOUT_MILLIS = 60_000;
    static final int SINK_BYTES = 1 << 20;
    static final double MIB = 1024.0 * 1024.0;

    private Figures() {
    }

    private static FtpClient session(Servers.Running s) throws IOException {
        FtpClient c = FtpClient.connect(s.address(), TIMEOUT_MILLIS);
        try {
            c.login(s.spec().ftpUser(), s.spec().password());
            c.binary();
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /** RETR of one file to a sink; MiB/s from the RETR command to the 226 reply. */
    static double retr(Servers.Running s, String path, long size) throws IOException {
        ByteBuffer sink = ByteBuffer.allocateDirect(SINK_BYTES);
        try (FtpClient c = session(s)) {
            Bench.CpuWindow.start();
            long t0 = System.nanoTime();
            long bytes = c.download("RETR " + path, sink);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Bench.CpuWindow.stop();
            c.quit();
            if (bytes != size) {
                throw new IOException("RETR " + path + ": got " + bytes + " bytes, expected " + size);
            }
            return bytes / MIB / seconds;
        }
    }

    /** STOR of {@code size} bytes from memory; MiB/s from the STOR command to the 226 reply. */
    static double stor(Servers.Running s, String path, long size, ByteBuffer source) throws IOException {
        try (FtpClient c = session(s)) {
            Bench.CpuWindow.start();
            long t0 = System.nanoTime();
            c.upload(path, source, size);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Bench.CpuWindow.stop();
            c.quit();
            return size / MIB / seconds;
        }
    }

    /**
     * Many small files over one session, down (RETR) or up (STOR); files/s. Stops early after
     * {@code capSeconds} (a very slow server would otherwise take minutes) and counts what was done.
     */
    static double smallFiles(Servers.Running s, List<String> paths, int size, boolean upload, double capSeconds) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(size, 4096));
        try (FtpClient c = session(s)) {
            Bench.CpuWindow.start();
            long t0 = System.nanoTime();
            long cap = (long) (capSeconds * 1e9);
            int done = 0;
            for (String p : paths) {
                if (upload) {
                    c.upload(p, buffer, size);
                } else {
                    long got = c.download("RETR " + p, buffer);
                    if (got != size) {
                        throw new IOException("RETR " + p + ": got " + got + " bytes, expected " + size);
                    }
                }
                done++;
                if (System.nanoTime() - t0 > cap) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Bench.CpuWindow.stop();
            c.quit();
            return done / seconds;
        }
    }

    /** Result of a timed login storm: completed sessions per second, and failures. */
    record LoginResult(double perSecond, long ok, long failed, String firstError) {
    }

    /** {@code workers} virtual threads doing connect + USER + PASS + PWD + QUIT for {@code seconds}. */
    static LoginResult logins(Servers.Running s, int workers, double seconds) throws InterruptedException {
        return logins(s, workers, seconds, () -> s.spec().ftpUser());
    }

    /** As {@link #logins(Servers.Running, int, double)}, each login as the user {@code users} gives next (all with the same password). */
    static LoginResult logins(Servers.Running s, int workers, double seconds, java.util.function.Supplier<String> users)
            throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    try (FtpClient c = FtpClient.connect(s.address(), TIMEOUT_MILLIS)) {
                        c.login(users.get(), s.spec().password());
                        FtpClient.expect(c.command("PWD"), 257, "PWD");
                        FtpClient.expect(c.command("QUIT"), 221, "QUIT");
                        ok.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return new LoginResult(ok.get() / elapsed, ok.get(), failed.get(), firstError.get());
    }

    /** One concurrency step: sessions opened, how many answered NOOP, and the server's memory then. */
    record ConcurrencyResult(int asked, int held, int failed, String firstError, long rssKb, long pssKb, int processes,
                             double openSeconds) {
    }

    /**
     * Opens {@code count} logged-in sessions (64 logins in flight at a time, so the step measures
     * holding sessions rather than the accept backlog), then sends NOOP on every one at once and
     * counts the 200 replies, reads the server's memory while all are open, and closes them.
     */
    static ConcurrencyResult concurrency(Servers.Running s, int count) throws InterruptedException {
        ConcurrentLinkedQueue<FtpClient> open = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(64);
        CountDownLatch opened = new CountDownLatch(count);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            Thread.ofVirtual().start(() -> {
                try {
                    FtpClient c = FtpClient.connect(s.address(), TIMEOUT_MILLIS);
                    try {
                        c.login(s.spec().ftpUser(), s.spec().password());
                        open.add(c);
                    } catch (IOException e) {
                        c.close();
                        throw e;
                    }
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                } finally {
                    inFlight.release();
                    opened.countDown();
                }
            });
        }
        opened.await();
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        AtomicLong answered = new AtomicLong();
        List<Thread> noops = new ArrayList<>();
        for (FtpClient c : open) {
            noops.add(Thread.ofVirtual().start(() -> {
                try {
                    FtpClient.expect(c.command("NOOP"), 200, "NOOP");
                    answered.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    firstError.compareAndSet(null, e.toString());
                }
            }));
        }
        for (Thread t : noops) {
            t.join();
        }
        long rss = ProcStats.statusKb(s.pid(), "VmRSS");
        long pss = ProcStats.pssKb(s.pid());
        int processes = ProcStats.tree(s.pid()).size();
        for (FtpClient c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        return new ConcurrencyResult(count, (int) answered.get(), (int) failed.get(), firstError.get(), rss, pss, processes, openSeconds);
    }

    /** LIST of a directory: seconds from the LIST command to the last byte of the listing. */
    record ListResult(double seconds, long bytes) {
    }

    static ListResult list(Servers.Running s, String path) throws IOException {
        ByteBuffer sink = ByteBuffer.allocateDirect(SINK_BYTES);
        try (FtpClient c = session(s)) {
            long t0 = System.nanoTime();
            long bytes = c.download("LIST " + path, sink);
            double seconds = (c.lastByteNanos() - t0) / 1e9;
            c.quit();
            return new ListResult(seconds, bytes);
        }
    }

    /**
     * The RETR ceiling: the ceiling peer (bench/src/main/python/ceiling_peer.py, its own process)
     * sends the file with sendfile(2) over loopback into the sink every RETR uses
     * ({@link FtpClient#drain}). MiB/s from the request to the end of the stream; the connection is
     * made first, as a RETR's data connection is made before the RETR command.
     */
    static double ceilingSend(Servers.Running peer, String path, long size) throws IOException {
        ByteBuffer sink = ByteBuffer.allocateDirect(SINK_BYTES);
        try (SocketChannel data = SocketChannel.open(peer.address())) {
            long t0 = System.nanoTime();
            request(data, "SEND " + path);
            long bytes = FtpClient.drain(data, sink);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (bytes != size) {
                throw new IOException("ceiling SEND " + path + ": got " + bytes + " bytes, expected " + size);
            }
            return bytes / MIB / seconds;
        }
    }

    /**
     * The STOR ceiling: {@code size} bytes from the source every STOR uses ({@link FtpClient#fill})
     * into a file of the ceiling peer, which takes them with {@code method} (SPLICE or COPY, see
     * ceiling_peer.py) and answers once the file is closed, as an FTP server's 226. MiB/s from the
     * request to that answer.
     */
    static double ceilingReceive(Servers.Running peer, String method, String path, long size, ByteBuffer source)
            throws IOException {
        try (SocketChannel data = SocketChannel.open(peer.address())) {
            long t0 = System.nanoTime();
            request(data, method + " " + path);
            FtpClient.fill(data, source, size);
            data.shutdownOutput();
            ByteBuffer answer = ByteBuffer.allocate(64);
            while (data.read(answer) >= 0 && answer.hasRemaining()) {
                if (answer.position() > 0 && answer.get(answer.position() - 1) == '\n') {
                    break;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String text = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).strip();
            if (!text.equals("OK " + size)) {
                throw new IOException("ceiling " + method + " " + path + ": answered '" + text + "', expected 'OK " + size + "'");
            }
            return size / MIB / seconds;
        }
    }

    private static void request(SocketChannel data, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            data.write(b);
        }
    }
}
