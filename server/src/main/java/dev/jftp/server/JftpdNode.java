package dev.jftp.server;

import dev.jftp.server.core.Services;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.sftp.SftpListener;
import dev.jftp.server.storage.Storage;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running jftpd: the assembly. It builds the shared {@link Services} once (accounts,
 * authentication and throttling, limits, storage), then starts each protocol listener on them (FTP,
 * and SFTP when configured); {@link #close()} stops the listeners, then the services.
 */
public final class JftpdNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JftpdNode.class);

    private final Services services;
    private final FtpListener ftp;
    private final SftpListener sftp;

    private JftpdNode(Services services, FtpListener ftp, SftpListener sftp) {
        this.services = services;
        this.ftp = ftp;
        this.sftp = sftp;
    }

    /** Starts a node as {@code config} says. */
    public static JftpdNode start(NodeConfig config) throws IOException {
        return start(config, Services.start(config.services()));
    }

    /** Starts a node as {@code config} says, but keeping files in {@code storage} (which the node closes). */
    public static JftpdNode start(NodeConfig config, Storage storage) throws IOException {
        return start(config, Services.start(config.services(), storage));
    }

    /** Starts the listeners {@code config} says on {@code services}, made by {@link Services#start} (which the node closes). */
    public static JftpdNode start(NodeConfig config, Services services) throws IOException {
        FtpListener ftp = null;
        try {
            ftp = FtpListener.start(config.ftp(), services);
            SftpListener sftp = config.sftp() == null ? null : SftpListener.start(config.sftp(), services);
            return new JftpdNode(services, ftp, sftp);
        } catch (IOException | RuntimeException e) {
            if (ftp != null) {
                ftp.close();
            }
            services.close();
            throw e;
        }
    }

    public Services services() {
        return services;
    }

    /** The FTP/FTPS listener. */
    public FtpListener ftp() {
        return ftp;
    }

    /** The SFTP listener, when the node has one. */
    public Optional<SftpListener> sftp() {
        return Optional.ofNullable(sftp);
    }

    /**
     * Stops the listeners, then closes the services: FTP first (its running transfers get their
     * grace period, during which SFTP still serves), then SFTP, whose uploads still open are discarded.
     */
    @Override
    public void close() {
        ftp.close();
        if (sftp != null) {
            try {
                sftp.close();
            } catch (IOException | RuntimeException e) {
                log.warn("stopping the SFTP listener: {}", e.toString());
            }
        }
        services.close();
    }
}
