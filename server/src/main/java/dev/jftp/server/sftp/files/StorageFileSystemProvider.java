package dev.jftp.server.sftp.files;

import dev.jftp.server.storage.FileEntry;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.spi.FileSystemProvider;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The {@link FileSystemProvider} of {@link StorageFileSystem}s: what MINA's SFTP server does through
 * {@code java.nio.file.Files} (existence checks, attributes, mkdir, delete, rename) goes to the
 * session's {@link SftpFiles}. Reads only: uploads open through {@link StorageSftpAccessor}, which
 * knows the SFTP handle they belong to. No links are made, no files copied; the file systems are
 * made per session by the SFTP listener, never through a URI.
 */
final class StorageFileSystemProvider extends FileSystemProvider {
    static final String SCHEME = "jftp-storage";

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("storage file systems are made per SFTP session");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("storage file systems are made per SFTP session");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("storage file systems are made per SFTP session");
    }

    static StoragePath storagePath(Path path) {
        if (path instanceof StoragePath p) {
            return p;
        }
        throw new ProviderMismatchException("not a storage path");
    }

    static SftpFiles files(Path path) {
        return storagePath(path).getFileSystem().files();
    }

    static FileEntry stat(Path path) throws IOException {
        return files(path).stat(storagePath(path).virtualPath());
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        for (OpenOption option : options) {
            if (option != StandardOpenOption.READ && !(option instanceof LinkOption)) {
                throw new UnsupportedOperationException("only reading opens through the file system provider");
            }
        }
        return files(path).openForRead(storagePath(path).virtualPath());
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        StoragePath directory = storagePath(dir);
        DirectoryStream<FileEntry> entries = files(dir).list(directory.virtualPath());
        Instant now = Instant.now();
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<FileEntry> it = entries.iterator();
                return new Iterator<>() {
                    private Path next;

                    @Override
                    public boolean hasNext() {
                        while (next == null && it.hasNext()) {
                            FileEntry e = it.next();
                            Path candidate = directory.resolve(e.name()).withListedEntry(e, now);
                            try {
                                if (filter == null || filter.accept(candidate)) {
                                    next = candidate;
                                }
                            } catch (IOException ex) {
                                throw new java.io.UncheckedIOException(ex);
                            }
                        }
                        return next != null;
                    }

                    @Override
                    public Path next() {
                        if (!hasNext()) {
                            throw new java.util.NoSuchElementException();
                        }
                        Path result = next;
                        next = null;
                        return result;
                    }
                };
            }

            @Override
            public void close() throws IOException {
                entries.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        files(dir).makeDirectory(storagePath(dir).virtualPath());
    }

    @Override
    public void delete(Path path) throws IOException {
        SftpFiles files = files(path);
        var virtual = storagePath(path).virtualPath();
        if (files.stat(virtual).isDirectory()) {
            files.removeDirectory(virtual);
        } else {
            files.delete(virtual);
        }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new UnsupportedOperationException("copying on the server is not supported");
    }

    /** A rename; a file already at {@code target} is replaced only when asked (posix-rename), as OpenSSH does. */
    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        boolean replace = false;
        for (CopyOption option : options) {
            replace |= option == StandardCopyOption.REPLACE_EXISTING;
        }
        SftpFiles files = files(source);
        var to = storagePath(target).virtualPath();
        if (!replace && files.statIfExists(to) != null) {
            throw new java.nio.file.FileAlreadyExistsException(to.toString());
        }
        files.rename(storagePath(source).virtualPath(), to);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
        return storagePath(path).virtualPath().equals(storagePath(path2).virtualPath());
    }

    @Override
    public boolean isHidden(Path path) {
        return false;
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("free space is not known for this storage");
    }

    /** Only existence is checked here; what the user may do is checked by the operation itself. */
    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        stat(path);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
        if (!type.isAssignableFrom(PosixFileAttributes.class)) {
            throw new UnsupportedOperationException("no " + type.getSimpleName() + " here");
        }
        return (A) FileAttributesOf.posix(stat(path), files(path).user());
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return FileAttributesOf.map(stat(path), files(path).user());
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        String name = attribute.substring(attribute.indexOf(':') + 1);
        StorageSftpAccessor.setAttribute(files(path), storagePath(path).virtualPath(), name, value);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        throw new NotLinkException(storagePath(link).virtualPath().toString());
    }

    static int mode(Object permissions) {
        @SuppressWarnings("unchecked")
        Set<PosixFilePermission> set = (Set<PosixFilePermission>) permissions;
        return FileAttributesOf.mode(set);
    }

    static Instant instant(Object time) {
        return ((FileTime) time).toInstant();
    }
}
