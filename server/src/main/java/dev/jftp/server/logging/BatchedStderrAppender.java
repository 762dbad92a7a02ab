package dev.jftp.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A Logback appender that writes to standard error in batches: the logging thread formats the
 * event and queues its bytes, and one platform thread writes whatever has queued every
 * {@link #PERIOD_MILLIS} ms. Logback's AsyncAppender woke its writer thread for every event, and a
 * synchronous appender makes the session wait for the write; with one xferlog line per file,
 * either cost a small download a tenth of its CPU. Lines appear up to {@link #PERIOD_MILLIS} ms
 * late; {@link #stop()} (jftpd's shutdown) writes the rest. When standard error is not read and the
 * queue is full, events are dropped and counted, never waited for: a stalled log must not stall
 * the sessions.
 */
public final class BatchedStderrAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final long PERIOD_MILLIS = 50;

    private final OutputStream out;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private int queueLimit = 100_000;
    private Encoder<ILoggingEvent> encoder;
    private Thread writer;
    private volatile boolean stopping;

    public BatchedStderrAppender() {
        this(System.err);
    }

    BatchedStderrAppender(OutputStream target) {
        this.out = new BufferedOutputStream(target, 64 * 1024);
    }

    /** Set by the Logback configuration ({@code <encoder>}). */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /** Events held at most before new ones are dropped ({@code <queueLimit>}). */
    public void setQueueLimit(int queueLimit) {
        this.queueLimit = queueLimit;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder set for appender " + getName());
            return;
        }
        writer = Thread.ofPlatform().daemon().name("jftpd-log-writer").start(this::writeLoop);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (queued.incrementAndGet() > queueLimit) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(encoder.encode(event));
    }

    private void writeLoop() {
        while (!stopping) {
            LockSupport.parkNanos(PERIOD_MILLIS * 1_000_000);
            writeQueued();
        }
    }

    /** Writes what has queued (and how many events were dropped, if any), then flushes. */
    private synchronized void writeQueued() {
        try {
            boolean wrote = false;
            for (byte[] bytes; (bytes = queue.poll()) != null; ) {
                queued.decrementAndGet();
                out.write(bytes);
                wrote = true;
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                out.write(("jftpd: " + lost + " log lines dropped: standard error was not read fast enough\n").getBytes(StandardCharsets.UTF_8));
                wrote = true;
            }
            if (wrote) {
                out.flush();
            }
        } catch (IOException e) {
            addError("cannot write to standard error", e);
        }
    }

    @Override
    public void stop() {
        stopping = true;
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writeQueued();
        super.stop();
    }
}
