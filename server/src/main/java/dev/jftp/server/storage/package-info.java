/**
 * The storage contract: where a user's files live, independent of the protocol that reaches them
 * (FTP, SFTP) and of the backend that keeps them (local disk, memory, an S3 bucket).
 *
 * <p>A {@link dev.jftp.server.storage.Storage} is made once at start-up and shared; each logged-in
 * user gets a {@link dev.jftp.server.storage.StorageView} jailed in their home. Reads are positioned
 * channels ({@link java.nio.channels.SeekableByteChannel}); a backend on the local disk hands out a
 * {@link java.nio.channels.FileChannel}, which the transfer code may use as a fast path
 * ({@code sendfile}) through {@code instanceof}, as Apache MINA SSHD's {@code SftpFileSystemAccessor}
 * does. Writes are {@link dev.jftp.server.storage.UploadSink}s that either commit or discard, which is
 * what makes an upload atomic on every backend. What a backend cannot do is declared in its
 * {@link dev.jftp.server.storage.StorageCapabilities}, so that protocols refuse it cleanly.
 *
 * <p>Failures are the standard {@link java.nio.file.FileSystemException} subclasses
 * (NoSuchFile, AccessDenied, FileAlreadyExists, DirectoryNotEmpty, NotDirectory), plus the few
 * defined here; their messages name virtual paths only, never a server path or a secret.
 */
package dev.jftp.server.storage;
