package dev.jftp.server.testing;

import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.time.Instant;

/**
 * A storage that passes everything to another: the base of the tests' storage decorators, which
 * override only what they change ({@link #view} for what a user's view does differently).
 */
public abstract class ForwardingStorage implements Storage {
    protected final Storage storage;

    protected ForwardingStorage(Storage storage) {
        this.storage = storage;
    }

    /** The view to hand out for one the wrapped storage opened; the same view by default. */
    protected StorageView view(StorageView view) {
        return view;
    }

    @Override
    public StorageView open(String home) throws IOException {
        return view(storage.open(home));
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

    /** A view that passes everything to another; subclasses override what they change. */
    public static class ForwardingView implements StorageView {
        protected final StorageView view;

        public ForwardingView(StorageView view) {
            this.view = view;
        }

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
            return view.openForWrite(path, mode, offset);
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
    }
}
