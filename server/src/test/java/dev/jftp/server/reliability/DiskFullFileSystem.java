package dev.jftp.server.reliability;

import dev.jftp.server.filesystem.FileEntry;
import dev.jftp.server.filesystem.FileSystemView;
import dev.jftp.server.filesystem.LocalFileSystem;
import dev.jftp.server.filesystem.Upload;
import dev.jftp.server.filesystem.UploadMode;
import dev.jftp.server.filesystem.VirtualPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * The local file system with a disk of {@code capacity} bytes: an upload's write that would take the
 * files under the home past it writes what fits and fails as the kernel does on a full disk
 * (ENOSPC, "No space left on device"). Used where no small file system can be mounted.
 */
final class DiskFullFileSystem implements FileSystemView {
    private final LocalFileSystem local;
    private final Path home;
    private final long capacity;

    DiskFullFileSystem(LocalFileSystem local, long capacity) {
        this.local = local;
        this.home = local.home();
        this.capacity = capacity;
    }

    /** Bytes in the regular files below {@code home}: what the disk of this file system holds. */
    static long used(Path home) {
        try (Stream<Path> all = Files.walk(home)) {
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
    public Upload openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException {
        Upload upload = local.openForWrite(path, mode, offset);
        FileChannel limited = new FullDiskChannel(upload.channel());
        return new Upload() {
            @Override
            public FileChannel channel() {
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

    /** Passes everything through, but writes stop where the disk is full. */
    private final class FullDiskChannel extends FileChannel {
        private final FileChannel file;

        FullDiskChannel(FileChannel file) {
            this.file = file;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            long free = capacity - used(home);
            if (free <= 0) {
                throw new IOException("No space left on device");
            }
            if (src.remaining() <= free) {
                return file.write(src);
            }
            ByteBuffer part = src.slice(src.position(), (int) free);
            int n = file.write(part);
            src.position(src.position() + n);
            throw new IOException("No space left on device");
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(srcs[i]);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            throw new UnsupportedOperationException("uploads write sequentially");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return file.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            file.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException("uploads write through write()");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("not mapped");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }

    // ---- everything else as on the local disk ----

    @Override
    public FileEntry stat(VirtualPath path) throws IOException {
        return local.stat(path);
    }

    @Override
    public DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException {
        return local.list(directory);
    }

    @Override
    public FileChannel openForRead(VirtualPath path) throws IOException {
        return local.openForRead(path);
    }

    @Override
    public void delete(VirtualPath path) throws IOException {
        local.delete(path);
    }

    @Override
    public void makeDirectory(VirtualPath path) throws IOException {
        local.makeDirectory(path);
    }

    @Override
    public void removeDirectory(VirtualPath path) throws IOException {
        local.removeDirectory(path);
    }

    @Override
    public void rename(VirtualPath from, VirtualPath to) throws IOException {
        local.rename(from, to);
    }

    @Override
    public void setModified(VirtualPath path, Instant time) throws IOException {
        local.setModified(path, time);
    }

    @Override
    public void setPermissions(VirtualPath path, int mode) throws IOException {
        local.setPermissions(path, mode);
    }
}
