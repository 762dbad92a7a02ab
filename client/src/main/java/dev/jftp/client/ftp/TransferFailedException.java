package dev.jftp.client.ftp;

import java.io.IOException;

/**
 * A transfer that started and then broke: cancelled, cut, or failed while copying. The server's
 * final reply, when one came, is kept for the message.
 */
public class TransferFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Reply finalReply;
    private final boolean cancelled;
    private final long bytes;

    public TransferFailedException(String message, Throwable cause, Reply finalReply, boolean cancelled, long bytes) {
        super(message, cause);
        this.finalReply = finalReply;
        this.cancelled = cancelled;
        this.bytes = bytes;
    }

    /** The server's reply to the transfer command after the break, or null. */
    public Reply finalReply() {
        return finalReply;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Bytes moved before the break. */
    public long bytes() {
        return bytes;
    }
}
