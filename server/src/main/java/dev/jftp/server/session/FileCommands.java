package dev.jftp.server.session;

import dev.jftp.protocol.FtpTime;
import dev.jftp.protocol.ReplyCode;
import dev.jftp.protocol.listing.ListingFormat;
import dev.jftp.server.filesystem.FileEntry;
import dev.jftp.server.filesystem.FileNameTooLongException;
import dev.jftp.server.filesystem.VirtualPath;
import dev.jftp.server.security.Permission;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Commands on files and directories over the control connection: MKD, RMD, DELE, RNFR/RNTO (RFC
 * 959), SIZE, MDTM, MLST (RFC 3659), MFMT and HASH (the drafts FileZilla and lftp use), SITE CHMOD.
 */
final class FileCommands {
    /** Algorithms for HASH, by the names draft-bryan-ftpext-hash gives them. */
    static final Map<String, String> HASH_ALGORITHMS = Map.of("SHA-256", "SHA-256", "SHA-1", "SHA-1", "MD5", "MD5", "SHA-512", "SHA-512");

    private FileCommands() {
    }

    private static FileEntry stat(FtpSession s, VirtualPath path, String argument) throws FtpReplyException {
        try {
            return s.files.stat(path);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
    }

    static void mkd(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.require(Permission.MKDIR);
        VirtualPath path = s.resolve(argument);
        try {
            s.files.makeDirectory(path);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.PATH_CREATED, NavigationCommands.quote(path.toString()) + " created");
    }

    static void rmd(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.require(Permission.DELETE);
        VirtualPath path = s.resolve(argument);
        if (path.isRoot() || s.cwd.startsWith(path)) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, argument + ": cannot remove the current directory or one above it");
        }
        try {
            s.files.removeDirectory(path);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.FILE_ACTION_OK, "Directory removed");
    }

    static void dele(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.require(Permission.DELETE);
        try {
            s.files.delete(s.resolve(argument));
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.FILE_ACTION_OK, "File deleted");
    }

    static void rnfr(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.require(Permission.RENAME);
        VirtualPath path = s.resolve(argument);
        if (path.isRoot()) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, "Cannot rename the home directory");
        }
        stat(s, path, argument);
        s.renameFrom = path;
        s.reply(ReplyCode.PENDING_FURTHER_INFO, "Ready for RNTO");
    }

    static void rnto(FtpSession s, String argument) throws FtpReplyException, IOException {
        VirtualPath from = s.renameFrom;
        s.renameFrom = null;
        if (from == null) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, "RNFR required first");
        }
        s.require(Permission.RENAME);
        try {
            s.files.rename(from, s.resolve(argument));
        } catch (FileNameTooLongException e) {
            throw new FtpReplyException(ReplyCode.FILE_NAME_NOT_ALLOWED, argument + ": " + e.getReason());
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.FILE_ACTION_OK, "Rename successful");
    }

    static void size(FtpSession s, String argument) throws FtpReplyException, IOException {
        FileEntry entry = stat(s, s.resolve(argument), argument);
        if (!entry.isFile()) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, argument + ": not a plain file");
        }
        s.reply(ReplyCode.FILE_STATUS, Long.toString(entry.size()));
    }

    static void mdtm(FtpSession s, String argument) throws FtpReplyException, IOException {
        FileEntry entry = stat(s, s.resolve(argument), argument);
        s.reply(ReplyCode.FILE_STATUS, FtpTime.format(entry.modified()));
    }

    /** MFMT YYYYMMDDHHMMSS path (draft-somers-ftp-mfxx). */
    static void mfmt(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.require(Permission.WRITE);
        int space = argument.indexOf(' ');
        if (space < 0 || space == argument.length() - 1) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Syntax: MFMT YYYYMMDDHHMMSS path");
        }
        Instant time;
        try {
            time = FtpTime.parse(argument.substring(0, space));
        } catch (IllegalArgumentException e) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Bad time: " + e.getMessage());
        }
        String name = argument.substring(space + 1);
        try {
            s.files.setModified(s.resolve(name), time);
        } catch (IOException e) {
            throw FtpReplyException.of(e, name);
        }
        s.reply(ReplyCode.FILE_STATUS, "Modify=" + FtpTime.format(time) + "; " + name);
    }

    /** MLST [path] (RFC 3659 section 7): the facts of one entry over the control connection. */
    static void mlst(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.require(Permission.READ);
        VirtualPath path = argument.isEmpty() ? s.cwd : s.resolve(argument);
        FileEntry entry = stat(s, path, argument.isEmpty() ? "." : argument);
        String facts = ListingFormat.factsLine(entry, TransferCommands.perm(s, entry), path.toString());
        s.replyLines(ReplyCode.FILE_ACTION_OK, List.of("Listing " + (argument.isEmpty() ? path.toString() : argument), facts, "End"));
    }

    /** HASH path: the digest of a whole file with the algorithm chosen by OPTS HASH. */
    static void hash(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.require(Permission.READ);
        VirtualPath path = s.resolve(argument);
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(HASH_ALGORITHMS.get(s.hashAlgorithm));
        } catch (NoSuchAlgorithmException e) {
            throw new FtpReplyException(ReplyCode.LOCAL_ERROR, "Algorithm " + s.hashAlgorithm + " unavailable");
        }
        long size;
        try (FileChannel channel = s.files.openForRead(path)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            size = 0;
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                size += buffer.remaining();
                digest.update(buffer);
                buffer.clear();
            }
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.FILE_STATUS, s.hashAlgorithm + " 0-" + size + " " + HexFormat.of().formatHex(digest.digest()) + " " + argument);
    }

    /** SITE HELP, SITE CHMOD mode path. */
    static void site(FtpSession s, String argument) throws FtpReplyException, IOException {
        String[] words = argument.split(" ", 3);
        String sub = words[0].toUpperCase(java.util.Locale.ROOT);
        switch (sub) {
            case "HELP" -> s.replyLines(ReplyCode.HELP, List.of("SITE commands:", "CHMOD mode path", "HELP", "End"));
            case "CHMOD" -> {
                if (words.length < 3) {
                    throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Syntax: SITE CHMOD mode path");
                }
                s.require(Permission.WRITE);
                int mode;
                try {
                    mode = Integer.parseInt(words[1], 8);
                } catch (NumberFormatException e) {
                    throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Mode must be octal, e.g. 644");
                }
                if (mode < 0 || mode > 0777) {
                    throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Mode must be between 000 and 777");
                }
                try {
                    s.files.setPermissions(s.resolve(words[2]), mode);
                } catch (IOException e) {
                    throw FtpReplyException.of(e, words[2]);
                }
                s.reply(ReplyCode.OK, "SITE CHMOD command ok");
            }
            default -> throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "SITE " + sub + " not implemented (SITE HELP lists what is)");
        }
    }
}
