package dev.jftp.client.remote;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One file transfer while it runs: what moves (name, offset, expected total), how many bytes
 * have moved so far, and the channel the bytes move on (an FTP data connection, an SFTP file), so
 * that another thread can stop it: {@link #cancel()} (the user's Ctrl-C; over FTP with ABOR, RFC 959
 * section 4.1.3) or {@link #cutDataConnection(String)} (the stall watchdog, or a test simulating a
 * broken network).
 */
public final class Transfer {
    private final String name;
    private final long offset;
    private final long total;
    private final boolean upload;
    private final TransferListener listener;
    private final AtomicLong bytes = new AtomicLong();
    private final long startedNanos = System.nanoTime();
    private volatile ByteChannel channel;
    private volatile Aborter aborter;
    private volatile boolean cancelled;
    private volatile String cutReason;
    private volatile boolean abortSent;
    private volatile boolean keepPartialOnCancel;

    /**
     * @param name     what the user sees (progress meter, messages)
     * @param offset   where the transfer starts (resume), in bytes
     * @param total    the size of the whole file, or -1 when unknown
     * @param upload   true for STOR/APPE
     * @param listener told about progress; never null
     */
    public Transfer(String name, long offset, long total, boolean upload, TransferListener listener) {
        this.name = name;
        this.offset = offset;
        this.total = total;
        this.upload = upload;
        this.listener = listener;
    }

    public String name() {
        return name;
    }

    public long offset() {
        return offset;
    }

    public long total() {
        return total;
    }

    public boolean isUpload() {
        return upload;
    }

    /** Bytes moved by this transfer (not counting the resume offset). */
    public long bytes() {
        return bytes.get();
    }

    public long startedNanos() {
        return startedNanos;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Why the data connection was cut, or null if it was not. */
    public String cutReason() {
        return cutReason;
    }

    public boolean abortSent() {
        return abortSent;
    }

    /** Called by the copy loop for every chunk it moved. */
    public void add(long n) {
        bytes.addAndGet(n);
        listener.progressed(this);
    }

    /** Tells the server to abort the transfer (FTP's ABOR), from the thread that cancels it. */
    @FunctionalInterface
    public interface Aborter {
        void sendAbort() throws IOException;
    }

    /**
     * The transfer's bytes move on {@code dataChannel} from now on; {@code abort} tells the server
     * to abort it, or is null when closing the channel is all a cancel needs.
     */
    public void attach(ByteChannel dataChannel, Aborter abort) {
        this.aborter = abort;
        this.channel = dataChannel;
        listener.started(this);
        if (keepsPartial()) {
            endData();
        } else if (cancelled || cutReason != null) {
            closeChannel();
        }
    }

    public void detach(boolean ok) {
        synchronized (this) {
            // Serialized with sendAbort: once detached, no ABOR can go out whose reply nobody reads.
            channel = null;
        }
        listener.finished(this, ok);
    }

    /**
     * For an upload that creates a file: a cancel ends the data connection as the end of the file
     * instead of aborting it, so that the server keeps what arrived and reput continues it (sftp
     * leaves a partial file too). An upload over an existing file is aborted, and the server keeps
     * the old file.
     */
    public void keepPartialOnCancel() {
        keepPartialOnCancel = true;
    }

    /** True when the server was asked to keep what arrived before a cancel. */
    public boolean keepsPartial() {
        return upload && cancelled && keepPartialOnCancel;
    }

    /**
     * Stops the transfer at the user's request. An upload is aborted with ABOR before its data
     * connection closes, so that the server does not take the closed connection for the end of
     * the file; one that should leave its partial file ends its data normally instead.
     */
    public void cancel() {
        cancelled = true;
        if (upload && keepPartialOnCancel) {
            endData();
            return;
        }
        if (upload) {
            sendAbort();
        }
        closeChannel();
    }

    /**
     * Ends an upload's data where it is: FIN after the bytes already sent. Over TLS the copy loop
     * stops at its next chunk instead, and the close_notify that follows ends the data cleanly.
     */
    private void endData() {
        if (channel instanceof java.nio.channels.SocketChannel socket) {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                closeChannel(); // a connection that cannot be shut down is closed: the transfer ends either way
            }
        }
    }

    /** Closes the data connection as a broken network would: no ABOR, no warning to the server. */
    public void cutDataConnection(String reason) {
        cutReason = reason;
        closeChannel();
    }

    public synchronized void sendAbort() {
        Aborter owner = aborter;
        if (abortSent || owner == null || channel == null) {
            return;
        }
        try {
            owner.sendAbort();
            abortSent = true;
        } catch (IOException e) {
            // The control connection is gone too; closing the data connection below still stops the transfer.
            cutReason = "control connection lost: " + e.getMessage();
        }
    }

    private void closeChannel() {
        ByteChannel c = channel;
        if (c != null) {
            if (cancelled && upload && c instanceof java.nio.channels.SocketChannel socket) {
                // A reset, not an orderly close: the server must never take a cancelled upload's end
                // for the end of the file, even if it sees the data connection before the ABOR.
                try {
                    socket.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException | RuntimeException e) {
                    // closing below still ends the transfer
                }
            }
            try {
                c.close();
            } catch (IOException e) {
                cutReason = cutReason == null ? "closing the data connection failed: " + e.getMessage() : cutReason;
            }
        }
    }
}
