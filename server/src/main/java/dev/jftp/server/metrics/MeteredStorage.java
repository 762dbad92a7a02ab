package dev.jftp.server.metrics;

import dev.jftp.server.metrics.JftpdMetrics.StorageBackend;
import dev.jftp.server.metrics.JftpdMetrics.StorageOperation;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;

/**
 * A storage that counts its operations ({@code jftpd_storage_operations_total} and
 * {@code _errors_total}, by backend) and otherwise hands everything through unchanged: the channel
 * {@link StorageView#openForRead} returns is the backend's own, so that the local disk's
 * {@code FileChannel} keeps its {@code sendfile} fast path. Only made with {@code --metrics-port}.
 */
public final class MeteredStorage implements Storage {
    private final Storage storage;
    private final StorageBackend backend;
    private final JftpdMetrics metrics;

    private MeteredStorage(Storage storage, StorageBackend backend, JftpdMetrics metrics) {
        this.storage = storage;
        this.backend = backend;
        this.metrics = metrics;
    }

    /** {@code storage} itself when metrics are off, else it counted as {@code backend}. */
    public static Storage wrap(Storage storage, StorageBackend backend, JftpdMetrics metrics) {
        return metrics instanceof DisabledMetrics ? storage : new MeteredStorage(storage, backend, metrics);
    }

    @Override
    public StorageCapabilities capabilities() {
        return storage.capabilities();
    }

    @Override
    public StorageView open(String home) throws IOException {
        return new View(storage.open(home));
    }

    @Override
    public String describe() {
        return storage.describe();
    }

    @Override
    public void close() throws IOException {
        storage.close();
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws IOException;
    }

    /**
     * Runs and counts one operation. An answer about the files (no such file, already exists, not
     * empty, not a directory) is the storage working, not an error; anything else thrown is.
     */
    private <T> T count(StorageOperation operation, Operation<T> work) throws IOException {
        boolean ok = false;
        try {
            T result = work.run();
            ok = true;
            return result;
        } catch (NoSuchFileException | FileAlreadyExistsException | DirectoryNotEmptyException | NotDirectoryException e) {
            ok = true;
            throw e;
        } finally {
            metrics.storageOperation(backend, operation, ok);
        }
    }

    private final class View implements StorageView {
        private final StorageView view;

        View(StorageView view) {
            this.view = view;
        }

        @Override
        public StorageCapabilities capabilities() {
            return view.capabilities();
        }

        @Override
        public FileEntry stat(VirtualPath path) throws IOException {
            return count(StorageOperation.STAT, () -> view.stat(path));
        }

        @Override
        public DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException {
            return count(StorageOperation.LIST, () -> view.list(directory));
        }

        @Override
        public SeekableByteChannel openForRead(VirtualPath path) throws IOException {
            return count(StorageOperation.READ, () -> view.openForRead(path));
        }

        /** Counted when the upload is committed (or its commit fails), not when it is opened. */
        @Override
        public UploadSink openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException {
            UploadSink sink;
            try {
                sink = view.openForWrite(path, mode, offset);
            } catch (IOException | RuntimeException e) {
                metrics.storageOperation(backend, StorageOperation.WRITE, false);
                throw e;
            }
            return new UploadSink() {
                @Override
                public WritableByteChannel channel() {
                    return sink.channel();
                }

                @Override
                public void commit() throws IOException {
                    count(StorageOperation.WRITE, () -> {
                        sink.commit();
                        return null;
                    });
                }

                @Override
                public void close() {
                    sink.close();
                }
            };
        }

        @Override
        public void delete(VirtualPath path) throws IOException {
            count(StorageOperation.DELETE, () -> {
                view.delete(path);
                return null;
            });
        }

        @Override
        public void makeDirectory(VirtualPath path) throws IOException {
            count(StorageOperation.MKDIR, () -> {
                view.makeDirectory(path);
                return null;
            });
        }

        @Override
        public void removeDirectory(VirtualPath path) throws IOException {
            count(StorageOperation.RMDIR, () -> {
                view.removeDirectory(path);
                return null;
            });
        }

        @Override
        public void rename(VirtualPath from, VirtualPath to) throws IOException {
            count(StorageOperation.RENAME, () -> {
                view.rename(from, to);
                return null;
            });
        }

        @Override
        public void setModified(VirtualPath path, Instant time) throws IOException {
            count(StorageOperation.SET_MODIFIED, () -> {
                view.setModified(path, time);
                return null;
            });
        }

        @Override
        public void setPermissions(VirtualPath path, int mode) throws IOException {
            count(StorageOperation.SET_PERMISSIONS, () -> {
                view.setPermissions(path, mode);
                return null;
            });
        }
    }
}
