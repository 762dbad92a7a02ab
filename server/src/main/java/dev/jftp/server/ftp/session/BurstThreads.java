package dev.jftp.server.ftp.session;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A few platform threads that sessions borrow while they are in a burst of quick commands (see
 * {@link SessionThreads}). A platform thread blocked in a socket read is woken by the kernel
 * directly when the client's line arrives; a parked virtual thread is woken by the JDK's poller
 * thread, which then wakes a carrier thread: measured on 1,000 small downloads, about three times
 * the context switches per file and half again the server's CPU. Idle sessions still hold only a
 * parked virtual thread each: a burst gives its thread back after {@link SessionThreads#BURST_IDLE}
 * without a command, and when every burst thread is taken a session simply stays on its own virtual
 * thread. A second set of these threads takes the receive loops of large uploads (see
 * {@link SessionThreads#receiveOnUploadThread}), for the same reason.
 */
final class BurstThreads {
    /**
     * How long an unused burst thread is kept: long enough for the bursts of busy sessions to follow
     * one another on the same threads, short enough that a server gone quiet holds none (making one
     * costs about 0.1 ms, once per burst after a quiet time).
     */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

    private final Semaphore free;
    private final ThreadPoolExecutor threads;
    private final LongAdder started = new LongAdder();

    BurstThreads(int count) {
        this(count, "ftp-burst-");
    }

    /** {@code count} threads at most, named {@code name} and a number. */
    BurstThreads(int count, String name) {
        this.free = new Semaphore(count);
        // As many threads as bursts can run at once; a burst submitted while the thread that ran the
        // last one is on its way back to the queue waits there a moment instead of being refused.
        this.threads = new ThreadPoolExecutor(count, count, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name(name, 0).daemon(true).factory());
        this.threads.allowCoreThreadTimeOut(true);
    }

    /** Bursts run since the start (for tests and profiling). */
    long started() {
        return started.sum();
    }

    /** Takes a burst thread if one is free; the caller then must {@link #run} exactly one burst. */
    boolean tryEnter() {
        return free.tryAcquire();
    }

    /**
     * Runs a burst (after {@link #tryEnter}) on a burst thread while the calling thread waits for
     * its end, so that the session's state is only ever used by one of the two at a time (the
     * future orders their writes). Returns what the burst returned.
     */
    <T> T run(Supplier<T> burst) {
        started.increment();
        Future<T> done;
        try {
            done = threads.submit(() -> {
                try {
                    return burst.get();
                } finally {
                    free.release();
                }
            });
        } catch (RuntimeException e) {
            free.release();
            throw e;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get(); // never abandon the burst: the session's state is in its hands
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
