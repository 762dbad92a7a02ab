package dev.jftp.client.remote;

import java.io.IOException;

/**
 * A transfer that started and then broke: cancelled, cut, or failed while copying.
 */
public class TransferFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean partialKept;
    private final boolean cancelled;
    private final long bytes;

    /**
     * @param partialKept true when the server kept what arrived of an upload (for reput to continue)
     */
    public TransferFailedException(String message, Throwable cause, boolean partialKept, boolean cancelled, long bytes) {
        super(message, cause);
        this.partialKept = partialKept;
        this.cancelled = cancelled;
        this.bytes = bytes;
    }

    /** Whether the server kept what arrived of an upload, so that reput can continue it. */
    public boolean partialKept() {
        return partialKept;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Bytes moved before the break. */
    public long bytes() {
        return bytes;
    }
}
