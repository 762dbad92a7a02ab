package dev.jftp.server.storage.memory;

import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.InvalidOffsetException;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UnsupportedStorageOperationException;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.memory.MemoryStorage.Directory;
import dev.jftp.server.storage.memory.MemoryStorage.File;
import dev.jftp.server.storage.memory.MemoryStorage.Node;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * One user's files in a {@link MemoryStorage}: every path is the home's path followed by the
 * user's {@link VirtualPath}, which cannot go above its root, so nothing outside the home is
 * reachable. Failures are the same exceptions, with the same virtual paths, as on the local disk.
 */
final class MemoryStorageView implements StorageView {
    private final MemoryStorage storage;
    private final VirtualPath home;

    MemoryStorageView(MemoryStorage storage, VirtualPath home) {
        this.storage = storage;
        this.home = home;
    }

    @Override
    public StorageCapabilities capabilities() {
        return storage.capabilities();
    }

    // ---- finding entries ----

    /** The node at {@code path}, or NoSuchFile / NotDirectory as the walk there finds. */
    private Node find(VirtualPath path) throws IOException {
        Node node = homeDirectory(path);
        VirtualPath walked = VirtualPath.ROOT;
        for (String name : path.segments()) {
            if (!(node instanceof Directory directory)) {
                throw new NotDirectoryException(walked.toString());
            }
            node = directory.children.get(name);
            walked = walked.child(name);
            if (node == null) {
                throw new NoSuchFileException(path.toString());
            }
        }
        return node;
    }

    private Directory homeDirectory(VirtualPath path) throws IOException {
        Node node = storage.root();
        for (String name : home.segments()) {
            node = node instanceof Directory directory ? directory.children.get(name) : null;
            if (node == null) {
                throw new NoSuchFileException(path.toString(), null, "the home directory is gone");
            }
        }
        if (!(node instanceof Directory directory)) {
            throw new NotDirectoryException(path.toString());
        }
        return directory;
    }

    /** The directory {@code path} is in. */
    private Directory parent(VirtualPath path) throws IOException {
        Node node = find(path.parent());
        if (!(node instanceof Directory directory)) {
            throw new NotDirectoryException(path.parent().toString());
        }
        return directory;
    }

    private FileEntry entry(String name, Node node) {
        int mode = capabilities().permissions() ? node.mode() : FileEntry.NO_MODE;
        return switch (node) {
            case Directory d -> new FileEntry(name, FileEntry.Type.DIRECTORY, 0, d.modified(), mode, d.id());
            case File f -> new FileEntry(name, FileEntry.Type.FILE, f.content().size(), f.modified(), mode, f.id());
        };
    }

    // ---- reading ----

    @Override
    public FileEntry stat(VirtualPath path) throws IOException {
        return entry(path.name(), find(path));
    }

