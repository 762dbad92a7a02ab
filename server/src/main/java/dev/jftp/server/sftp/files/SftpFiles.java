package dev.jftp.server.sftp.files;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.metrics.JftpdMetrics;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UnsupportedStorageOperationException;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SFTP session's files: the user's jailed view of the storage, and what the user may do there.
 * Every file operation of the session comes through here, whichever way MINA reaches it (the file
 * system provider or the accessor), so that this is the one place where SFTP's permissions are
 * checked, the same way FTP checks them: reading a file or a directory needs {@code read}; uploading,
 * chmod and setting times {@code write}; removing a file or a directory {@code delete}; mkdir
 * {@code mkdir}; rename {@code rename}. Looking at one entry's attributes needs nothing, as FTP's
 * SIZE and MDTM (clients stat a name before putting it).
 *
 * <p>It also keeps the uploads this session has open, by path: attributes set on a file while it
 * is being uploaded (OpenSSH's {@code put -p} sets mode and times before it closes the handle) are
 * applied when the upload is committed, since until then the name still shows the old file.
 */
public final class SftpFiles {
    private static final Logger log = LoggerFactory.getLogger(SftpFiles.class);
    /** One line per transfer, like FTP's (and xferlog's), with {@code proto=sftp}. */
    private static final Logger xferlog = LoggerFactory.getLogger("dev.jftp.xferlog");
    private final JftpdMetrics metrics;

    private final StorageView view;
    private final String user;
    private final Set<Permission> permissions;
    private final InetAddress client;
    private final long session;
    private final Map<VirtualPath, UploadChannel> uploads = new ConcurrentHashMap<>();
    /** The directory of the MKDIR being carried out: MINA applies the mode MKDIR carries as a SETSTAT. */
    private volatile VirtualPath directoryBeingMade;

    /**
     * @param view        the user's view of the storage
     * @param user        login name, for the transfer log
     * @param permissions what the user may do
     * @param client      the client's address, for the transfer log
     * @param session     the session's number in the logs
     * @param metrics     what transfers are counted into
     */
    public SftpFiles(StorageView view, String user, Set<Permission> permissions, InetAddress client, long session,
            JftpdMetrics metrics) {
        this.metrics = metrics;
        this.view = view;
        this.user = user;
        this.permissions = Set.copyOf(permissions);
        this.client = client;
        this.session = session;
    }

    private static final StorageFileSystemProvider PROVIDER = new StorageFileSystemProvider();

    /** These files as the {@link java.nio.file.FileSystem} MINA's SFTP server works on; closing it ends them. */
    public java.nio.file.FileSystem asFileSystem() {
        return new StorageFileSystem(PROVIDER, this);
    }

    public String user() {
        return user;
    }

    public StorageCapabilities capabilities() {
        return view.capabilities();
    }

    public FileEntry stat(VirtualPath path) throws IOException {
        return view.stat(path);
    }

    /** The entry, or null when nothing is there. */
    FileEntry statIfExists(VirtualPath path) throws IOException {
        try {
            return view.stat(path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    public DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException {
        require(Permission.READ, directory);
        return view.list(directory);
    }

    /** A file's content, for a reader other than a client's download (MINA's hash extensions). */
    public SeekableByteChannel openForRead(VirtualPath path) throws IOException {
        require(Permission.READ, path);
        return view.openForRead(path);
    }

    /** A client's download: the storage's channel, counted for the transfer log. */
    DownloadChannel download(VirtualPath path) throws IOException {
        return new DownloadChannel(this, path, openForRead(path));
    }

    /**
     * Starts an upload for an SFTP OPEN with write access, by the rule of {@link UploadChannel}: a
     * new file, or an open that truncates, goes to a temporary upload that replaces the file when
     * the client closes the handle; an existing file opened without truncating is written in place,
     * which only a storage that can resume in place does.
     *
     * @param create      the client allows a new file (SSH_FXF_CREAT)
     * @param createNew   the file must not exist yet (SSH_FXF_EXCL)
     * @param truncate    the file's old content goes (SSH_FXF_TRUNC)
     * @param initialMode permission bits the client asks for a new file, or {@link FileEntry#NO_MODE}
     */
    public UploadChannel openForWrite(VirtualPath path, boolean create, boolean createNew, boolean truncate, int initialMode)
            throws IOException {
        require(Permission.WRITE, path);
        if (path.isRoot()) {
            throw new AccessDeniedException("/", null, "the home directory is not a file");
        }
        FileEntry existing = statIfExists(path);
        if (existing != null && existing.isDirectory()) {
            throw new FileSystemException(path.toString(), null, "Is a directory");
        }
        if (existing != null && createNew) {
            throw new FileAlreadyExistsException(path.toString());
        }
        if (existing == null && !create && !createNew) {
            throw new NoSuchFileException(path.toString());
        }
        boolean replace = existing == null || truncate || createNew;
        if (!replace && !capabilities().resumeInPlace()) {
            throw new UnsupportedStorageOperationException(path.toString(), "writing into an existing file without truncating it");
        }
        UploadSink sink = view.openForWrite(path, replace ? UploadMode.REPLACE : UploadMode.APPEND, 0);
        UploadChannel upload;
        try {
            upload = new UploadChannel(this, path, sink, replace, existing == null ? 0 : existing.size());
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
        if (existing == null && initialMode != FileEntry.NO_MODE && capabilities().permissions()) {
            // A new file gets the mode the client sends (sftp sends the local file's), but never
            // write access for group and others, as under sshd's usual umask 022.
            upload.setModeAfterCommit(initialMode & 0755);
        }
        uploads.put(path, upload);
        return upload;
    }

    /** The upload this session has open on {@code path}, or null. */
    UploadChannel uploadAt(VirtualPath path) {
        return uploads.get(path);
    }

    void uploadEnded(UploadChannel upload) {
        uploads.remove(upload.path(), upload);
    }

    /** SETSTAT's size of a file not being uploaded here: cut it in place (never made longer). */
    void truncate(VirtualPath path, long size) throws IOException {
        require(Permission.WRITE, path);
        if (!capabilities().resumeInPlace()) {
            throw new UnsupportedStorageOperationException(path.toString(), "changing the size of a file");
        }
        try (UploadSink sink = view.openForWrite(path, UploadMode.RESUME, size)) {
            sink.commit();
        }
    }

    public void makeDirectory(VirtualPath path) throws IOException {
        require(Permission.MKDIR, path);
        view.makeDirectory(path);
    }

    /** An SFTP MKDIR of {@code path} starts ({@code true}) or ends: see {@link #setPermissions}. */
    void makingDirectory(VirtualPath path, boolean starts) {
        directoryBeingMade = starts ? path : null;
    }

    public void removeDirectory(VirtualPath path) throws IOException {
        require(Permission.DELETE, path);
        if (path.isRoot()) {
            throw new AccessDeniedException("/", null, "the home directory cannot be removed");
        }
        view.removeDirectory(path);
    }

    public void delete(VirtualPath path) throws IOException {
        require(Permission.DELETE, path);
        view.delete(path);
    }

    public void rename(VirtualPath from, VirtualPath to) throws IOException {
        require(Permission.RENAME, from);
        if (from.isRoot() || to.isRoot()) {
            throw new AccessDeniedException("/", null, "the home directory cannot be renamed");
        }
        view.rename(from, to);
    }

    public void setModified(VirtualPath path, Instant time) throws IOException {
        require(Permission.WRITE, path);
        if (!capabilities().setModifiedTime()) {
            throw new UnsupportedOperationException("setting times is not supported by this storage");
        }
        UploadChannel upload = uploads.get(path);
        if (upload != null) {
            upload.setModifiedAfterCommit(time);
            return;
        }
        view.setModified(path, time);
    }

    public void setPermissions(VirtualPath path, int mode) throws IOException {
        if (path.equals(directoryBeingMade)) {
            // MKDIR's own mode (sftp sends 0777): taken as sshd takes it under umask 022, and
            // dropped on a storage without modes rather than failing the mkdir.
            if (capabilities().permissions()) {
                view.setPermissions(path, mode & 0755);
            }
            return;
        }
        require(Permission.WRITE, path);
        if (!capabilities().permissions()) {
            throw new UnsupportedOperationException("chmod is not supported by this storage");
        }
        UploadChannel upload = uploads.get(path);
        if (upload != null) {
            upload.setModeAfterCommit(mode & 0777);
            return;
        }
        view.setPermissions(path, mode & 0777);
    }

    /** Applies what was set on a file while it was uploaded; a failure is logged, the upload stands. */
    void applyAfterCommit(VirtualPath path, int mode, Instant modified) {
        try {
            if (mode != FileEntry.NO_MODE) {
                view.setPermissions(path, mode);
            }
            if (modified != null) {
                view.setModified(path, modified);
            }
        } catch (IOException e) {
            log.info("sftp session {}: attributes of {} not applied after upload: {}", session, ControlCharacters.escape(path.toString()),
                    e.getMessage());
        }
    }

    /** Ends the session: uploads still open are discarded (never committed). */
    void close() {
        for (UploadChannel upload : uploads.values()) {
            upload.discard();
        }
        uploads.clear();
    }

    /** The transfer log line: as FTP's, with {@code proto=sftp}; {@code ok} false for a transfer that did not end cleanly. */
    void logTransfer(String verb, VirtualPath path, long bytes, long startedNanos, boolean ok) {
        long nanos = System.nanoTime() - startedNanos;
        metrics.transferFinished(verb.equals("RETR") ? JftpdMetrics.Direction.DOWNLOAD : JftpdMetrics.Direction.UPLOAD, bytes, nanos, ok);
        long millis = nanos / 1_000_000;
        String seconds = millis / 1000 + "." + (millis % 1000 + 1000 + "").substring(1);
        xferlog.info("{} proto=sftp session={} user={} client={} path={} bytes={} seconds={} status={}", verb, session, user,
                client.getHostAddress(), ControlCharacters.escape(path.toString()), bytes, seconds, ok ? "ok" : "failed");
    }

    private void require(Permission permission, VirtualPath path) throws AccessDeniedException {
        if (!permissions.contains(permission)) {
            throw new AccessDeniedException(path.toString(), null, "Permission denied (" + permission.word() + ")");
        }
    }
}
