package dev.jftp.client.ftp;

/** USER/PASS was refused (530 and friends); the connection may or may not still be open. */
public class LoginFailedException extends FtpException {
    private static final long serialVersionUID = 1L;

    public LoginFailedException(Reply reply) {
        super(reply);
    }
}
