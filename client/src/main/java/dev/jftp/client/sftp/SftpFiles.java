package dev.jftp.client.sftp;

import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.client.remote.DataBody;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.client.remote.StallWatchdog;
import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferFailedException;
import dev.jftp.protocol.listing.ListingParser;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A logged-in SFTP session (protocol version 3, draft-ietf-secsh-filexfer-02, as OpenSSH speaks
 * it) as the client's commands see it. As OpenSSH's sftp, the client keeps the working directory
 * itself and sends absolute paths; renames replace an existing target with
 * posix-rename@openssh.com where the server offers it, as sftp's rename does; df asks
 * statvfs@openssh.com. Transfers use MINA's pipelined readers and writers (many requests in flight)
 * and write into the remote file itself, as sftp does: a cancelled upload leaves what arrived.
 */
final class SftpFiles implements RemoteFiles {
    /** Bytes asked for by one READ and sent by one WRITE: OpenSSH's server takes up to 256 KiB. */
    private static final int REQUEST_SIZE = 64 * 1024;

    private final SshClient client;
    private final ClientSession session;
    private final SftpClient sftp;
    private final String host;
    private final Duration dataTimeout;
    private String cwd;
    private volatile Transfer current;

    SftpFiles(SshClient client, ClientSession session, SftpClient sftp, String host, String home, Duration dataTimeout) {
        this.client = client;
        this.session = session;
        this.sftp = sftp;
        this.host = host;
        this.cwd = home;
        this.dataTimeout = dataTimeout;
    }

    /** A request to the server; its failures are translated to refusals and lost connections. */
    @FunctionalInterface
    private interface Request<T> {
        T run() throws IOException;
    }

    private <T> T call(Request<T> request) throws IOException {
        try {
            return request.run();
        } catch (IOException e) {
            throw translate(e);
        } catch (UnsupportedOperationException e) {
            throw new SftpRefusal(SftpConstants.SSH_FX_OP_UNSUPPORTED, e.getMessage());
        }
    }

    private void run(Request<?> request) throws IOException {
        call(request);
    }

