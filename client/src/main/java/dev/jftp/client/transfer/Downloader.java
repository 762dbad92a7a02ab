package dev.jftp.client.transfer;

import dev.jftp.client.ClientException;
import dev.jftp.client.CommandInterruptedException;
import dev.jftp.client.Problems;
import dev.jftp.client.glob.RemotePaths;
import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferFailedException;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Downloads. A file arrives in {@code .name.jftp-part} next to its target and takes its final name
 * only when complete and of the size the server announced, so a failed get never leaves a partial
 * file under the final name. Resume continues the part file (or a shorter local file) with REST.
 */
public final class Downloader {
    /** Suffix of the file a download is written to before it is complete. */
    public static final String PART_SUFFIX = ".jftp-part";
    /** Bound on directory depth in get -r (a server with a link loop would otherwise never end). */
    static final int MAX_DEPTH = 64;

    private final TransferContext context;

    public Downloader(TransferContext context) {
        this.context = context;
    }

    /** Where the download of {@code target} is written until it is complete. */
    public static Path partFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + PART_SUFFIX);
    }

    /**
     * Where a download writes. A regular file, or a new one, is replaced through its part file; a
     * symbolic link is followed to the file it names (the link stays a link); anything else (a
     * device such as /dev/null, a FIFO) is written straight into, as sftp does: renaming a part
     * file over it would destroy it.
     *
     * @param file    the file that gets the bytes, links followed
     * @param inPlace true when it is written straight into, without a part file
     */
    record LocalTarget(Path file, boolean inPlace) {
        /** Bound on a chain of links, as the kernel's ELOOP. */
        static final int MAX_LINKS = 40;

        static LocalTarget of(Path given) throws IOException, ClientException {
            Path path = given.toAbsolutePath();
            for (int hops = 0; Files.isSymbolicLink(path); hops++) {
                if (hops >= MAX_LINKS) {
                    throw new ClientException("Cannot write " + given + ": too many levels of symbolic links");
                }
                path = path.getParent().resolve(Files.readSymbolicLink(path));
            }
            boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
            return new LocalTarget(path, exists && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path));
        }
    }

    /**
     * Downloads one remote file to {@code target}.
     *
     * @param known what a listing already said about the file, or null
     */
    public void download(String remotePath, RemoteEntry known, Path target, TransferOptions options) throws IOException, ClientException {
        RemoteFiles remote = context.remote();
        RemoteEntry entry = known != null && known.isFile() && known.size() >= 0 ? known : lookUp(remotePath);
        if (entry.isDirectory()) {
            throw new ClientException("Cannot download \"" + remotePath + "\": it is a directory (use get -r)");
        }
        if (entry.kind() == RemoteEntry.Kind.OTHER) {
            throw new ClientException("Cannot download non-regular file \"" + remotePath + "\"");
        }
        long remoteSize = remote.isBinary() ? entry.size() : -1;
        if (entry.kind() == RemoteEntry.Kind.LINK && remote.isBinary()) {
            remoteSize = sizeOfLinkTarget(remotePath); // a listing gives the size of the link itself
        }
        LocalTarget local = LocalTarget.of(target);
        Path dir = local.file().getParent();
        if (!Files.isDirectory(dir)) {
            throw new ClientException("Cannot write " + target + ": " + (Files.exists(dir) ? dir + " is not a directory" : "directory " + dir + " does not exist"));
        }
        if (options.resume() && !remote.isBinary()) {
            throw new ClientException("Resuming needs binary mode (type \"binary\" first)");
        }
        if (!context.quiet()) {
            context.out().println((options.resume() ? "Resuming " : "Fetching ") + remotePath + " to " + target);
        }
        if (local.inPlace()) {
            if (options.resume()) {
                throw new ClientException("Cannot resume into " + target + ": it is not a regular file");
            }
            downloadInPlace(remotePath, local.file(), target, remoteSize);
            return;
        }
        Path file = local.file();
        Path part = partFile(file);
        long offset = 0;
        if (options.resume()) {
            if (Files.isRegularFile(part)) {
                offset = Files.size(part);
            } else if (Files.isRegularFile(file)) {
                offset = Files.size(file);
                if (remoteSize >= 0 && offset > remoteSize) {
                    throw new ClientException("Local file " + target + " is larger than remote \"" + remotePath + "\" (" + offset + " > " + remoteSize + " bytes); not resuming");
                }
                if (offset == remoteSize) {
                    if (!context.quiet()) {
                        context.out().println("Local file " + target + " is already complete");
                    }
                    finish(file, null, remotePath, entry, options);
                    return;
                }
                // Continue it as a part file: until the rest has arrived it is not the whole file.
                Files.move(file, part, StandardCopyOption.ATOMIC_MOVE);
            }
            if (remoteSize >= 0 && offset > remoteSize) {
                throw new ClientException("Partial file " + part + " is larger than remote \"" + remotePath + "\" (" + offset + " > " + remoteSize + " bytes); remove it to start over");
            }
        }
        FileChannel channel;
        try {
            channel = offset > 0
                    ? FileChannel.open(part, StandardOpenOption.WRITE)
                    : FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new ClientException("Cannot write " + target + ": " + Problems.describe(e));
        }
        boolean complete = false;
        try (channel) {
            if (offset < remoteSize || remoteSize < 0 || offset == 0) {
                long start = offset;
                Transfer transfer = new Transfer(RemotePaths.baseName(remotePath), offset, remoteSize, false, context.listener());
                remote.retrieve(remotePath, offset, transfer, context.copy().download(channel, start, remote.isBinary(), false));
            }
            long have = channel.size();
            if (remoteSize >= 0 && have != remoteSize) {
                throw new ClientException("Download of \"" + remotePath + "\" is incomplete: " + have + " of " + remoteSize + " bytes");
            }
            if (options.fsync()) {
                channel.force(true);
            }
            complete = true;
        } catch (IOException e) {
            throw retrievalProblem(remotePath, e);
        } finally {
            if (!complete) {
                keepOrRemove(part);
            }
        }
        finish(file, part, remotePath, entry, options);
    }

    /**
     * Into a device or a FIFO: opened for writing as it is (not created, not replaced), written in
     * order; its mode and time are not the download's to change.
     */
    private void downloadInPlace(String remotePath, Path file, Path target, long remoteSize) throws IOException, ClientException {
        RemoteFiles remote = context.remote();
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ClientException("Cannot write " + target + ": " + Problems.describe(e));
        }
        try (channel) {
            Transfer transfer = new Transfer(RemotePaths.baseName(remotePath), 0, remoteSize, false, context.listener());
            long received = remote.retrieve(remotePath, 0, transfer, context.copy().download(channel, 0, remote.isBinary(), true));
            if (remoteSize >= 0 && received != remoteSize) {
                throw new ClientException("Download of \"" + remotePath + "\" is incomplete: " + received + " of " + remoteSize + " bytes");
            }
        } catch (IOException e) {
            throw retrievalProblem(remotePath, e);
        }
    }

    /**
     * What a failed RETR means for the user: Ctrl-C ends the whole command; a refusal or a broken
     * transfer fails this file (returned); a lost connection or a local I/O error goes up as it is (thrown).
     */
    private static ClientException retrievalProblem(String remotePath, IOException e) throws IOException {
        if (e instanceof TransferFailedException failed) {
            return failed.isCancelled() ? new CommandInterruptedException()
                    : new ClientException("Download of \"" + remotePath + "\" failed: " + e.getMessage(), e);
        }
        if (e instanceof RemoteRefusalException refused) {
            return new ClientException(refusal(remotePath, refused), e);
        }
        throw e;
    }

    private long sizeOfLinkTarget(String remotePath) throws IOException {
        try {
            return context.remote().size(remotePath);
        } catch (ConnectionLostException e) {
            throw e;
        } catch (RemoteRefusalException e) {
            return -1; // unknown: the transfer is then not checked against a size
        }
    }

    /** After a failure: an empty part file is worth nothing; a partial one is what reget continues. */
    private void keepOrRemove(Path part) {
        try {
            if (Files.isRegularFile(part) && Files.size(part) == 0) {
                Files.delete(part);
            } else if (Files.isRegularFile(part)) {
                context.err().println("Partial download kept in " + part + " (" + Files.size(part) + " bytes); reget resumes it");
            }
        } catch (IOException e) {
            context.err().println("Could not clean up " + part + ": " + Problems.describe(e));
        }
    }

    /** Mode and time (-p, lumask), then the final name. */
    private void finish(Path target, Path part, String remotePath, RemoteEntry entry, TransferOptions options) throws IOException {
        Path file = part != null ? part : target;
        LocalModes.apply(file, options.preserve() ? entry.mode() : -1, 0666, context.umask(), context.err());
        if (options.preserve()) {
            Instant time = entry.modified();
            if (time == null) {
                try {
                    time = context.remote().modificationTime(remotePath);
                } catch (RemoteRefusalException e) {
                    context.err().println("Cannot keep the time of \"" + remotePath + "\": " + Problems.describe(e));
                }
            }
            if (time != null) {
                Files.setLastModifiedTime(file, FileTime.from(time));
            }
        }
        if (part != null) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** get -r: the directory and everything below it; returns the number of files that failed. */
    public int downloadTree(String remoteDir, Path localDir, TransferOptions options) throws IOException, ClientException {
        return downloadTree(remoteDir, localDir, options, 0);
    }

    private int downloadTree(String remoteDir, Path localDir, TransferOptions options, int depth) throws IOException, ClientException {
        if (depth > MAX_DEPTH) {
            throw new ClientException("Directory tree deeper than " + MAX_DEPTH + " levels at \"" + remoteDir + "\"");
        }
        try {
            Files.createDirectories(localDir);
        } catch (IOException e) {
            throw new ClientException("Cannot create local directory " + localDir + ": " + Problems.describe(e));
        }
        if (!context.quiet()) {
            context.out().println("Retrieving " + remoteDir);
        }
        List<RemoteEntry> entries;
        try {
            entries = context.remote().list(remoteDir);
        } catch (ConnectionLostException e) {
            throw e;
        } catch (RemoteRefusalException e) {
            throw new ClientException(refusal(remoteDir, e), e);
        }
        int failures = 0;
        for (RemoteEntry entry : entries.stream().sorted(Comparator.comparing(RemoteEntry::name)).toList()) {
            context.interruption().check();
            String remote = RemotePaths.join(remoteDir, entry.name());
            Path local = localDir.resolve(entry.name());
            RemoteEntry described = entry;
            try {
                if (described.kind() == RemoteEntry.Kind.UNKNOWN) {
                    described = lookUp(remote);
                }
                switch (described.kind()) {
                    case DIRECTORY -> failures += downloadTree(remote, local, options, depth + 1);
                    case FILE -> download(remote, described, local, options);
                    default -> context.err().println("Skipping non-regular file \"" + remote + "\"");
                }
            } catch (CommandInterruptedException e) {
                throw e;
            } catch (ClientException e) {
                context.err().println(e.getMessage());
                failures++;
            }
        }
        if (options.preserve()) {
            RemoteEntry self = null;
            try {
                self = context.remote().stat(remoteDir);
            } catch (RemoteRefusalException e) {
                context.err().println("Cannot keep the time of \"" + remoteDir + "\": " + Problems.describe(e));
            }
            if (self != null && self.modified() != null) {
                Files.setLastModifiedTime(localDir, FileTime.from(self.modified()));
            }
        }
        return failures;
    }

    /** What the server says about a path; "not found" and the like become a plain message. */
    public RemoteEntry lookUp(String remotePath) throws IOException, ClientException {
        try {
            return context.remote().stat(remotePath);
        } catch (ConnectionLostException e) {
            throw e;
        } catch (RemoteRefusalException e) {
            throw new ClientException(refusal(remotePath, e), e);
        }
    }

    static String refusal(String path, RemoteRefusalException e) {
        if (Problems.isNotFound(e)) {
            return "File \"" + path + "\" not found.";
        }
        return "Can't access \"" + path + "\": " + Problems.describe(e, path);
    }
}
