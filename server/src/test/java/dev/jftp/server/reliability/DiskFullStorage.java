package dev.jftp.server.reliability;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.testing.ForwardingStorage;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * A storage whose disk holds {@code capacity} bytes: it passes everything to the storage it wraps,
 * but an upload's write that would take what {@code used} counts past the capacity writes what fits
 * and fails as the kernel does on a full disk (ENOSPC, "No space left on device"). Used where no
 * small file system can be mounted; a decorator of the storage contract, so no FileChannel is faked.
 */
final class DiskFullStorage extends ForwardingStorage {
    private final long capacity;
    private final LongSupplier used;

    DiskFullStorage(Storage storage, long capacity, LongSupplier used) {
        super(storage);
        this.capacity = capacity;
        this.used = used;
    }

    /** Bytes in the regular files below {@code root}: what the disk of a local storage holds. */
    static long used(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException vanished) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected StorageView view(StorageView view) {
        return new FullDiskView(view);
    }

    @Override
    public String describe() {
        return storage.describe() + " with a " + capacity + "-byte disk";
    }

    /** Writes stop where the disk is full; everything else goes to the wrapped storage as it is. */
    private final class FullDiskChannel implements WritableByteChannel {
        private final WritableByteChannel channel;

        FullDiskChannel(WritableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            long free = capacity - used.getAsLong();
            if (free <= 0) {
                throw new IOException("No space left on device");
            }
            if (src.remaining() <= free) {
                return channel.write(src);
            }
            ByteBuffer part = src.slice(src.position(), (int) free);
            int n = channel.write(part);
            src.position(src.position() + n);
            throw new IOException("No space left on device");
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private final class FullDiskView extends ForwardingView {
        FullDiskView(StorageView view) {
            super(view);
        }

        @Override
        public UploadSink openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException {
            UploadSink upload = view.openForWrite(path, mode, offset);
            WritableByteChannel limited = new FullDiskChannel(upload.channel());
            return new UploadSink() {
                @Override
                public WritableByteChannel channel() {
                    return limited;
                }

                @Override
                public void commit() throws IOException {
                    upload.commit();
                }

                @Override
                public void close() {
                    upload.close();
                }
            };
        }
    }
}
