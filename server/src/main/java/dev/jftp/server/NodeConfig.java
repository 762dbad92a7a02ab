package dev.jftp.server;

import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.ftp.FtpListenerConfig;
import java.util.function.UnaryOperator;

/**
 * Everything one jftpd node is started with: its shared services, and each protocol listener's own
 * settings (FTP today).
 */
public record NodeConfig(ServicesConfig services, FtpListenerConfig ftp) {
    public NodeConfig withServices(UnaryOperator<ServicesConfig> change) {
        return new NodeConfig(change.apply(services), ftp);
    }

    public NodeConfig withFtp(UnaryOperator<FtpListenerConfig> change) {
        return new NodeConfig(services, change.apply(ftp));
    }
}
