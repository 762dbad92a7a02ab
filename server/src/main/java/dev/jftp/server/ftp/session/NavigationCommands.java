package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;

/** The working directory: CWD, CDUP, PWD and their X variants (RFC 959 section 4.1.1, RFC 775). */
final class NavigationCommands {
    private NavigationCommands() {
    }

    static void cwd(FtpSession s, String argument) throws FtpReplyException, IOException {
        VirtualPath target = s.resolve(argument);
        FileEntry entry;
        try {
            entry = s.files.stat(target);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        if (!entry.isDirectory()) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, argument + ": Not a directory");
        }
        s.cwd = target;
        s.reply(ReplyCode.FILE_ACTION_OK, "Directory changed to " + quote(target.toString()));
    }

    static void cdup(FtpSession s, String argument) throws FtpReplyException, IOException {
        cwd(s, "..");
    }

    static void pwd(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.PATH_CREATED, quote(s.cwd.toString()) + " is the current directory");
    }

    /** RFC 959 Appendix II: a path in a 257 reply is quoted, with inner quotes doubled. */
    static String quote(String path) {
        return "\"" + path.replace("\"", "\"\"") + "\"";
    }
}
