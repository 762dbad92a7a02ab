package dev.jftp.server.sftp;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.testing.ForwardingStorage;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A storage that passes everything to another and counts what uploads do: bytes received, uploads
 * committed, uploads discarded (and the threads they ended on), and on which kind of thread uploads
 * were opened. Lets a test wait until an upload is under way, or has ended.
 */
public final class WatchedStorage extends ForwardingStorage {
    public final AtomicLong bytesReceived = new AtomicLong();
    public final AtomicInteger committed = new AtomicInteger();
    public final AtomicInteger discarded = new AtomicInteger();
    /** The names of the threads uploads were committed on, and discarded on, in that order. */
    public final List<String> commitThreads = new CopyOnWriteArrayList<>();
    public final List<String> discardThreads = new CopyOnWriteArrayList<>();
    /** Uploads opened on one of the server's network threads (platform threads), and on a session's own (virtual) thread. */
    public final AtomicInteger opensOnNetworkThreads = new AtomicInteger();
    public final AtomicInteger opensOnSessionThreads = new AtomicInteger();

    public WatchedStorage(Storage storage) {
        super(storage);
    }

    @Override
    protected StorageView view(StorageView view) {
        return new ForwardingView(view) {
            @Override
            public UploadSink openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException {
                (Thread.currentThread().isVirtual() ? opensOnSessionThreads : opensOnNetworkThreads).incrementAndGet();
                return watched(view.openForWrite(path, mode, offset));
            }
        };
    }

    private UploadSink watched(UploadSink sink) {
        WritableByteChannel channel = sink.channel();
        WritableByteChannel counting = channel instanceof SeekableByteChannel seekable ? new SeekableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return seekable.read(dst);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                return count(seekable.write(src));
            }

            @Override
            public long position() throws IOException {
                return seekable.position();
            }

            @Override
            public SeekableByteChannel position(long newPosition) throws IOException {
                seekable.position(newPosition);
                return this;
            }

            @Override
            public long size() throws IOException {
                return seekable.size();
            }

            @Override
            public SeekableByteChannel truncate(long size) throws IOException {
                seekable.truncate(size);
                return this;
            }

            @Override
            public boolean isOpen() {
                return seekable.isOpen();
            }

            @Override
            public void close() throws IOException {
                seekable.close();
            }
        } : new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                return count(channel.write(src));
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
        return new UploadSink() {
            private boolean done;

            @Override
            public WritableByteChannel channel() {
                return counting;
            }

            @Override
            public void commit() throws IOException {
                sink.commit();
                done = true;
                committed.incrementAndGet();
                commitThreads.add(Thread.currentThread().getName());
            }

            @Override
            public void close() {
                sink.close();
                if (!done) {
                    done = true;
                    discarded.incrementAndGet();
                    discardThreads.add(Thread.currentThread().getName());
                }
            }
        };
    }

    private int count(int n) {
        bytesReceived.addAndGet(n);
        return n;
    }
}
