package dev.jftp.client.ftp;

import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.protocol.ReplyCode;
import java.util.Locale;

/** The server refused a command: carries its reply. */
public class FtpException extends RemoteRefusalException {
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
    @Override
    public boolean isFileUnavailable() {
        return reply.is(ReplyCode.FILE_UNAVAILABLE) || reply.is(ReplyCode.FILE_BUSY);
    }

    /** 550 or 450 whose text says so: FTP has no code of its own for "not there". */
    @Override
    public boolean isNotFound() {
        return isFileUnavailable() && reply.message().toLowerCase(Locale.ROOT).contains("no such file");
    }

    @Override
    public boolean isNotSupported() {
        return reply.isNotSupported();
    }

    @Override
    public String reason() {
        return reply.message() + " (" + reply.code() + ")";
    }
}
