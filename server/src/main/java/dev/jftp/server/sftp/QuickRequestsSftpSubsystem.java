package dev.jftp.server.sftp;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.common.channel.BufferedIoOutputStream;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemConfigurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's SFTP subsystem, except that a quick request arriving while nothing of the session is
 * queued or running is answered at once on the network thread that read it, instead of being
 * handed to the subsystem's own thread.
 *
 * <p>The hand-over woke another thread for every request: a small file put over SFTP is three
 * requests (OPEN, WRITE, CLOSE), and on this machine the wake-ups were most of jftpd's CPU per file.
 * OpenSSH's sftp-server answers every request on the one thread that read it. Here only when it
 * cannot hold the network thread, which serves other sessions too:
 * <ul>
 *   <li>the storage answers from this machine ({@code localCalls}: local disk or memory, never S3);
 *   <li>the request is one of the file-system operations below (no extension: fsync and the like
 *       may take long), and a WRITE or READ moves at most {@link #MAX_QUICK_DATA} bytes;
 *   <li>no reply of the session is still waiting to be sent (a reply is then written without
 *       waiting for room: MINA's buffered output waits only when replies are already pending);
 *   <li>nothing of the session is queued for, or running on, the subsystem's thread, so replies
 *       keep the requests' order.
 * </ul>
 * Everything else goes to the subsystem's thread as before.
 */
final class QuickRequestsSftpSubsystem extends SftpSubsystem {
    private static final Logger log = LoggerFactory.getLogger(QuickRequestsSftpSubsystem.class);
    /** The largest WRITE, or READ asked for, answered on the network thread (a read from the page cache). */
    static final int MAX_QUICK_DATA = 64 * 1024;

    private final boolean localCalls;
    /** Held while a request is processed, on either thread. */
    private final ReentrantLock processing = new ReentrantLock();
    /** Requests queued for, or running on, the subsystem's thread. */
    private final AtomicInteger handedOver = new AtomicInteger();
    private final AtomicInteger answeredHere = new AtomicInteger();
    private Replies replies;

    QuickRequestsSftpSubsystem(ChannelSession channel, SftpSubsystemConfigurator configurator, boolean localCalls) {
        super(channel, configurator);
        this.localCalls = localCalls;
    }

    /** How many requests this session answered on the network thread; for tests. */
    int answeredOnNetworkThread() {
        return answeredHere.get();
    }

    @Override
    public void setIoOutputStream(IoOutputStream stream) {
        ChannelSession channel = getServerChannelSession();
        replies = new Replies("sftp-out@" + channel.getChannelId(), channel.getChannelId(), stream, channel);
        out = replies;
    }

    /** Splits the channel's data into requests, as MINA's subsystem does; answers the quick ones here. */
    @Override
    public int data(ChannelSession channel, byte[] buf, int start, int len) throws IOException {
        buffer.compact();
        buffer.putRawBytes(buf, start, len);
        while (buffer.available() >= Integer.BYTES) {
            int rpos = buffer.rpos();
            int length = buffer.getInt();
            if (buffer.available() < length) {
                buffer.rpos(rpos);
                break;
            }
            Buffer request = new ByteArrayBuffer(length + Integer.BYTES + Long.SIZE, false);
            request.putUInt(length);
            request.putRawBytes(buffer.array(), buffer.rpos(), length);
            buffer.rpos(rpos + length + Integer.BYTES);
            if (!answeredHere(request)) {
                handedOver.incrementAndGet();
                requests.add(request);
            }
        }
        return 0;
    }

    private boolean answeredHere(Buffer request) throws IOException {
        if (!localCalls || handedOver.get() != 0 || closed.get() || !isQuick(request) || replies == null
                || replies.pendingBytes() != 0 || !processing.tryLock()) {
            return false;
        }
        try {
            if (handedOver.get() != 0) { // one was handed over meanwhile: keep the order
                return false;
            }
            int length = request.available();
            process(request);
            getServerChannelSession().getLocalWindow().release(length);
            answeredHere.incrementAndGet();
            return true;
        } finally {
            processing.unlock();
        }
    }

    /** The request's type and size, read without consuming it: see the class comment. */
    static boolean isQuick(Buffer request) {
        byte[] data = request.array();
        int at = request.rpos();
        int length = request.available();
        if (length < 9) {
            return false;
        }
        int type = data[at + 4] & 0xFF;
        return switch (type) {
            case SftpConstants.SSH_FXP_OPEN, SftpConstants.SSH_FXP_CLOSE, SftpConstants.SSH_FXP_LSTAT,
                    SftpConstants.SSH_FXP_FSTAT, SftpConstants.SSH_FXP_SETSTAT, SftpConstants.SSH_FXP_FSETSTAT,
                    SftpConstants.SSH_FXP_OPENDIR, SftpConstants.SSH_FXP_READDIR, SftpConstants.SSH_FXP_REMOVE,
                    SftpConstants.SSH_FXP_MKDIR, SftpConstants.SSH_FXP_RMDIR, SftpConstants.SSH_FXP_REALPATH,
                    SftpConstants.SSH_FXP_STAT, SftpConstants.SSH_FXP_RENAME -> true;
            // WRITE: type, id, handle, offset (8), data (4 + n); READ: type, id, handle, offset, length (4)
            case SftpConstants.SSH_FXP_WRITE -> length - 9 <= MAX_QUICK_DATA + 256;
            case SftpConstants.SSH_FXP_READ -> {
                if (length < 13) {
                    yield false;
                }
                int handleLength = readInt(data, at + 9);
                long lengthAt = (long) at + 13 + handleLength + 8; // a client's handle length may be anything
                yield handleLength >= 0 && lengthAt + 4 <= at + length && readInt(data, (int) lengthAt) <= MAX_QUICK_DATA;
            }
            default -> false;
        };
    }

    private static int readInt(byte[] data, int at) {
        return ((data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
    }

    /** The subsystem's thread: what was handed over, in order, one at a time with the network thread's. */
    @Override
    public void run() {
        int exitCode = 0;
        try {
            while (true) {
                Buffer request = requests.take();
                if (request == CLOSE) {
                    break;
                }
                int length = request.available();
                processing.lock();
                try {
                    process(request);
                } finally {
                    processing.unlock();
                    handedOver.decrementAndGet();
                }
                getServerChannelSession().getLocalWindow().release(length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (!closed.get()) { // the connection broke while a reply was written: routine
                log.debug("sftp subsystem ended: {}", e.toString());
                exitCode = -1;
            }
        } catch (RuntimeException | Error e) {
            if (closed.get()) {
                log.debug("sftp subsystem ended while closing: {}", e.toString());
            } else {
                // Not a client's doing: a defect, logged whole (MINA's own loop logs it as an error too).
                log.error("sftp subsystem failed", e);
                exitCode = -1;
            }
        } finally {
            closeAllHandles();
            callback.onExit(exitCode, exitCode != 0);
        }
    }

    /** MINA's buffered replies, telling how many bytes still wait to be sent. */
    private static final class Replies extends BufferedIoOutputStream {
        Replies(Object id, long channelId, IoOutputStream out, ChannelSession channel) {
            super(id, channelId, out, channel);
        }

        int pendingBytes() {
            return pendingBytesCount.get();
        }
    }
}
