package dev.jftp.server.transfer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers for transfers, lent per transfer and returned after it: idle sessions hold none,
 * and busy servers do not allocate (and later free) off-heap memory for every file.
 */
public final class BufferPool {
    public static final int BUFFER_SIZE = 256 * 1024;
    private static final int MAX_POOLED = 64;
    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private BufferPool() {
    }

    public static ByteBuffer take() {
        ByteBuffer b = FREE.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(BUFFER_SIZE);
        }
        POOLED.decrementAndGet();
        return b.clear();
    }

    public static void give(ByteBuffer buffer) {
        if (POOLED.incrementAndGet() <= MAX_POOLED) {
            FREE.offer(buffer.clear());
        } else {
            POOLED.decrementAndGet();
        }
    }
}