    private IOException translate(IOException e) {
        if (e instanceof SftpException status) {
            return new SftpRefusal(status);
        }
        if (e instanceof RemoteRefusalException || e instanceof ConnectionLostException) {
            return e;
        }
        if (!isConnected()) {
            return new ConnectionLostException(host + " closed the connection" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
        return e;
    }

    /** A path as the server gets it: absolute, from the working directory the client keeps. */
    private String absolute(String path) {
        if (path.isEmpty() || path.equals(".")) {
            return cwd;
        }
        if (path.startsWith("/")) {
            return path;
        }
        return cwd.endsWith("/") ? cwd + path : cwd + "/" + path;
    }

    @Override
    public String protocol() {
        return "SFTP";
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public List<String> about() {
        List<String> lines = new ArrayList<>();
        lines.add("Server: " + session.getServerVersion() + ", SFTP protocol version " + sftp.getVersion());
        Map<String, byte[]> extensions = sftp.getServerExtensions();
        lines.add("Server extensions: " + (extensions.isEmpty() ? "none" : String.join(" ", extensions.keySet())));
        return lines;
    }

    @Override
    public boolean isConnected() {
        return session.isOpen() && sftp.isOpen();
    }

    /** A stat of the working directory: one round trip, which a connection that is gone fails. */
    @Override
    public void keepAlive() throws IOException {
        if (!isConnected()) {
            throw new ConnectionLostException(host + " closed the connection");
        }
        try {
            call(() -> sftp.stat(cwd));
        } catch (RemoteRefusalException e) {
            // it answered
        }
    }

    // ---- navigation ----

    @Override
    public String pwd() {
        return cwd;
    }

    @Override
    public String knownCwd() {
        return cwd;
    }

    /** As sftp's cd: the server's canonical form of the path, which must be a directory. */
    @Override
    public String cwd(String path) throws IOException {
        String target = call(() -> sftp.canonicalPath(absolute(path)));
        Attributes attributes = call(() -> sftp.stat(target));
        if (!attributes.isDirectory()) {
            throw new SftpRefusal(SftpConstants.SSH_FX_FAILURE, "Not a directory");
        }
        cwd = target;
        return cwd;
    }

    // ---- files ----

    @Override
    public void mkdir(String path) throws IOException {
        run(() -> {
            sftp.mkdir(absolute(path));
            return null;
        });
    }

    @Override
    public void rmdir(String path) throws IOException {
        run(() -> {
            sftp.rmdir(absolute(path));
            return null;
        });
    }

    @Override
    public void delete(String path) throws IOException {
        run(() -> {
            sftp.remove(absolute(path));
            return null;
        });
    }

    @Override
    public void rename(String from, String to) throws IOException {
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        run(() -> {
            if (posix != null && posix.isSupported()) {
                posix.posixRename(absolute(from), absolute(to));
            } else {
                sftp.rename(absolute(from), absolute(to));
            }
            return null;
        });
    }

    @Override
    public void chmod(int mode, String path) throws IOException {
        run(() -> {
            sftp.setStat(absolute(path), new Attributes().perms(mode & 07777));
            return null;
        });
    }

    @Override
    public void link(String target, String link, boolean symbolic) throws IOException {
        if (!symbolic) {
            throw new SftpRefusal(SftpConstants.SSH_FX_OP_UNSUPPORTED, "hard links are not supported");
        }
        // The target stays as typed (a relative link is relative to the link's directory).
        run(() -> {
            sftp.symLink(absolute(link), target);
            return null;
        });
    }

    @Override
    public long availableSpace(String path) throws IOException {
        OpenSSHStatPathExtension statvfs = sftp.getExtension(OpenSSHStatPathExtension.class);
        if (statvfs == null || !statvfs.isSupported()) {
            throw new SftpRefusal(SftpConstants.SSH_FX_OP_UNSUPPORTED, "statvfs@openssh.com is not offered");
        }
        OpenSSHStatExtensionInfo info = call(() -> statvfs.stat(absolute(path)));
        return info.f_bavail * (info.f_frsize > 0 ? info.f_frsize : info.f_bsize);
    }

    @Override
    public long size(String path) throws IOException {
        Attributes attributes = call(() -> sftp.stat(absolute(path)));
        if (!attributes.isRegularFile() || !attributes.getFlags().contains(SftpClient.Attribute.Size)) {
            throw new SftpRefusal(SftpConstants.SSH_FX_FAILURE, attributes.isDirectory() ? "Is a directory" : "No size known");
        }
        return attributes.getSize();
    }

    @Override
    public Instant modificationTime(String path) throws IOException {
        Attributes attributes = call(() -> sftp.stat(absolute(path)));
        FileTime time = attributes.getModifyTime();
        if (time == null) {
            throw new SftpRefusal(SftpConstants.SSH_FX_FAILURE, "No modification time known");
        }
        return time.toInstant();
    }

    @Override
    public boolean canSetModificationTime() {
        return true;
    }

    /** SFTP version 3 sets access and modification time together (ACMODTIME): both get the time. */
    @Override
    public void setModificationTime(String path, Instant time) throws IOException {
        FileTime fileTime = FileTime.from(time);
        run(() -> {
            sftp.setStat(absolute(path), new Attributes().accessTime(fileTime).modifyTime(fileTime));
            return null;
        });
    }

    @Override
    public RemoteEntry stat(String path) throws IOException {
        Attributes attributes = call(() -> sftp.stat(absolute(path)));
        return entry(path, attributes, null);
    }

    @Override
    public List<RemoteEntry> list(String directory) throws IOException {
        String dir = absolute(directory);
        return call(() -> {
            List<RemoteEntry> entries = new ArrayList<>();
            Instant now = Instant.now();
            for (DirEntry e : sftp.readDir(dir)) {
                String name = e.getFilename();
                if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                    continue;
                }
                entries.add(entry(name, e.getAttributes(), e.getLongFilename() == null ? null : ListingParser.parseUnixLine(e.getLongFilename(), now)));
            }
            return entries;
        });
    }

    /**
     * An entry from SFTP attributes; owner and group names come from the server's "ls -l" long
     * name where it sent one (version 3 attributes carry numbers only).
     */
    private static RemoteEntry entry(String name, Attributes a, RemoteEntry longName) {
        RemoteEntry.Kind kind = a.isRegularFile() ? RemoteEntry.Kind.FILE
                : a.isDirectory() ? RemoteEntry.Kind.DIRECTORY
                : a.isSymbolicLink() ? RemoteEntry.Kind.LINK
                : a.getFlags().contains(SftpClient.Attribute.Perms) ? RemoteEntry.Kind.OTHER : RemoteEntry.Kind.UNKNOWN;
        long size = a.getFlags().contains(SftpClient.Attribute.Size) ? a.getSize() : -1;
        Instant modified = a.getModifyTime() == null ? null : a.getModifyTime().toInstant();
        int mode = a.getFlags().contains(SftpClient.Attribute.Perms) ? a.getPermissions() & 07777 : -1;
        String owner = longName != null && longName.owner() != null ? longName.owner()
                : a.getFlags().contains(SftpClient.Attribute.UidGid) ? Integer.toString(a.getUserId()) : null;
        String group = longName != null && longName.group() != null ? longName.group()
                : a.getFlags().contains(SftpClient.Attribute.UidGid) ? Integer.toString(a.getGroupId()) : null;
        return new RemoteEntry(name, kind, size, modified, mode, owner, group, null);
    }

    // ---- transfers ----

    @Override
    public boolean isBinary() {
        return true;
    }

    @Override
    public Transfer currentTransfer() {
        return current;
    }

    @Override
    public long retrieve(String path, long offset, Transfer transfer, DataBody body) throws IOException {
        String file = absolute(path);
        CloseableHandle handle = call(() -> sftp.open(file, OpenMode.Read));
        try {
            long size = call(() -> sftp.stat(handle)).getSize();
            SftpInputStreamAsync in = new SftpInputStreamAsync((AbstractSftpClient) sftp, REQUEST_SIZE, offset, size, file, handle, false);
            SftpFileChannels.Reading channel = new SftpFileChannels.Reading(in, () -> cutIfStalled(transfer));
            return runTransfer(transfer, channel, body, channel::abandon, () -> { });
        } finally {
            closeQuietly(handle);
        }
    }

    @Override
    public long store(String path, long offset, Transfer transfer, DataBody body) throws IOException {
        String file = absolute(path);
        EnumSet<OpenMode> modes = offset == 0 ? EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Truncate)
                : EnumSet.of(OpenMode.Write, OpenMode.Create);
        CloseableHandle handle = call(() -> sftp.open(file, modes));
        try {
            SftpOutputStreamAsync out = new SftpOutputStreamAsync((AbstractSftpClient) sftp, REQUEST_SIZE, file, handle, false);
            out.setOffset(offset);
            SftpFileChannels.Writing channel = new SftpFileChannels.Writing(out, () -> cutIfStalled(transfer));
            return runTransfer(transfer, channel, body, channel::abandon, channel::finish);
        } finally {
            closeQuietly(handle);
        }
    }

    /** fsync@openssh.com, as sftp's put -f. */
    @Override
    public boolean flushToDisk(String path) throws IOException {
        OpenSSHFsyncExtension fsync = sftp.getExtension(OpenSSHFsyncExtension.class);
        if (fsync == null || !fsync.isSupported()) {
            return false;
        }
        String file = absolute(path);
        CloseableHandle handle = call(() -> sftp.open(file, OpenMode.Write));
        try {
            run(() -> {
                fsync.fsync(handle);
                return null;
            });
            return true;
        } finally {
            closeQuietly(handle);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private long runTransfer(Transfer transfer, java.nio.channels.ByteChannel channel, DataBody body, Runnable abandon, Step finish)
            throws IOException {
        current = transfer;
        transfer.attach(channel, null);
        ScheduledFuture<?> watchdog = StallWatchdog.watch(transfer, dataTimeout);
        IOException failure = null;
        long moved = 0;
        try {
            moved = body.run(channel, transfer);
            if (!transfer.isCancelled() && transfer.cutReason() == null) {
                finish.run();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            watchdog.cancel(false);
            current = null;
            if (failure != null || transfer.isCancelled() || transfer.cutReason() != null) {
                abandon.run();
            }
            transfer.detach(failure == null && !transfer.isCancelled() && transfer.cutReason() == null);
        }
        if (failure == null && !transfer.isCancelled() && transfer.cutReason() == null) {
            return moved;
        }
        if (!isConnected()) {
            throw new ConnectionLostException(host + " closed the connection during the transfer"
                    + (transfer.cutReason() != null ? " (" + transfer.cutReason() + ")" : ""), failure);
        }
        IOException translated = failure == null || failure instanceof AsynchronousCloseException ? null : translate(failure);
        if (translated instanceof RemoteRefusalException refusal && !transfer.isCancelled()) {
            throw new TransferFailedException(refusal.reason() + " after " + transfer.bytes() + " bytes", refusal,
                    transfer.isUpload(), false, transfer.bytes());
        }
        String why = transfer.isCancelled() ? "cancelled"
                : transfer.cutReason() != null ? "cut (" + transfer.cutReason() + ")"
                : "failed: " + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        // What an upload wrote stays in the file (SFTP writes in place): reput continues it.
        throw new TransferFailedException(why + " after " + transfer.bytes() + " bytes", failure, transfer.isUpload(),
                transfer.isCancelled(), transfer.bytes());
    }

    /**
     * A stalled transfer (no bytes for the data timeout) may wait on a server that never answers:
     * closing the connection ends that wait. A Ctrl-C only closes the channel: the next read or
     * write stops the copy.
     */
    private void cutIfStalled(Transfer transfer) {
        if (transfer.cutReason() != null) {
            session.close(true);
        }
    }

    private static void closeQuietly(CloseableHandle handle) {
        try {
            handle.close();
        } catch (IOException e) {
            // the request's outcome is known; the server drops the handle with the connection anyway
        }
    }

    // ---- the connection ----

    @Override
    public void quit() {
        close();
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException e) {
            // leaving anyway
        }
        session.close(false);
        client.stop();
    }
}