    @Override
    public DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException {
        if (!(find(directory) instanceof Directory d)) {
            throw new NotDirectoryException(directory.toString());
        }
        Iterator<Map.Entry<String, Node>> children = d.children.entrySet().iterator();
        return new DirectoryStream<>() {
            private boolean iterated;

            @Override
            public Iterator<FileEntry> iterator() {
                if (iterated) {
                    throw new IllegalStateException("a directory stream is read once");
                }
                iterated = true;
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return children.hasNext();
                    }

                    @Override
                    public FileEntry next() {
                        Map.Entry<String, Node> child = children.next();
                        return entry(child.getKey(), child.getValue());
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public SeekableByteChannel openForRead(VirtualPath path) throws IOException {
        return switch (find(path)) {
            case File f -> f.content().reader();
            case Directory d -> throw new FileSystemException(path.toString(), null, "Is a directory");
        };
    }

    // ---- writing ----

    @Override
    public UploadSink openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException {
        if (path.isRoot()) {
            throw new AccessDeniedException("/", null, "cannot replace the home directory");
        }
        if (mode != UploadMode.REPLACE && !capabilities().resumeInPlace()) {
            throw new UnsupportedStorageOperationException(path.toString(), mode == UploadMode.APPEND ? "appending" : "resuming an upload");
        }
        Node existing = parent(path).children.get(path.name());
        if (existing instanceof Directory) {
            throw new FileSystemException(path.toString(), null, "Is a directory");
        }
        File old = (File) existing;
        return switch (mode) {
            case REPLACE -> new Upload(path, MemoryContent.EMPTY.writer(0), true);
            case APPEND -> new Upload(path, old == null ? MemoryContent.EMPTY.writer(0) : old.content().writer(old.content().size()), false);
            case RESUME -> {
                long size = old == null ? 0 : old.content().size();
                if (offset > size) {
                    throw new InvalidOffsetException(path.toString(), offset, size);
                }
                Upload upload = new Upload(path, old == null ? MemoryContent.EMPTY.writer(0) : old.content().writer(offset), false);
                upload.store(); // the file is cut at the offset at once, as on a disk
                yield upload;
            }
        };
    }

    /**
     * An upload: the bytes gather in a writer and become the file's content in one step. A
     * replacing upload stores them only on commit; one in place (APPEND, RESUME) also when it
     * ends without a commit, since on a disk the bytes written are there whatever happens next.
     */
    private final class Upload implements UploadSink {
        private final VirtualPath path;
        private final MemoryContent.Writer writer;
        private final boolean replacing;
        private boolean ended;

        Upload(VirtualPath path, MemoryContent.Writer writer, boolean replacing) {
            this.path = path;
            this.writer = writer;
            this.replacing = replacing;
        }

        @Override
        public WritableByteChannel channel() {
            return writer;
        }

        @Override
        public synchronized void commit() throws IOException {
            if (ended) {
                throw new IllegalStateException("upload already ended");
            }
            ended = true;
            writer.close();
            store();
        }

        /** Puts the content written so far in place of the file (made when missing). */
        void store() throws IOException {
            MemoryContent content = writer.content();
            synchronized (storage.treeLock) {
                Directory directory = parent(path);
                Node now = directory.children.get(path.name());
                if (now instanceof Directory) {
                    throw new FileSystemException(path.toString(), null, "Is a directory");
                }
                File file = now instanceof File f ? f.withContent(content)
                        : new File(storage.nextId(), content, Instant.now(), 0644);
                directory.children.put(path.name(), file);
                directory.modified = Instant.now();
            }
        }

        @Override
        public synchronized void close() {
            if (ended) {
                return;
            }
            ended = true;
            writer.close();
            if (!replacing) {
                try {
                    store();
                } catch (IOException e) {
                    // the file's directory went away meanwhile: nothing to keep the bytes in
                }
            }
        }
    }

    // ---- changing the tree ----

    @Override
    public void delete(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            throw new AccessDeniedException("/", null, "not allowed on the home directory");
        }
        synchronized (storage.treeLock) {
            Directory directory = parent(path);
            Node node = directory.children.get(path.name());
            if (node == null) {
                throw new NoSuchFileException(path.toString());
            }
            if (node instanceof Directory) {
                throw new FileSystemException(path.toString(), null, "Is a directory (use RMD)");
            }
            directory.children.remove(path.name());
            directory.modified = Instant.now();
        }
    }

    @Override
    public void makeDirectory(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            throw new FileAlreadyExistsException("/");
        }
        synchronized (storage.treeLock) {
            Directory directory = parent(path);
            if (directory.children.putIfAbsent(path.name(), storage.newDirectory()) != null) {
                throw new FileAlreadyExistsException(path.toString());
            }
            directory.modified = Instant.now();
        }
    }

    @Override
    public void removeDirectory(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            throw new AccessDeniedException("/", null, "not allowed on the home directory");
        }
        synchronized (storage.treeLock) {
            Directory directory = parent(path);
            Node node = directory.children.get(path.name());
            if (node == null) {
                throw new NoSuchFileException(path.toString());
            }
            if (!(node instanceof Directory d)) {
                throw new NotDirectoryException(path.toString());
            }
            if (!d.children.isEmpty()) {
                throw new DirectoryNotEmptyException(path.toString());
            }
            directory.children.remove(path.name());
            directory.modified = Instant.now();
        }
    }

    @Override
    public void rename(VirtualPath from, VirtualPath to) throws IOException {
        if (from.isRoot() || to.isRoot()) {
            throw new AccessDeniedException("/", null, "cannot rename the home directory");
        }
        if (to.startsWith(from) && !to.equals(from)) {
            throw new FileSystemException(to.toString(), null, "cannot move a directory into itself");
        }
        synchronized (storage.treeLock) {
            Directory fromDirectory = parent(from);
            Node source = fromDirectory.children.get(from.name());
            if (source == null) {
                throw new NoSuchFileException(from.toString());
            }
            Directory toDirectory = parent(to);
            Node target = toDirectory.children.get(to.name());
            if (target == source) {
                return; // onto itself
            }
            if (target instanceof Directory) {
                throw new FileAlreadyExistsException(to.toString(), null, "a directory of that name exists");
            }
            if (target != null && source instanceof Directory) {
                throw new NotDirectoryException(to.toString());
            }
            if (source instanceof Directory d && !d.children.isEmpty() && !capabilities().renameDirectories()) {
                throw new UnsupportedStorageOperationException(from.toString(), "renaming a directory that is not empty");
            }
            fromDirectory.children.remove(from.name());
            toDirectory.children.put(to.name(), source);
            fromDirectory.modified = Instant.now();
            toDirectory.modified = fromDirectory.modified;
        }
    }

    @Override
    public void setModified(VirtualPath path, Instant time) throws IOException {
        if (!capabilities().setModifiedTime()) {
            throw new UnsupportedStorageOperationException(path.toString(), "setting the modification time");
        }
        synchronized (storage.treeLock) {
            switch (find(path)) {
                case Directory d -> d.modified = time;
                case File f -> parent(path).children.put(path.name(), new File(f.id(), f.content(), time, f.mode()));
            }
        }
    }

    @Override
    public void setPermissions(VirtualPath path, int mode) throws IOException {
        if (!capabilities().permissions()) {
            throw new UnsupportedStorageOperationException(path.toString(), "changing permissions");
        }
        synchronized (storage.treeLock) {
            switch (find(path)) {
                case Directory d -> d.mode = mode & 0777;
                case File f -> parent(path).children.put(path.name(), new File(f.id(), f.content(), f.modified(), mode & 0777));
            }
        }
    }
}
