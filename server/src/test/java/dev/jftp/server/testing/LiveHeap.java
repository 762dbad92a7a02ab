package dev.jftp.server.testing;

import java.lang.management.ManagementFactory;

/** What the heap holds that is still in use: for tests that bound the memory something keeps. */
public final class LiveHeap {
    private LiveHeap() {
    }

    /** Heap in use after collecting garbage (a few times, until it settles). */
    public static long bytes() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used - 64 * 1024) {
                return Math.min(now, used);
            }
            used = now;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return used;
            }
        }
        return used;
    }
}
