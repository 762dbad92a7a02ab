package dev.jftp.server;

import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.ftp.FtpListenerConfig;
import dev.jftp.server.sftp.SftpListenerConfig;
import java.util.function.UnaryOperator;

/**
 * Everything one jftpd node is started with: its shared services, and each protocol listener's own
 * settings (FTP always; SFTP when {@code sftp} is not null).
 */
public record NodeConfig(ServicesConfig services, FtpListenerConfig ftp, SftpListenerConfig sftp) {
    /** A node serving FTP only. */
    public NodeConfig(ServicesConfig services, FtpListenerConfig ftp) {
        this(services, ftp, null);
    }

    public NodeConfig withServices(UnaryOperator<ServicesConfig> change) {
        return new NodeConfig(change.apply(services), ftp, sftp);
    }

    public NodeConfig withFtp(UnaryOperator<FtpListenerConfig> change) {
        return new NodeConfig(services, change.apply(ftp), sftp);
    }

    /** The same node with an SFTP listener as {@code config} says (null: none). */
    public NodeConfig withSftp(SftpListenerConfig config) {
        return new NodeConfig(services, ftp, config);
    }
}
