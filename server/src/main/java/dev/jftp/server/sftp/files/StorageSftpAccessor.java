package dev.jftp.server.sftp.files;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.FileEntry;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.security.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.util.io.IoUtils;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * How MINA's SFTP server reaches a session's files: paths from the client become jailed
 * {@link VirtualPath}s, and opening, closing, listing and changing files go to {@link SftpFiles},
 * never to the local disk directly.
 *
 * <p>This is where an upload's end is decided (see {@link UploadChannel}): MINA closes a handle both
 * for the client's SSH_FXP_CLOSE and when the session ends with the handle still open; as an event
 * listener this class sees the first ({@link #closing}) and marks the handle, and only a marked
 * handle's upload is committed.
 */
public final class StorageSftpAccessor implements SftpFileSystemAccessor, SftpEventListener {
    /** Set on a handle when the client closed it with SSH_FXP_CLOSE. */
    private static final AttributeKey<Boolean> CLOSED_BY_CLIENT = new AttributeKey<>();

    // ---- paths ----

    /** A client's path, relative to the home or absolute (the home is "/"), as a jailed path. */
    @Override
    public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath) {
        VirtualPath path;
        try {
            path = VirtualPath.ROOT.resolve(remotePath.isEmpty() ? "." : remotePath);
        } catch (VirtualPath.InvalidPathException e) {
            throw new InvalidPathException(remotePath, e.getMessage());
        }
        return ((StorageFileSystem) rootDir.getFileSystem()).path(path);
    }

    // ---- files ----

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        SftpFiles files = StorageFileSystemProvider.files(file);
        VirtualPath path = StorageFileSystemProvider.storagePath(file).virtualPath();
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        if (fileHandle == null) {
            // MINA opens a file without a handle only to apply a SETSTAT of its size.
            return new SizeChange(files, path);
        }
        if (!write) {
            return files.download(path);
        }
        int mode = FileEntry.NO_MODE;
        for (FileAttribute<?> attribute : attrs) {
            if (IoUtils.PERMISSIONS_VIEW_ATTR.equals(attribute.name())) {
                mode = StorageFileSystemProvider.mode(attribute.value());
            }
        }
        return files.openForWrite(path, options.contains(StandardOpenOption.CREATE), options.contains(StandardOpenOption.CREATE_NEW),
                options.contains(StandardOpenOption.TRUNCATE_EXISTING), mode);
    }

    @Override
    public void closing(ServerSession session, String remoteHandle, Handle localHandle) {
        localHandle.setAttribute(CLOSED_BY_CLIENT, Boolean.TRUE);
    }

    @Override
    public void closeFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle, Channel channel,
            Set<? extends OpenOption> options) throws IOException {
        boolean byClient = fileHandle != null && Boolean.TRUE.equals(fileHandle.getAttribute(CLOSED_BY_CLIENT));
        switch (channel) {
            case UploadChannel upload -> {
                if (byClient) {
                    upload.commit();
                } else {
                    upload.discard();
                }
            }
            case DownloadChannel download -> download.end(byClient);
            case null -> {
            }
            default -> channel.close();
        }
    }

    /** fsync@openssh.com ({@code put -f}): an upload is made durable when it is committed, not before. */
    @Override
    public void syncFileData(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle, Channel channel) {
    }

    @Override
    public FileLock tryLock(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle, Channel channel,
            long position, long size, boolean shared) {
        throw new UnsupportedOperationException("byte-range locks are not supported");
    }

    // ---- directories ----

    @Override
    public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir, String handle,
            LinkOption... linkOptions) throws IOException {
        return dir.getFileSystem().provider().newDirectoryStream(dir, null);
    }

    @Override
    public void creating(ServerSession session, Path path, Map<String, ?> attrs) {
        StorageFileSystemProvider.files(path).makingDirectory(StorageFileSystemProvider.storagePath(path).virtualPath(), true);
    }

    @Override
    public void created(ServerSession session, Path path, Map<String, ?> attrs, Throwable thrown) {
        StorageFileSystemProvider.files(path).makingDirectory(StorageFileSystemProvider.storagePath(path).virtualPath(), false);
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
        StorageFileSystemProvider.files(path).makeDirectory(StorageFileSystemProvider.storagePath(path).virtualPath());
    }

    @Override
    public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
        SftpFiles files = StorageFileSystemProvider.files(path);
        VirtualPath virtual = StorageFileSystemProvider.storagePath(path).virtualPath();
        if (isDirectory) {
            files.removeDirectory(virtual);
        } else {
            files.delete(virtual);
        }
    }

    @Override
    public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts) throws IOException {
        oldPath.getFileSystem().provider().move(oldPath, newPath, opts.toArray(CopyOption[]::new));
    }

    @Override
    public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts) {
        throw new UnsupportedOperationException("copying on the server is not supported");
    }

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink) {
        throw new UnsupportedOperationException("making links is not supported");
    }

    @Override
    public String resolveLinkTarget(SftpSubsystemProxy subsystem, Path link) throws IOException {
        return link.getFileSystem().provider().readSymbolicLink(link).toString();
    }

    // ---- attributes ----

    /** All of an entry's attributes in one storage call, whatever view MINA asks for. */
    @Override
    public Map<String, ?> readFileAttributes(SftpSubsystemProxy subsystem, Path file, String view, LinkOption... options)
            throws IOException {
        return FileAttributesOf.map(StorageFileSystemProvider.stat(file), StorageFileSystemProvider.files(file).user());
    }

    @Override
    public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
            LinkOption... options) throws IOException {
        setAttribute(StorageFileSystemProvider.files(file), StorageFileSystemProvider.storagePath(file).virtualPath(), attribute, value);
    }

    @Override
    public void setFilePermissions(SftpSubsystemProxy subsystem, Path file, Set<PosixFilePermission> perms, LinkOption... options)
            throws IOException {
        StorageFileSystemProvider.files(file).setPermissions(StorageFileSystemProvider.storagePath(file).virtualPath(),
                FileAttributesOf.mode(perms));
    }

    /**
     * SETSTAT's attributes: the modification time and the mode where the storage has them; the access
     * time is accepted and dropped (no storage keeps one, and {@code sftp -p} always sends it with
     * the modification time); owners cannot change.
     */
    static void setAttribute(SftpFiles files, VirtualPath path, String attribute, Object value) throws IOException {
        switch (attribute) {
            case IoUtils.LASTMOD_TIME_VIEW_ATTR -> files.setModified(path, StorageFileSystemProvider.instant(value));
            case IoUtils.PERMISSIONS_VIEW_ATTR -> files.setPermissions(path, StorageFileSystemProvider.mode(value));
            case IoUtils.LASTACC_TIME_VIEW_ATTR, IoUtils.CREATE_TIME_VIEW_ATTR -> {
            }
            default -> throw new UnsupportedOperationException("changing " + attribute + " is not supported");
        }
    }

    @Override
    public UserPrincipal resolveFileOwner(SftpSubsystemProxy subsystem, Path file, UserPrincipal name) {
        throw new UnsupportedOperationException("changing owners is not supported");
    }

    @Override
    public GroupPrincipal resolveGroupOwner(SftpSubsystemProxy subsystem, Path file, GroupPrincipal name) {
        throw new UnsupportedOperationException("changing groups is not supported");
    }

    @Override
    public void setFileOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options) {
        throw new UnsupportedOperationException("changing owners is not supported");
    }

    @Override
    public void setGroupOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options) {
        throw new UnsupportedOperationException("changing groups is not supported");
    }

    @Override
    public void setFileAccessControl(SftpSubsystemProxy subsystem, Path file, List<AclEntry> acl, LinkOption... options) {
        throw new UnsupportedOperationException("ACLs are not supported");
    }

    /**
     * SETSTAT of a size, which MINA carries out as open, truncate, close: the upload this session has
     * open on the file is cut, or else the file itself in place (where the storage can).
     */
    private static final class SizeChange implements SeekableByteChannel {
        private final SftpFiles files;
        private final VirtualPath path;
        private boolean open = true;

        SizeChange(SftpFiles files, VirtualPath path) {
            this.files = files;
            this.path = path;
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            UploadChannel upload = files.uploadAt(path);
            if (upload != null) {
                upload.truncate(size);
            } else {
                files.truncate(path, size);
            }
            return this;
        }

        @Override
        public int read(java.nio.ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(java.nio.ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            return this;
        }

        @Override
        public long size() throws IOException {
            return files.stat(path).size();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
