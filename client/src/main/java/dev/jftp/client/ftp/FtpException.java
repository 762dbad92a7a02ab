package dev.jftp.client.ftp;

import dev.jftp.protocol.ReplyCode;
import java.io.IOException;

/** The server refused a command: carries its reply. */
public class FtpException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Reply reply;

    public FtpException(Reply reply) {
        super(reply.toString());
        this.reply = reply;
    }

    public Reply reply() {
        return reply;
    }

    public int code() {
        return reply.code();
    }

    /** 550 and 450: the file is not there or may not be used (RFC 959 section 4.2). */
    public boolean isFileUnavailable() {
        return reply.is(ReplyCode.FILE_UNAVAILABLE) || reply.is(ReplyCode.FILE_BUSY);
    }
}
