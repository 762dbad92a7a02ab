package dev.jftp.server.ftp.session;

import java.io.IOException;

/** Carries out one FTP command for a session. Replies go through the session. */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @param argument everything after the verb and its space, exactly as sent ("" for none)
     * @throws FtpReplyException for a command that fails; the session replies with its code and text
     * @throws IOException       when the control connection itself fails
     */
    void handle(FtpSession session, String argument) throws FtpReplyException, IOException;
}
