package dev.jftp.server;

import dev.jftp.server.core.Services;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.storage.Storage;
import java.io.IOException;

/**
 * One running jftpd: the assembly. It builds the shared {@link Services} once (accounts,
 * authentication and throttling, limits, storage), then starts each protocol listener on them (FTP
 * today); {@link #close()} stops the listeners, then the services.
 */
public final class JftpdNode implements AutoCloseable {
    private final Services services;
    private final FtpListener ftp;

    private JftpdNode(Services services, FtpListener ftp) {
        this.services = services;
        this.ftp = ftp;
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
        try {
            return new JftpdNode(services, FtpListener.start(config.ftp(), services));
        } catch (IOException | RuntimeException e) {
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

    /** Stops the listeners (running transfers get their grace period), then closes the services. */
    @Override
    public void close() {
        ftp.close();
        services.close();
    }
}
