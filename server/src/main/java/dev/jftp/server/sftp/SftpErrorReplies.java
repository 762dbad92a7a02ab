package dev.jftp.server.sftp;

import dev.jftp.server.storage.StorageUnavailableException;
import dev.jftp.server.storage.UnsupportedStorageOperationException;
import java.nio.file.FileSystemException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpHelper;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status code and message of a refused SFTP request. The message says why where jftpd knows
 * (the reason of the storage's {@link FileSystemException}, which names virtual paths only, or what
 * is not supported); anything else gets the status code's standard text, so that no server path
 * or internal detail reaches the client. A failure that is no ordinary refusal gets one log line.
 */
final class SftpErrorReplies implements SftpErrorStatusDataHandler {
    private static final Logger log = LoggerFactory.getLogger(SftpErrorReplies.class);

    @Override
    public int resolveSubStatus(SftpSubsystemEnvironment sftp, int id, Throwable e, int cmd, Object... args) {
        if (e instanceof UnsupportedStorageOperationException) {
            return SftpConstants.SSH_FX_OP_UNSUPPORTED;
        }
        return SftpHelper.resolveSubstatus(e);
    }

    @Override
    public String resolveErrorMessage(SftpSubsystemEnvironment sftp, int id, Throwable e, int subStatus, int cmd, Object... args) {
        switch (e) {
            case FileSystemException refused when refused.getReason() != null -> {
                return refused.getReason();
            }
            case StorageUnavailableException unavailable -> {
                log.warn("sftp: {} failed for now: {}", SftpConstants.getCommandMessageName(cmd), unavailable.getMessage());
                return unavailable.getMessage();
            }
            case UnsupportedOperationException unsupported when unsupported.getMessage() != null -> {
                return unsupported.getMessage();
            }
            case FileSystemException refused -> {
                return SftpHelper.resolveStatusMessage(subStatus);
            }
            default -> {
                if (subStatus == SftpConstants.SSH_FX_FAILURE) {
                    log.info("sftp: {} failed: {}", SftpConstants.getCommandMessageName(cmd), e.toString());
                }
                return SftpHelper.resolveStatusMessage(subStatus);
            }
        }
    }
}
