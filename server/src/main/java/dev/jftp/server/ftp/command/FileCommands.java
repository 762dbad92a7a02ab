package dev.jftp.server.ftp.command;

import dev.jftp.protocol.FtpTime;
import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.ftp.control.ReplyText;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.ftp.session.SessionState;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.FileNameTooLongException;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Commands on files and directories over the control connection: MKD, RMD, DELE, RNFR/RNTO (RFC
 * 959), SIZE, MDTM (RFC 3659), MFMT and HASH (the drafts FileZilla and lftp use), SITE CHMOD.
 */
final class FileCommands {
    private FileCommands() {
    }

    private static FileEntry stat(FtpSession s, VirtualPath path, String argument) throws FtpReplyException {
        try {
            return s.state().files().stat(path);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
    }

    static void mkd(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.state().require(Permission.MKDIR);
        VirtualPath path = s.state().resolve(argument);
        try {
            s.state().files().makeDirectory(path);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.PATH_CREATED, ReplyText.quotedPath(path.toString()) + " created");
    }

    static void rmd(FtpSession s, String argument) throws FtpReplyException, IOException {
        SessionState state = s.state();
        state.require(Permission.DELETE);
        VirtualPath path = state.resolve(argument);
        if (path.isRoot() || state.cwd().startsWith(path)) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, argument + ": cannot remove the current directory or one above it");
        }
        try {
            state.files().removeDirectory(path);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.FILE_ACTION_OK, "Directory removed");
    }

    static void dele(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.state().require(Permission.DELETE);
        try {
            s.state().files().delete(s.state().resolve(argument));
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.FILE_ACTION_OK, "File deleted");
    }

    static void rnfr(FtpSession s, String argument) throws FtpReplyException, IOException {
        s.state().require(Permission.RENAME);
        VirtualPath path = s.state().resolve(argument);
        if (path.isRoot()) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, "Cannot rename the home directory");
        }
        stat(s, path, argument);
        s.state().setRenameFrom(path);
        s.reply(ReplyCode.PENDING_FURTHER_INFO, "Ready for RNTO");
    }

    static void rnto(FtpSession s, String argument) throws FtpReplyException, IOException {
        VirtualPath from = s.state().takeRenameFrom();
        if (from == null) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, "RNFR required first");
        }
        s.state().require(Permission.RENAME);
        try {
            s.state().files().rename(from, s.state().resolve(argument));
        } catch (FileNameTooLongException e) {
            throw new FtpReplyException(ReplyCode.FILE_NAME_NOT_ALLOWED, argument + ": " + e.getReason());
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        s.reply(ReplyCode.FILE_ACTION_OK, "Rename successful");
    }

    static void size(FtpSession s, String argument) throws FtpReplyException, IOException {
        FileEntry entry = stat(s, s.state().resolve(argument), argument);
        if (!entry.isFile()) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, argument + ": not a plain file");
        }
        s.reply(ReplyCode.FILE_STATUS, Long.toString(entry.size()));
    }

    static void mdtm(FtpSession s, String argument) throws FtpReplyException, IOException {
        FileEntry entry = stat(s, s.state().resolve(argument), argument);
        s.reply(ReplyCode.FILE_STATUS, FtpTime.format(entry.modified()));
    }

    /** MFMT YYYYMMDDHHMMSS path (draft-somers-ftp-mfxx). */
    static void mfmt(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (!s.state().files().capabilities().setModifiedTime()) {
            throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "MFMT is not available on this server's storage: it keeps its own times");
        }
        s.state().require(Permission.WRITE);
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
            s.state().files().setModified(s.state().resolve(name), time);
        } catch (IOException e) {
            throw FtpReplyException.of(e, name);
        }
        s.reply(ReplyCode.FILE_STATUS, "Modify=" + FtpTime.format(time) + "; " + name);
    }

    /** HASH path: the digest of a whole file with the algorithm chosen by OPTS HASH. */
    static void hash(FtpSession s, String argument) throws FtpReplyException, IOException {
        SessionState state = s.state();
        state.require(Permission.READ);
        VirtualPath path = state.resolve(argument);
        String algorithm = state.hashAlgorithm();
        MessageDigest digest;
        try {
            digest = HashAlgorithms.digest(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new FtpReplyException(ReplyCode.LOCAL_ERROR, "Algorithm " + algorithm + " unavailable");
        }
        long size;
        try (SeekableByteChannel channel = state.files().openForRead(path)) {
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
        s.reply(ReplyCode.FILE_STATUS, algorithm + " 0-" + size + " " + HexFormat.of().formatHex(digest.digest()) + " " + argument);
    }

    /** SITE HELP, SITE CHMOD mode path. */
    static void site(FtpSession s, String argument) throws FtpReplyException, IOException {
        String[] words = argument.split(" ", 3);
        String sub = words[0].toUpperCase(java.util.Locale.ROOT);
        switch (sub) {
            case "HELP" -> s.replyLines(ReplyCode.HELP, s.context().storage().capabilities().permissions()
                    ? List.of("SITE commands:", "CHMOD mode path", "HELP", "End")
                    : List.of("SITE commands:", "HELP", "End"));
            case "CHMOD" -> {
                if (!s.context().storage().capabilities().permissions()) {
                    throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "SITE CHMOD is not available on this server's storage: it has no permission bits");
                }
                if (words.length < 3) {
                    throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Syntax: SITE CHMOD mode path");
                }
                s.state().require(Permission.WRITE);
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
                    s.state().files().setPermissions(s.state().resolve(words[2]), mode);
                } catch (IOException e) {
                    throw FtpReplyException.of(e, words[2]);
                }
                s.reply(ReplyCode.OK, "SITE CHMOD command ok");
            }
            default -> throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "SITE " + sub + " not implemented (SITE HELP lists what is)");
        }
    }
}
