package dev.jftp.server.ftp.data;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes moved so far by a running transfer; read by STAT from the control thread. */
public final class TransferProgress {
    private final AtomicLong bytes = new AtomicLong();
    /** The count at the previous {@link #stalledSinceLastCheck()}; only the session's reader thread uses it. */
    private long checkedBytes = -1;

    public void add(long n) {
        bytes.addAndGet(n);
    }

    public long bytes() {
        return bytes.get();
    }

    /** True when no byte moved since the previous call; the first call only starts watching. */
    public boolean stalledSinceLastCheck() {
        long now = bytes.get();
        boolean stalled = now == checkedBytes;
        checkedBytes = now;
        return stalled;
    }
}
