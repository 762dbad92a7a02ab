package dev.jftp.client.remote;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts a data connection on which nothing has moved for the data timeout. Blocking channel reads
 * and writes have no timeout of their own, and the copy loops stay free of per-read bookkeeping
 * beyond a byte counter: this timer looks at that counter a few times per timeout.
 */
public final class StallWatchdog {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jftp-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    private StallWatchdog() {
    }

    /** Starts watching; cancel the returned future when the transfer ends. */
    public static ScheduledFuture<?> watch(Transfer transfer, Duration timeout) {
        long period = Math.clamp(timeout.toMillis() / 4, 50, 5000);
        long[] last = {-1, System.nanoTime()};
        return TIMER.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long bytes = transfer.bytes();
            if (bytes != last[0]) {
                last[0] = bytes;
                last[1] = now;
            } else if (now - last[1] >= timeout.toNanos()) {
                transfer.cutDataConnection("no data moved for " + timeout.toSeconds() + " s");
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }
}
