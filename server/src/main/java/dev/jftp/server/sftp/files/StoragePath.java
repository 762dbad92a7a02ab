package dev.jftp.server.sftp.files;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.FileEntry;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.LinkOption;
import java.time.Instant;
import java.util.List;
import org.apache.sshd.common.file.util.BasePath;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.fs.WithFileAttributes;

/**
 * A path in a {@link StorageFileSystem}: "/" is the user's home. It names a {@link VirtualPath}
 * ({@link #virtualPath()}), so ".." never climbs above the home however it is spelled. A path that
 * comes from a directory listing carries the entry it was listed with, and MINA sends those
 * attributes (and the long name) without asking the storage again for each entry
 * ({@link WithFileAttributes}, which MINA's SFTP server checks for in READDIR).
 */
final class StoragePath extends BasePath<StoragePath, StorageFileSystem> implements WithFileAttributes {
    private final FileEntry listed;
    private final Instant listedAt;

    StoragePath(StorageFileSystem fileSystem, String root, List<String> names) {
        this(fileSystem, root, names, null, null);
    }

    private StoragePath(StorageFileSystem fileSystem, String root, List<String> names, FileEntry listed, Instant listedAt) {
        super(fileSystem, root, names);
        this.listed = listed;
        this.listedAt = listedAt;
    }

    /** This path carrying the entry a listing gave for it. */
    StoragePath withListedEntry(FileEntry entry, Instant now) {
        return new StoragePath(getFileSystem(), root, names, entry, now);
    }

    /** The jailed path this names: absolute, normalised, never above the home. */
    VirtualPath virtualPath() {
        return VirtualPath.ROOT.resolve(toAbsolutePath().toString());
    }

    @Override
    public SftpClient.Attributes getAttributes() {
        return listed == null ? null : FileAttributesOf.listed(listed, getFileSystem().files().user(), listedAt);
    }

    /** Links are followed by the storage itself, inside the jail only: the real path is the normalised one. */
    @Override
    public StoragePath toRealPath(LinkOption... options) {
        return toAbsolutePath().normalize();
    }

    @Override
    public URI toUri() {
        try {
            return new URI(StorageFileSystemProvider.SCHEME, null, toAbsolutePath().toString(), null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** There is no local file behind a storage path (and SFTP must never reach one directly). */
    @Override
    public File toFile() {
        throw new UnsupportedOperationException("a storage path is no local file");
    }
}
