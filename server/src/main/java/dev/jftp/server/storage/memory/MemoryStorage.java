package dev.jftp.server.storage.memory;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files kept in this process's memory ({@code --storage memory}): nothing is written to disk and
 * everything is gone when the server stops. For tests and demos, and the storage contract's second
 * implementation, so that nothing in the protocols may assume a local disk.
 *
 * <p>One tree for all users; a home is a directory in it, made when missing. The tree changes under
 * one lock (this storage is not meant for speed), while reads and listings go through concurrent
 * maps without it: a listing walks the directory's own map lazily (weakly consistent, as a directory
 * read on disk), so it costs no copy however large the directory. A file's content is immutable once
 * stored; an upload builds new content and puts it in place in one step, which is what makes a
 * replacing upload atomic here.
 *
 * <p>What it can do is given at construction ({@link #ALL} by default), so that a test can stand in
 * for a backend that lacks something (no modes, no resume) and check how a protocol answers; an
 * operation outside the capabilities is refused, never half done.
 */
public final class MemoryStorage implements Storage {
    /** Everything but symbolic links, which this tree does not have. */
    public static final StorageCapabilities ALL = new StorageCapabilities(true, true, true, false, true, true, true);

    private final StorageCapabilities capabilities;
    private final Directory root;
    private final AtomicLong ids = new AtomicLong();
    /** Guards every change of the tree's shape (see the class comment). */
    final Object treeLock = new Object();

    public MemoryStorage() {
        this(ALL);
    }

    /** A memory storage that can do only what {@code capabilities} says (never symbolic links). */
    public MemoryStorage(StorageCapabilities capabilities) {
        if (capabilities.symbolicLinks()) {
            throw new IllegalArgumentException("a memory storage has no symbolic links");
        }
        this.capabilities = capabilities;
        this.root = newDirectory();
    }

    @Override
    public StorageCapabilities capabilities() {
        return capabilities;
    }

    /**
     * The files of {@code home}: "" for the whole tree, else a directory path ("alice", "/users/bob";
     * a leading "/" changes nothing), made with its parents when missing. ".." is refused.
     */
    @Override
    public StorageView open(String home) throws IOException {
        VirtualPath path;
        try {
            path = home.isEmpty() ? VirtualPath.ROOT : VirtualPath.ROOT.resolve(home);
        } catch (VirtualPath.InvalidPathException e) {
            throw new FileSystemException(home, null, "not a valid home: " + e.getMessage());
        }
        if (java.util.Arrays.asList(home.split("/")).contains("..")) {
            throw new FileSystemException(home, null, "a home may not contain ..");
        }
        synchronized (treeLock) {
            Directory directory = root;
            for (String name : path.segments()) {
                Node child = directory.children.get(name);
                if (child == null) {
                    child = newDirectory();
                    directory.children.put(name, child);
                    directory.modified = Instant.now();
                } else if (!(child instanceof Directory)) {
                    throw new FileSystemException(home, null, "home directory: not a directory");
                }
                directory = (Directory) child;
            }
        }
        return new MemoryStorageView(this, path);
    }

    @Override
    public String describe() {
        return "memory";
    }

    Directory root() {
        return root;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    Directory newDirectory() {
        return new Directory(nextId(), Instant.now(), 0755);
    }

    /** An entry of the tree. */
    sealed interface Node permits Directory, File {
        long id();

        Instant modified();

        int mode();
    }

    /** A directory: its entries by name, sorted, read without the tree lock. */
    static final class Directory implements Node {
        final ConcurrentSkipListMap<String, Node> children = new ConcurrentSkipListMap<>();
        private final long id;
        volatile Instant modified;
        volatile int mode;

        Directory(long id, Instant modified, int mode) {
            this.id = id;
            this.modified = modified;
            this.mode = mode;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public Instant modified() {
            return modified;
        }

        @Override
        public int mode() {
            return mode;
        }
    }

    /** A file: immutable; a change puts a new one in its place. */
    record File(long id, MemoryContent content, Instant modified, int mode) implements Node {
        File withContent(MemoryContent newContent) {
            return new File(id, newContent, Instant.now(), mode);
        }
    }
}
