package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import dev.jftp.client.Problems;
import dev.jftp.client.ftp.FtpClient;
import dev.jftp.client.ftp.Reply;
import dev.jftp.client.glob.Glob;
import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.protocol.ReplyCode;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Remote files and directories: mkdir, rmdir, rm (delete, mdelete), rename, chmod, ln/symlink,
 * df, size, hash, over FTP or SFTP. What the server does not offer is reported as "not supported
 * by this server".
 */
final class FileCommands {
    private FileCommands() {
    }

    static void mkdir(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("mkdir", args, "");
        if (f.operands().size() != 1) {
            throw new ClientException("Usage: mkdir path");
        }
        String path = Glob.unescape(f.operands().get(0));
        try {
            s.remote().mkdir(path);
        } catch (RemoteRefusalException e) {
            throw new ClientException("Couldn't create directory \"" + path + "\": " + Problems.describe(e, path));
        }
    }

    static void rmdir(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("rmdir", args, "");
        if (f.operands().size() != 1) {
            throw new ClientException("Usage: rmdir path");
        }
        String path = s.oneRemote(f.operands().get(0));
        try {
            s.remote().rmdir(path);
        } catch (RemoteRefusalException e) {
            throw new ClientException("Couldn't remove directory \"" + path + "\": " + Problems.describe(e, path));
        }
    }

    /** rm, delete, mdelete: every operand may be a pattern. */
    static void rm(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("rm", args, "");
        if (f.operands().isEmpty()) {
            throw new ClientException("Usage: rm path...");
        }
        int failures = 0;
        for (String pattern : f.operands()) {
            for (RemoteEntry match : s.remoteMatches(pattern)) {
                s.interruption().check(); // Ctrl-C stops the rest of the matches, as in sftp
                if (match.isDirectory()) {
                    s.io().err().println("Couldn't delete \"" + match.name() + "\": it is a directory (use rmdir)");
                    failures++;
                    continue;
                }
                if (!s.settings().quiet) {
                    s.io().out().println("Removing " + match.name());
                }
                try {
                    s.remote().delete(match.name());
                } catch (RemoteRefusalException e) {
                    s.io().err().println("Couldn't delete file \"" + match.name() + "\": " + Problems.describe(e, match.name()));
                    failures++;
                }
            }
        }
        if (failures > 0) {
            throw new ClientException("rm: " + failures + (failures == 1 ? " file" : " files") + " not deleted");
        }
    }

    static void rename(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("rename", args, "");
        if (f.operands().size() != 2) {
            throw new ClientException("Usage: rename oldpath newpath");
        }
        String from = s.oneRemote(f.operands().get(0));
        String to = Glob.unescape(f.operands().get(1));
        try {
            s.remote().rename(from, to);
        } catch (RemoteRefusalException e) {
            throw new ClientException("Couldn't rename \"" + from + "\" to \"" + to + "\": " + Problems.describe(e, from));
        }
    }

    /** chmod mode path...: SITE CHMOD, the Unix servers' way (not in any RFC). */
    static void chmod(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("chmod", args, "");
        if (f.operands().size() < 2) {
            throw new ClientException("Usage: chmod mode path...");
        }
        int mode;
        try {
            mode = Integer.parseInt(f.operands().get(0), 8);
        } catch (NumberFormatException e) {
            throw new ClientException("chmod: \"" + f.operands().get(0) + "\" is not an octal mode such as 644");
        }
        if (mode < 0 || mode > 07777) {
            throw new ClientException("chmod: mode must be between 0 and 7777 (octal)");
        }
        RemoteFiles remote = s.remote();
        for (String pattern : f.operands().subList(1, f.operands().size())) {
            for (RemoteEntry match : s.remoteMatches(pattern)) {
                s.interruption().check(); // Ctrl-C stops the rest of the matches, as in sftp
                if (!s.settings().quiet) {
                    s.io().out().println("Changing mode on " + match.name());
                }
                try {
                    remote.chmod(mode, match.name());
                } catch (RemoteRefusalException e) {
                    if (e.isNotSupported()) {
                        throw new ClientException("chmod: not supported by this server (" + e.getMessage() + ")");
                    }
                    throw new ClientException("Couldn't change mode of \"" + match.name() + "\": " + Problems.describe(e, match.name()));
                }
            }
        }
    }

    /** ln [-s] old new. SFTP has links; FTP has no link command, but some servers offer SITE SYMLINK / SITE LINK. */
    static void ln(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("ln", args, "s");
        link(s, "ln", f.operands(), f.has('s'));
    }

    static void symlink(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("symlink", args, "");
        link(s, "symlink", f.operands(), true);
    }

