package dev.jftp.server.sftp.files;

import dev.jftp.server.storage.VirtualPath;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.file.util.BaseFileSystem;

/**
 * One SFTP session's files as the {@link java.nio.file.FileSystem} MINA's SFTP server works on:
 * its root is the user's home, and every operation ends in the session's {@link SftpFiles}. Made
 * when the session starts its SFTP subsystem, closed (discarding uploads still open) when it ends.
 */
final class StorageFileSystem extends BaseFileSystem<StoragePath> {
    private final SftpFiles files;
    private volatile boolean open = true;

    StorageFileSystem(StorageFileSystemProvider provider, SftpFiles files) {
        super(provider);
        this.files = files;
    }

    SftpFiles files() {
        return files;
    }

    StoragePath path(VirtualPath path) {
        return create("/", path.segments());
    }

    @Override
    protected StoragePath create(String root, List<String> names) {
        return new StoragePath(this, root, names);
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            files.close();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** "unix" makes MINA read every attribute in one call (see {@link StorageSftpAccessor#readFileAttributes}). */
    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic", "posix", "unix");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("there are no owners to look up");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("no watch service");
    }
}
