package dev.jftp.server.storage.local;

import static dev.jftp.server.storage.local.linux.LinuxCalls.AT_FDCWD;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_CLOEXEC;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_DIRECTORY;
import static dev.jftp.server.storage.local.linux.LinuxCalls.O_PATH;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.local.linux.Beneath;
import dev.jftp.server.storage.local.linux.DirectoryHandle;
import dev.jftp.server.storage.local.linux.ErrnoException;
import dev.jftp.server.storage.local.linux.FileStatus;
import dev.jftp.server.storage.local.linux.LinuxCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local disk as a {@link Storage}: users' homes below the server root. Each home is opened once and its
 * descriptor shared by every session of that home, so an operation costs no extra open of the
 * home; at each login the home is looked up again, made when missing, and a new descriptor taken
 * when the directory there is no longer the one held (deleted and made anew, say).
 *
 * <p>A home below the root is found and made beneath the root's descriptor, as any path a client
 * names: a symbolic link that someone put in its place and that leads out of the root is refused,
 * not followed. A home elsewhere (an absolute path in the users file) is the operator's own choice
 * and is opened as named.
 */
public final class LocalStorage implements Storage {
    /** Everything: the local disk appends, resumes, changes modes and times, and renames atomically. */
    static final StorageCapabilities CAPABILITIES = new StorageCapabilities(true, true, true, true, true, true, true);

    private final Path root;
    private final DirectoryHandle rootHandle;
    private final Beneath beneath;
    private final ConcurrentHashMap<Path, DirectoryHandle> homes = new ConcurrentHashMap<>();

    private LocalStorage(Path root, DirectoryHandle rootHandle, Beneath beneath) {
        this.root = root;
        this.rootHandle = rootHandle;
        this.beneath = beneath;
    }

    /** Homes below {@code root}, an existing directory; paths resolved with openat2 where the kernel has it. */
    public static LocalStorage at(Path root) throws IOException {
        return at(root, Beneath.best());
    }

    /** The same without openat2, as on kernels before 5.6 or under a seccomp filter that forbids it; for tests. */
    public static LocalStorage withoutOpenat2(Path root) throws IOException {
        return at(root, Beneath.walking());
    }

    private static LocalStorage at(Path root, Beneath beneath) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        return new LocalStorage(absolute, openDirectory(absolute), beneath);
    }

    @Override
    public StorageCapabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * The files of {@code home}: "" for the root, a relative path for a directory below the root
     * (made when missing), an absolute one for a directory the operator chose elsewhere.
     */
    @Override
    public LocalStorageView open(String home) throws IOException {
        return view(root.resolve(home));
    }

    @Override
    public String describe() {
        return "local disk";
    }

    /** The files of {@code home}: below the root (made when missing), or elsewhere if the operator said so. */
    public LocalStorageView view(Path home) throws IOException {
        Path h = home.toAbsolutePath().normalize();
        if (h.equals(root)) {
            return new LocalStorageView(h, rootHandle, beneath, false);
        }
        DirectoryHandle handle;
        try {
            handle = homes.compute(h, (key, held) -> {
                try {
                    return current(key, held);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new LocalStorageView(h, handle, beneath, false);
    }

    /**
     * The handle of {@code home} as it is now: {@code held} when that is still the directory there,
     * else a new one. A replaced handle is left to the sessions still using it, and closed once
     * none does.
     */
    private DirectoryHandle current(Path home, DirectoryHandle held) throws IOException {
        int fd = home.startsWith(root) ? openBelowRoot(home) : openElsewhere(home);
        FileStatus status;
        try {
            status = LinuxCalls.fstat(fd);
        } catch (ErrnoException e) {
            LinuxCalls.close(fd);
            throw new FileSystemException(null, null, "home directory: " + e.reason());
        }
        if (held != null && held.isSameDirectory(status)) {
            LinuxCalls.close(fd);
            return held;
        }
        try {
            return DirectoryHandle.adopt(fd, home.toString().getBytes(StandardCharsets.UTF_8));
        } catch (ErrnoException e) {
            throw new FileSystemException(null, null, "home directory: " + e.reason());
        }
    }

    /** Opens (O_PATH) a home below the root, beneath the root's descriptor, making the directories that are missing. */
    private int openBelowRoot(Path home) throws IOException {
        List<byte[]> names = new ArrayList<>();
        for (Path name : root.relativize(home)) {
            names.add(name.toString().getBytes(StandardCharsets.UTF_8));
        }
        int rootFd;
        try {
            rootFd = rootHandle.acquire();
        } catch (ErrnoException closed) {
            throw new FileSystemException(null, null, "the server is stopping");
        }
        try {
            try {
                return beneath.open(rootFd, rootHandle.anchors(), names, O_PATH | O_DIRECTORY);
            } catch (ErrnoException e) {
                if (e.errno() != ErrnoException.ENOENT) {
                    throw e;
                }
            }
            for (int i = 0; i < names.size(); i++) {
                int parent = beneath.open(rootFd, rootHandle.anchors(), names.subList(0, i), O_PATH | O_DIRECTORY);
                try {
                    LinuxCalls.mkdirat(parent, names.get(i), 0777);
                } catch (ErrnoException e) {
                    if (e.errno() != ErrnoException.EEXIST) {
                        throw e;
                    }
                } finally {
                    LinuxCalls.close(parent);
                }
            }
            return beneath.open(rootFd, rootHandle.anchors(), names, O_PATH | O_DIRECTORY);
        } catch (ErrnoException e) {
            throw new FileSystemException(null, null, e.errno() == ErrnoException.EXDEV
                    ? "home directory: a symbolic link on the way leads out of the server root"
                    : "home directory: " + e.reason());
        } finally {
            rootHandle.release();
        }
    }

    /** A home outside the root, as the operator named it: made when missing and opened following any link on the way. */
    private static int openElsewhere(Path home) throws IOException {
        try {
            if (!Files.isDirectory(home)) { // createDirectories throws (and catches) inside for a home that exists
                Files.createDirectories(home);
            }
            return LinuxCalls.openat(AT_FDCWD, home.toString().getBytes(StandardCharsets.UTF_8), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw new FileSystemException(null, null, "home directory: " + e.reason());
        } catch (FileSystemException e) {
            throw new FileSystemException(null, null, "home directory: " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        }
    }

    /** Opens an existing directory the operator named, following links on the way (the root, a test's home). */
    static DirectoryHandle openDirectory(Path directory) throws IOException {
        if (!LinuxCalls.SUPPORTED) {
            throw new IOException("jftpd's local file system needs Linux on x86-64 or AArch64 (this is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch") + ")");
        }
        try {
            byte[] named = directory.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
            return DirectoryHandle.adopt(LinuxCalls.openat(AT_FDCWD, named, O_PATH | O_DIRECTORY | O_CLOEXEC, 0), named);
        } catch (ErrnoException e) {
            throw switch (e.errno()) {
                case ErrnoException.ENOENT -> new NoSuchFileException(directory.toString());
                case ErrnoException.ENOTDIR -> new NotDirectoryException(directory.toString());
                default -> new FileSystemException(directory.toString(), null, e.reason());
            };
        }
    }

    /** Closes the root's and every home's descriptor (each once its operations in progress are done). */
    @Override
    public void close() {
        rootHandle.close();
        homes.values().forEach(DirectoryHandle::close);
        homes.clear();
    }
}
