package dev.jftp.server.transfer;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes moved so far by a running transfer; read by STAT from the control thread. */
public final class TransferProgress {
    private final AtomicLong bytes = new AtomicLong();

    public void add(long n) {
        bytes.addAndGet(n);
    }

    public long bytes() {
        return bytes.get();
    }
}