    private static void link(ClientSession s, String name, List<String> operands, boolean symbolic) throws IOException, ClientException {
        if (operands.size() != 2) {
            throw new ClientException("Usage: " + name + (name.equals("ln") ? " [-s]" : "") + " oldpath newpath");
        }
        String from = Glob.unescape(operands.get(0));
        String to = Glob.unescape(operands.get(1));
        try {
            s.remote().link(from, to, symbolic);
        } catch (RemoteRefusalException e) {
            if (e.isNotSupported()) {
                throw new ClientException(name + ": " + (symbolic ? "symbolic" : "hard") + " links are not supported by this server");
            }
            throw new ClientException("Couldn't link \"" + to + "\" to \"" + from + "\": " + Problems.describe(e, to));
        }
    }

    /** df [-hi] [path]: over FTP AVBL (draft-peterson-streamlined-ftp-command-extensions), over SFTP statvfs@openssh.com, where the server has it. */
    static void df(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("df", args, "hi");
        if (f.operands().size() > 1) {
            throw new ClientException("Usage: df [-hi] [path]");
        }
        RemoteFiles remote = s.remote();
        if (f.has('i')) {
            throw new ClientException("df -i: inode counts are not supported by this server");
        }
        String path = f.operands().isEmpty() ? "" : Glob.unescape(f.operands().get(0));
        long available;
        try {
            available = remote.availableSpace(path);
        } catch (RemoteRefusalException e) {
            throw new ClientException(e.isNotSupported() ? "df: not supported by this server" : "df: " + e.reason());
        } catch (ConnectionLostException e) {
            throw e;
        } catch (IOException e) {
            throw new ClientException("df: " + e.getMessage());
        }
        s.io().out().println("     Avail");
        s.io().out().println(String.format(Locale.ROOT, "%10s", f.has('h') ? ListingCommands.humanSize(available) : Long.toString(available / 1024)));
    }

    static void size(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("size", args, "");
        if (f.operands().isEmpty()) {
            throw new ClientException("Usage: size path...");
        }
        for (String pattern : f.operands()) {
            for (RemoteEntry match : s.remoteMatches(pattern)) {
                s.interruption().check(); // Ctrl-C stops the rest of the matches, as in sftp
                try {
                    s.io().out().println(match.name() + "\t" + s.remote().size(match.name()));
                } catch (RemoteRefusalException e) {
                    if (e.isNotSupported()) {
                        throw new ClientException("size: not supported by this server");
                    }
                    throw new ClientException("Couldn't get the size of \"" + match.name() + "\": " + Problems.describe(e, match.name()));
                }
            }
        }
    }

    /** hash [-a algorithm] path...: HASH (draft-bryan-ftpext-hash), the server computing the digest. */
    static void hash(ClientSession s, List<String> args) throws IOException, ClientException {
        String algorithm = null;
        List<String> rest = args;
        if (args.size() >= 2 && args.get(0).equals("-a")) {
            algorithm = args.get(1).toUpperCase(Locale.ROOT);
            rest = args.subList(2, args.size());
        }
        Flags f = Flags.parse("hash", rest, "");
        if (f.operands().isEmpty()) {
            throw new ClientException("Usage: hash [-a algorithm] path...");
        }
        if (!(s.remote() instanceof FtpClient remote)) {
            throw new ClientException("hash: not supported over " + s.remote().protocol() + " (HASH is an FTP command)");
        }
        if (algorithm != null) {
            Reply reply = remote.raw("OPTS HASH " + algorithm);
            if (reply.isNotSupported()) {
                throw new ClientException("hash: not supported by this server");
            }
            if (!reply.isCompletion()) {
                throw new ClientException("hash: the server does not offer " + algorithm + ": " + reply.message());
            }
        }
        for (String pattern : f.operands()) {
            for (RemoteEntry match : s.remoteMatches(pattern)) {
                s.interruption().check(); // Ctrl-C stops the rest of the matches, as in sftp
                Reply reply = remote.raw("HASH " + match.name());
                if (reply.isNotSupported()) {
                    throw new ClientException("hash: not supported by this server");
                }
                if (!reply.is(ReplyCode.FILE_STATUS)) {
                    throw new ClientException("Couldn't hash \"" + match.name() + "\": " + reply.message() + " (" + reply.code() + ")");
                }
                // "SHA-256 0-1234 <hex> <path>"
                String[] parts = reply.message().split(" ", 4);
                if (parts.length < 3) {
                    throw new ClientException("hash: the server answered \"" + reply.message() + "\"");
                }
                s.io().out().println(parts[2] + "  " + match.name() + " (" + parts[0] + ")");
            }
        }
    }
}
