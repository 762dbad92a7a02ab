package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import dev.jftp.client.CommandInterruptedException;
import dev.jftp.client.glob.Glob;
import dev.jftp.client.glob.RemotePaths;
import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.client.transfer.Downloader;
import dev.jftp.client.transfer.TransferOptions;
import dev.jftp.client.transfer.Uploader;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * get, reget, mget, put, reput, mput. Sources may be patterns; several sources need a directory
 * as the destination (as in sftp). One failing file does not stop the others; the command fails
 * if any did.
 */
final class TransferCommands {
    private static final String FLAGS = "afPpRr";

    private TransferCommands() {
    }

    static void get(ClientSession s, List<String> args) throws IOException, ClientException {
        download(s, "get", args, false, false);
    }

    static void reget(ClientSession s, List<String> args) throws IOException, ClientException {
        download(s, "reget", args, true, false);
    }

    static void mget(ClientSession s, List<String> args) throws IOException, ClientException {
        download(s, "mget", args, false, true);
    }

    static void put(ClientSession s, List<String> args) throws IOException, ClientException {
        upload(s, "put", args, false, false);
    }

    static void reput(ClientSession s, List<String> args) throws IOException, ClientException {
        upload(s, "reput", args, true, false);
    }

    static void mput(ClientSession s, List<String> args) throws IOException, ClientException {
        upload(s, "mput", args, false, true);
    }

    private static TransferOptions options(ClientSession s, Flags f, boolean resume) {
        return new TransferOptions(resume || f.has('a'), f.has('p') || f.has('P'), f.has('f'),
                f.has('r') || f.has('R') || s.settings().recursive);
    }

    private static void download(ClientSession s, String name, List<String> args, boolean resume, boolean many)
            throws IOException, ClientException {
        Flags f = Flags.parse(name, args, FLAGS);
        List<String> operands = f.operands();
        if (operands.isEmpty() || (!many && operands.size() > 2)) {
            throw new ClientException("Usage: " + s.commands().find(name).usage());
        }
        TransferOptions options = options(s, f, resume);
        List<String> patterns = many || operands.size() == 1 ? operands : operands.subList(0, 1);
        Path destination = !many && operands.size() == 2 ? s.localPath(operands.get(1)) : s.localDir();
        boolean intoDirectory = Files.isDirectory(destination);
        List<RemoteEntry> sources = new ArrayList<>();
        for (String pattern : patterns) {
            sources.addAll(s.remoteMatches(pattern));
        }
        if (sources.size() > 1 && !intoDirectory) {
            throw new ClientException("Multiple source paths, but destination \"" + destination + "\" is not a directory");
        }
        Downloader downloader = new Downloader(s.transferContext());
        int failures = 0;
        for (RemoteEntry source : sources) {
            s.interruption().check();
            String remote = source.name();
            String base = RemotePaths.baseName(remote);
            try {
                if (intoDirectory && (base.isEmpty() || base.equals(".") || base.equals("..") || base.equals("/"))) {
                    throw new ClientException("Cannot tell a local name for \"" + remote + "\"; name the local target");
                }
                Path target = intoDirectory ? destination.resolve(base) : destination;
                RemoteEntry known = source.kind() == RemoteEntry.Kind.UNKNOWN ? null : source;
                if (options.recursive()) {
                    RemoteEntry entry = known != null ? known : downloader.lookUp(remote);
                    if (entry.isDirectory()) {
                        failures += downloader.downloadTree(remote, target, options);
                        continue;
                    }
                    known = entry;
                }
                downloader.download(remote, known, target, options);
            } catch (CommandInterruptedException e) {
                throw e;
            } catch (ClientException e) {
                if (sources.size() == 1) {
                    throw e;
                }
                s.io().err().println(e.getMessage());
                failures++;
            }
        }
        if (failures > 0) {
            throw new ClientException(name + ": " + failures + (failures == 1 ? " file" : " files") + " failed");
        }
    }

    private static void upload(ClientSession s, String name, List<String> args, boolean resume, boolean many)
            throws IOException, ClientException {
        Flags f = Flags.parse(name, args, FLAGS);
        List<String> operands = f.operands();
        if (operands.isEmpty() || (!many && operands.size() > 2)) {
            throw new ClientException("Usage: " + s.commands().find(name).usage());
        }
        TransferOptions options = options(s, f, resume);
        List<String> patterns = many || operands.size() == 1 ? operands : operands.subList(0, 1);
        List<Path> sources = new ArrayList<>();
        for (String pattern : patterns) {
            sources.addAll(s.localMatches(pattern));
        }
        String destination = !many && operands.size() == 2 ? Glob.unescape(operands.get(1)) : "";
        boolean intoDirectory = destination.isEmpty() || isRemoteDirectory(s, destination);
        if (!intoDirectory && destination.endsWith("/")) {
            boolean newTree = sources.size() == 1 && options.recursive() && Files.isDirectory(sources.get(0));
            if (!newTree) {
                // Once, before anything moves: not one "cannot upload" per file.
                throw new ClientException("Remote directory \"" + destination + "\" not found");
            }
        }
        if (sources.size() > 1 && !intoDirectory) {
            throw new ClientException("Multiple source paths, but destination \"" + destination + "\" is not a directory");
        }
        if (options.fsync() && s.remote() instanceof dev.jftp.client.ftp.FtpClient) {
            // sftp asks the server to fsync (an OpenSSH extension); FTP has no such command.
            s.io().err().println(name + " -f: FTP cannot ask the server to flush files to disk; the server decides when it does");
        }
        Uploader uploader = new Uploader(s.transferContext());
        int failures = 0;
        for (Path source : sources) {
            s.interruption().check();
            String remote = intoDirectory ? RemotePaths.join(destination, source.getFileName().toString()) : destination;
            try {
                if (Files.isDirectory(source) && options.recursive()) {
                    failures += uploader.uploadTree(source, remote, options);
                } else {
                    uploader.upload(source, remote, options);
                }
            } catch (CommandInterruptedException e) {
                throw e;
            } catch (ClientException e) {
                if (sources.size() == 1) {
                    throw e;
                }
                s.io().err().println(e.getMessage());
                failures++;
            }
        }
        if (failures > 0) {
            throw new ClientException(name + ": " + failures + (failures == 1 ? " file" : " files") + " failed");
        }
    }

    private static boolean isRemoteDirectory(ClientSession s, String path) throws IOException, ClientException {
        String bare = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        try {
            return s.remote().stat(bare).isDirectory();
        } catch (ConnectionLostException e) {
            throw e;
        } catch (RemoteRefusalException e) {
            return false;
        }
    }
}
