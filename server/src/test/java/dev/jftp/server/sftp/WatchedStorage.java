package dev.jftp.server.sftp;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A storage that passes everything to another and counts what uploads do: bytes received, uploads
 * committed, uploads discarded. Lets a test wait until an upload is under way, or has ended.
 */
final class WatchedStorage implements Storage {
    private final Storage storage;
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicInteger committed = new AtomicInteger();
    final AtomicInteger discarded = new AtomicInteger();

    WatchedStorage(Storage storage) {
        this.storage = storage;
    }

    @Override
    public StorageCapabilities capabilities() {
        return storage.capabilities();
    }

    @Override
    public String describe() {
        return storage.describe();
    }

    @Override
    public void close() throws IOException {
        storage.close();
    }

    @Override
    public StorageView open(String home) throws IOException {
        StorageView view = storage.open(home);
        return new StorageView() {
            @Override
            public StorageCapabilities capabilities() {
                return view.capabilities();
            }

            @Override
            public FileEntry stat(VirtualPath path) throws IOException {
                return view.stat(path);
            }

            @Override
            public DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException {
                return view.list(directory);
            }

            @Override
            public SeekableByteChannel openForRead(VirtualPath path) throws IOException {
                return view.openForRead(path);
            }

            @Override
            public UploadSink openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException {
                return watched(view.openForWrite(path, mode, offset));
            }

            @Override
            public void delete(VirtualPath path) throws IOException {
                view.delete(path);
            }

            @Override
            public void makeDirectory(VirtualPath path) throws IOException {
                view.makeDirectory(path);
            }

            @Override
            public void removeDirectory(VirtualPath path) throws IOException {
                view.removeDirectory(path);
            }

            @Override
            public void rename(VirtualPath from, VirtualPath to) throws IOException {
                view.rename(from, to);
            }

            @Override
            public void setModified(VirtualPath path, Instant time) throws IOException {
                view.setModified(path, time);
            }

            @Override
            public void setPermissions(VirtualPath path, int mode) throws IOException {
                view.setPermissions(path, mode);
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
            }

            @Override
            public void close() {
                sink.close();
                if (!done) {
                    done = true;
                    discarded.incrementAndGet();
                }
            }
        };
    }

    private int count(int n) {
        bytesReceived.addAndGet(n);
        return n;
    }
}
