package dev.jftp.client.sftp;

import dev.jftp.client.remote.RemoteRefusalException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** The SFTP server answered a request with a failure status (draft-ietf-secsh-filexfer-02 section 7). */
final class SftpRefusal extends RemoteRefusalException {
    private static final long serialVersionUID = 1L;
    private final int status;

    SftpRefusal(SftpException e) {
        super(text(e.getStatus(), e.getMessage()), e);
        this.status = e.getStatus();
    }

    SftpRefusal(int status, String message) {
        super(text(status, message));
        this.status = status;
    }

    /** OpenSSH's sftp words for the status (fx2txt), else the server's message. */
    private static String text(int status, String message) {
        return switch (status) {
            case SftpConstants.SSH_FX_NO_SUCH_FILE -> "No such file or directory";
            case SftpConstants.SSH_FX_PERMISSION_DENIED -> "Permission denied";
            case SftpConstants.SSH_FX_OP_UNSUPPORTED -> "Operation unsupported";
            case SftpConstants.SSH_FX_BAD_MESSAGE -> "Bad message";
            case SftpConstants.SSH_FX_FAILURE -> message == null || message.isBlank() ? "Failure" : message;
            default -> message == null || message.isBlank() ? "status " + status : message;
        };
    }

    int status() {
        return status;
    }

    @Override
    public boolean isFileUnavailable() {
        return status == SftpConstants.SSH_FX_NO_SUCH_FILE || status == SftpConstants.SSH_FX_PERMISSION_DENIED;
    }

    @Override
    public boolean isNotFound() {
        return status == SftpConstants.SSH_FX_NO_SUCH_FILE;
    }

    @Override
    public boolean isNotSupported() {
        return status == SftpConstants.SSH_FX_OP_UNSUPPORTED;
    }

    @Override
    public String reason() {
        return getMessage();
    }
}
