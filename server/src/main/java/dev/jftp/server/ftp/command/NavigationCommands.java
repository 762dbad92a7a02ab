package dev.jftp.server.ftp.command;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.control.ReplyText;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;

/** The working directory: CWD, CDUP, PWD and their X variants (RFC 959 section 4.1.1, RFC 775). */
final class NavigationCommands {
    private NavigationCommands() {
    }

    static void cwd(FtpSession s, String argument) throws FtpReplyException, IOException {
        VirtualPath target = s.state().resolve(argument);
        FileEntry entry;
        try {
            entry = s.state().files().stat(target);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        if (!entry.isDirectory()) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, argument + ": Not a directory");
        }
        s.state().changeDirectory(target);
        s.reply(ReplyCode.FILE_ACTION_OK, "Directory changed to " + ReplyText.quotedPath(target.toString()));
    }

    static void cdup(FtpSession s, String argument) throws FtpReplyException, IOException {
        cwd(s, "..");
    }

    static void pwd(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.PATH_CREATED, ReplyText.quotedPath(s.state().cwd().toString()) + " is the current directory");
    }
}
