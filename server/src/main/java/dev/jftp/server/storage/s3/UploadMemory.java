package dev.jftp.server.storage.s3;

import dev.jftp.server.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one fixed budget of upload buffers that all S3 uploads share, so that 200 small uploads at
 * once and one 50 GiB upload both run in the same configured memory.
 *
 * <p>Two kinds of buffer, each a fixed number of them: small ones (a quarter of the budget) that
 * every upload starts with, and part-sized ones (the rest) that an upload takes only once its data
 * outgrows the small one. Keeping them apart is what makes waiting safe: an upload that waits for a
 * part buffer holds at most one small buffer, never part memory, and every part buffer is either
 * being filled by an upload that has it whole or being sent, and is given back when the send ends.
 * So some upload can always go on, whatever mix of uploads runs (one pool handed out piece by piece
 * could end with every upload holding a partial part and waiting for the rest). Uploads beyond the
 * budget wait, which holds back their clients through TCP flow control; after
 * {@link S3Settings#memoryWait()} they fail (FTP 451) rather than wait forever.
 *
 * <p>Buffers are heap arrays, made when first needed and kept for reuse: they never exceed the
 * budget, and the SDK streams a request body straight from them with no copy.
 */
final class UploadMemory {
    private final int smallSize;
    private final int partSize;
    private final int smallCount;
    private final int partCount;
    private final Semaphore smallPermits;
    private final Semaphore partPermits;
    private final ConcurrentLinkedQueue<byte[]> freeSmall = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> freeParts = new ConcurrentLinkedQueue<>();
    private final AtomicLong inUse = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    UploadMemory(S3Settings settings) {
        this.smallSize = settings.smallBufferSize();
        this.partSize = settings.partSize();
        long budget = settings.uploadMemory();
        this.partCount = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget * 3 / 4 / partSize));
        this.smallCount = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (budget - (long) partCount * partSize) / smallSize));
        this.smallPermits = new Semaphore(smallCount, true);
        this.partPermits = new Semaphore(partCount, true);
    }

    /** The first buffer of an upload. */
    byte[] takeSmall(Duration wait) throws IOException {
        acquire(smallPermits, wait);
        return lend(freeSmall, smallSize);
    }

    /** A whole part's buffer; the caller holds at most one small buffer meanwhile. */
    byte[] takePart(Duration wait) throws IOException {
        acquire(partPermits, wait);
        return lend(freeParts, partSize);
    }

    /** Gives a buffer back; part and small buffers differ in length (small ones are shorter). */
    void give(byte[] buffer) {
        inUse.addAndGet(-buffer.length);
        if (buffer.length == partSize) {
            freeParts.offer(buffer);
            partPermits.release();
        } else {
            freeSmall.offer(buffer);
            smallPermits.release();
        }
    }

    private byte[] lend(ConcurrentLinkedQueue<byte[]> free, int size) {
        byte[] buffer = free.poll();
        if (buffer == null) {
            buffer = new byte[size];
        }
        long now = inUse.addAndGet(size);
        peak.accumulateAndGet(now, Math::max);
        return buffer;
    }

    private static void acquire(Semaphore permits, Duration wait) throws IOException {
        try {
            if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StorageUnavailableException("all upload memory is in use, try again later", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for upload memory");
        }
    }

    /** The budget as it was split: small buffers times their size plus part buffers times theirs. */
    long budget() {
        return (long) smallCount * smallSize + (long) partCount * partSize;
    }

    int smallBuffers() {
        return smallCount;
    }

    int partBuffers() {
        return partCount;
    }

    /** Bytes of buffers lent out right now. */
    long inUse() {
        return inUse.get();
    }

    /** The most bytes ever lent out at once since the last {@link #resetPeak()}. */
    long peakInUse() {
        return peak.get();
    }

    void resetPeak() {
        peak.set(inUse.get());
    }
}
