package dev.jftp.server.storage.s3;

import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UnsupportedStorageOperationException;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One user's files in a bucket, below their prefix ({@link ObjectKeys} is the jail).
 *
 * <p>A file is an object; a directory is a prefix: it exists when its marker object ("dir/", empty,
 * made by {@link #makeDirectory}) exists or any key lies below it. The service is asked each time
 * (no cache), so what one node changes every other node sees at once: S3 is strongly consistent
 * for reads after writes and for listings. Like a disk, an upload, a new directory or a rename needs
 * the parent directory to exist, and a file and a directory never share a name through this view.
 * Unlike a disk: a directory that only exists because of the keys below it (made by another tool,
 * without a marker) vanishes with its last file; a rename is a copy and then a delete, of every
 * object for a directory, so it is not atomic; there are no permissions, no settable times, no links.
 */
final class S3StorageView implements StorageView {
    private final S3Storage storage;
    private final ObjectKeys keys;

    S3StorageView(S3Storage storage, ObjectKeys keys) {
        this.storage = storage;
        this.keys = keys;
    }

    @Override
    public StorageCapabilities capabilities() {
        return S3Storage.CAPABILITIES;
    }

    /** Makes the home's marker when nothing is below the home yet (a new user's first login). */
    void makeRootIfMissing() throws IOException {
        if (keys.root().isEmpty()) {
            return; // the bucket itself
        }
        if (firstBelow(keys.root(), VirtualPath.ROOT) == null) {
            putMarker(keys.root(), "/");
        }
    }

    @Override
    public FileEntry stat(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            S3Object marker = keys.root().isEmpty() ? null : firstBelow(keys.root(), VirtualPath.ROOT);
            Instant modified = marker == null ? Instant.EPOCH : marker.lastModified();
            return new FileEntry("/", FileEntry.Type.DIRECTORY, 0, modified, FileEntry.NO_MODE, new ObjectIdentity(keys.root()));
        }
        String key = keys.file(path);
        HeadObjectResponse head = headOrNull(key, path);
        if (head != null) {
            return new FileEntry(path.name(), FileEntry.Type.FILE, head.contentLength(), head.lastModified(),
                    FileEntry.NO_MODE, new ObjectIdentity(key));
        }
        String prefix = keys.directory(path);
        S3Object first = firstBelow(prefix, path);
        if (first == null) {
            throw new NoSuchFileException(path.toString());
        }
        // The marker sorts first below its prefix, so this is its time when there is one, else the
        // time of some object below.
        return new FileEntry(path.name(), FileEntry.Type.DIRECTORY, 0, first.lastModified(), FileEntry.NO_MODE,
                new ObjectIdentity(prefix));
    }

    @Override
    public DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException {
        String prefix = keys.directory(directory);
        ListObjectsV2Response first = page(prefix, null, directory);
        if (!directory.isRoot() && first.contents().isEmpty() && first.commonPrefixes().isEmpty()) {
            throw headOrNull(keys.file(directory), directory) != null
                    ? new NotDirectoryException(directory.toString())
                    : new NoSuchFileException(directory.toString());
        }
        return new S3Listing(prefix, first, token -> page(prefix, token, directory), ObjectIdentity::new);
    }

    private ListObjectsV2Response page(String prefix, String continuationToken, VirtualPath directory) throws IOException {
        try {
            return storage.client().listObjectsV2(r -> r.bucket(storage.bucket()).prefix(prefix).delimiter("/")
                    .maxKeys(storage.settings().listPageSize()).continuationToken(continuationToken));
        } catch (SdkException e) {
            throw S3Errors.translate(e, directory.toString(), "list");
        }
    }

    @Override
    public SeekableByteChannel openForRead(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            throw new FileSystemException("/", null, "Is a directory");
        }
        String key = keys.file(path);
        HeadObjectResponse head = headOrNull(key, path);
        if (head == null) {
            throw isDirectory(path) ? new FileSystemException(path.toString(), null, "Is a directory")
                    : new NoSuchFileException(path.toString());
        }
        return new S3ReadChannel(storage.client(), storage.bucket(), key, path.toString(), head.contentLength(), head.eTag());
    }

    @Override
    public UploadSink openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException {
        if (mode != UploadMode.REPLACE) {
            // An object cannot grow or be cut in place; a new one made of a server-side copy of the
            // old as its first part would do for objects of 5 MiB or more, but not for smaller ones.
            throw new UnsupportedStorageOperationException(path.toString(),
                    mode == UploadMode.APPEND ? "appending to a file" : "resuming an upload in place");
        }
        if (path.isRoot()) {
            throw new AccessDeniedException("/", null, "cannot replace the home directory");
        }
        String key = keys.file(path);
        requireDirectory(path.parent());
        if (isDirectory(path)) {
            throw new FileSystemException(path.toString(), null, "Is a directory");
        }
        return new S3Upload(storage.client(), storage.bucket(), key, path.toString(), storage.settings(),
                storage.memory(), storage.senders());
    }

    @Override
    public void delete(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            throw new AccessDeniedException("/", null, "cannot delete the home directory");
        }
        String key = keys.file(path);
        if (headOrNull(key, path) == null) {
            throw isDirectory(path) ? new FileSystemException(path.toString(), null, "Is a directory (use RMD)")
                    : new NoSuchFileException(path.toString());
        }
        deleteKey(key, path);
    }

    @Override
    public void makeDirectory(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            throw new FileAlreadyExistsException("/");
        }
        String key = keys.file(path);
        requireDirectory(path.parent());
        if (headOrNull(key, path) != null || isDirectory(path)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        putMarker(keys.directory(path), path.toString());
    }

    @Override
    public void removeDirectory(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            throw new AccessDeniedException("/", null, "cannot remove the home directory");
        }
        String prefix = keys.directory(path);
        ListObjectsV2Response two;
        try {
            two = storage.client().listObjectsV2(r -> r.bucket(storage.bucket()).prefix(prefix).maxKeys(2));
        } catch (SdkException e) {
            throw S3Errors.translate(e, path.toString(), "remove directory");
        }
        if (two.contents().isEmpty()) {
            throw headOrNull(keys.file(path), path) != null ? new NotDirectoryException(path.toString())
                    : new NoSuchFileException(path.toString());
        }
        for (S3Object object : two.contents()) {
            if (!object.key().equals(prefix)) {
                throw new DirectoryNotEmptyException(path.toString());
            }
        }
        deleteKey(prefix, path);
    }

    @Override
    public void rename(VirtualPath from, VirtualPath to) throws IOException {
        if (from.isRoot() || to.isRoot()) {
            throw new AccessDeniedException("/", null, "cannot rename the home directory");
        }
        String fromKey = keys.file(from);
        String toKey = keys.file(to);
        HeadObjectResponse file = headOrNull(fromKey, from);
        boolean directory = file == null && isDirectory(from);
        if (file == null && !directory) {
            throw new NoSuchFileException(from.toString());
        }
        if (from.equals(to)) {
            return;
        }
        if (directory && to.startsWith(from)) {
            throw new FileSystemException(to.toString(), null, "cannot move a directory into itself");
        }
        requireDirectory(to.parent());
        if (isDirectory(to)) {
            throw new FileAlreadyExistsException(to.toString(), null, "a directory of that name exists");
        }
        ObjectCopier copier = storage.copier();
        if (file != null) {
            copier.copy(fromKey, toKey, file.contentLength(), file.eTag(), from.toString());
            deleteKey(fromKey, from);
        } else {
            if (headOrNull(toKey, to) != null) {
                // As rename(2) on a disk (ENOTDIR): a directory does not replace a file.
                throw new FileAlreadyExistsException(to.toString(), null, "a file of that name exists");
            }
            copier.moveTree(keys.directory(from), keys.directory(to), from.toString(), to.toString());
        }
    }

    @Override
    public void setModified(VirtualPath path, Instant time) throws IOException {
        throw new UnsupportedStorageOperationException(path.toString(), "setting a modification time");
    }

    @Override
    public void setPermissions(VirtualPath path, int mode) throws IOException {
        throw new UnsupportedStorageOperationException(path.toString(), "changing permissions");
    }

    /** The parent of a new entry must be a directory, as on a disk. */
    private void requireDirectory(VirtualPath directory) throws IOException {
        if (directory.isRoot() || isDirectory(directory)) {
            return;
        }
        throw headOrNull(keys.file(directory), directory) != null ? new NotDirectoryException(directory.toString())
                : new NoSuchFileException(directory.toString());
    }

    private boolean isDirectory(VirtualPath path) throws IOException {
        return path.isRoot() || firstBelow(keys.directory(path), path) != null;
    }

    /** The first object whose key starts with {@code prefix} (its marker, if it has one), or null. */
    private S3Object firstBelow(String prefix, VirtualPath path) throws IOException {
        try {
            ListObjectsV2Response one = storage.client().listObjectsV2(r -> r.bucket(storage.bucket()).prefix(prefix).maxKeys(1));
            return one.contents().isEmpty() ? null : one.contents().get(0);
        } catch (SdkException e) {
            throw S3Errors.translate(e, path.toString(), "stat");
        }
    }

    private HeadObjectResponse headOrNull(String key, VirtualPath path) throws IOException {
        try {
            return storage.client().headObject(r -> r.bucket(storage.bucket()).key(key));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return null;
            }
            throw S3Errors.translate(e, path.toString(), "stat");
        } catch (SdkException e) {
            throw S3Errors.translate(e, path.toString(), "stat");
        }
    }

    private static boolean isNoSuchBucket(AwsServiceException e) {
        return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    private void putMarker(String key, String virtualPath) throws IOException {
        try {
            storage.client().putObject(r -> r.bucket(storage.bucket()).key(key).contentLength(0L), RequestBody.empty());
        } catch (SdkException e) {
            throw S3Errors.translate(e, virtualPath, "make directory");
        }
    }

    private void deleteKey(String key, VirtualPath path) throws IOException {
        try {
            storage.client().deleteObject(r -> r.bucket(storage.bucket()).key(key));
        } catch (SdkException e) {
            throw S3Errors.translate(e, path.toString(), "delete");
        }
    }
}
