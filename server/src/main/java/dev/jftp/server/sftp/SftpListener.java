package dev.jftp.server.sftp;

import dev.jftp.server.core.Services;
import dev.jftp.server.sftp.files.SftpFiles;
import dev.jftp.server.sftp.files.StorageSftpAccessor;
import dev.jftp.server.storage.Storage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.threads.NoCloseExecutor;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.DefaultKeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.UnsupportedAttributePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jftpd's SFTP listener: an SSH server (Apache MINA SSHD) that offers the SFTP subsystem and
 * nothing else, over the accounts, login throttle, connection limits and storage that FTP uses too.
 *
 * <p>What an SSH server could do besides is refused: no shell, no exec (so no legacy {@code scp -O};
 * OpenSSH 9's {@code scp} speaks SFTP), no port forwarding in either direction, no agent or X11
 * forwarding; only "session" channels may be opened, and their only service is "sftp". SFTP is
 * version 3, as OpenSSH speaks it, with the OpenSSH extensions posix-rename, fsync and limits.
 *
 * <p>Threads: MINA's few I/O threads carry the SSH traffic; each SFTP session's requests run on a
 * virtual thread of its own, as do password checks (a slow hash, then perhaps the throttle's delay).
 */
public final class SftpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SftpListener.class);

    /**
     * The listen queue, as large as the FTP listener's. MINA's default (0: the JDK's 50) dropped the
     * connects of a burst beyond it, and a dropped SYN is sent again only after 1, 3, 7, 15, 31 s:
     * of 1,000 OpenSSH sftp clients started at once, 48 had no connection yet after 60 s.
     */
    static final int BACKLOG = 4096;
    /** OpenSSH extensions offered: rename that replaces, fsync, and the server's size limits. */
    private static final String OPENSSH_EXTENSIONS = "posix-rename@openssh.com=1,fsync@openssh.com=1,limits@openssh.com=1";

    private final SftpListenerConfig config;
    private final SftpLogins logins;
    private final Storage storage;
    private final ExecutorService virtualThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sftp-", 1).factory());
    private SshServer server;
    private HostKeys hostKeys;

    public SftpListener(SftpListenerConfig config, SftpLogins logins, Storage storage) {
        this.config = config;
        this.logins = logins;
        this.storage = storage;
    }

    /**
     * The largest READ answered in full, and offered to clients in limits@openssh.com: OpenSSH's
     * sftp-server's own limit (its largest message, 256 KiB, less 1024). OpenSSH's sftp reads in
     * blocks of the size offered; with MINA's default (63 KiB) it sent four times as many requests,
     * and a 1 GiB get cost the client 3.2-4.4 s of CPU instead of 2.1-3.1 (2 cores, loopback, with
     * jftpd's own CPU unchanged). A session's replies waiting to be sent stay bounded by MINA's
     * buffered-io-output-max-pending-write-size (256 KiB, or one reply).
     */
    static final int MAX_READ_LENGTH = 256 * 1024 - 1024;

    /**
     * Starts listening on the node's shared {@code services} (accounts, authenticator, throttle,
     * limits, storage), which the caller closes after this listener.
     */
    public static SftpListener start(SftpListenerConfig config, Services services) throws IOException {
        SftpListener listener = new SftpListener(config, new ServicesLogins(services), services.storage());
        try {
            listener.start();
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        return listener;
    }

    /** MINA's server while started, else null; for tests of its settings. */
    synchronized SshServer sshServer() {
        return server;
    }

    /** Loads or makes the host keys and starts listening. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        hostKeys = HostKeys.loadOrCreate(config.hostKeyDirectory());
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setIoServiceFactoryFactory(new DirectWriteTransport());
        sshd.setHost(config.bindAddress());
        sshd.setPort(config.port());
        CoreModuleProperties.SOCKET_BACKLOG.set(sshd, BACKLOG);
        SshAlgorithms.apply(sshd);
        sshd.setKeyPairProvider(hostKeys.provider());

        SshLogin login = new SshLogin(logins, virtualThreads);
        sshd.setPasswordAuthenticator(login);
        sshd.setPublickeyAuthenticator(login);
        sshd.setKeyboardInteractiveAuthenticator(new DefaultKeyboardInteractiveAuthenticator());
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthKeyboardInteractiveFactory.INSTANCE,
                UserAuthPasswordFactory.INSTANCE));

        SshRefusals refusals = new SshRefusals();
        sshd.setShellFactory(refusals);
        sshd.setCommandFactory(refusals);
        sshd.setForwardingFilter(refusals);
        sshd.setAgentFactory(null);
        // Only "session" channels: no direct-tcpip (ssh -L, -W) or X11 channel can even be opened.
        sshd.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE));

        StorageSftpAccessor accessor = new StorageSftpAccessor();
        boolean localCalls = storage.capabilities().localCalls();
        SftpSubsystemFactory sftp = new SftpSubsystemFactory() {
            @Override
            public Command createSubsystem(ChannelSession channel) {
                QuickRequestsSftpSubsystem subsystem = new QuickRequestsSftpSubsystem(channel, this, localCalls);
                getRegisteredListeners().forEach(subsystem::addSftpEventListener);
                return subsystem;
            }
        };
        sftp.setFileSystemAccessor(accessor);
        sftp.setErrorStatusDataHandler(new SftpErrorReplies());
        sftp.setUnsupportedAttributePolicy(UnsupportedAttributePolicy.ThrowException);
        sftp.setExecutorServiceProvider(() -> new NoCloseExecutor(virtualThreads));
        sftp.addSftpEventListener(accessor);
        sshd.setSubsystemFactories(List.of(sftp));
        sshd.setFileSystemFactory(new SessionFiles());
        sshd.addSessionListener(new SshSessions(logins));

        CoreModuleProperties.SERVER_IDENTIFICATION.set(sshd, "jftpd");
        // As OpenSSH's sshd does: SFTP is request and reply, and with Nagle's algorithm (MINA's
        // default) a small reply could wait for the client's acknowledgement of the one before.
        // 1000 x 4 KiB put with OpenSSH's sftp: 3.8-4.1 s -> 1.3-1.6 s.
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, config.idleTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(sshd, config.loginTimeout());
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, 10);
        SftpModuleProperties.SFTP_VERSION.set(sshd, SftpConstants.SFTP_V3);
        SftpModuleProperties.MAX_READDATA_PACKET_LENGTH.set(sshd, MAX_READ_LENGTH);
        SftpModuleProperties.CLIENT_EXTENSIONS.set(sshd, "");
        SftpModuleProperties.OPENSSH_EXTENSIONS.set(sshd, OPENSSH_EXTENSIONS);

        try {
            sshd.start();
        } catch (IOException | RuntimeException e) {
            sshd.stop(true);
            throw e;
        }
        server = sshd;
        log.info("SFTP listening on {} port {} ({})", config.bindAddress(), port(), storage.describe());
    }

    /** The port listened on (the one picked, for port 0). */
    public synchronized int port() {
        for (SocketAddress address : server.getBoundAddresses()) {
            if (address instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        return server.getPort();
    }

    /** The host keys' fingerprints as {@code ssh-keygen -l} prints them; after {@link #start()}. */
    public synchronized List<String> hostKeyFingerprints() {
        return hostKeys.fingerprints();
    }

    /** Stops listening and closes every session; uploads still open are discarded. */
    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
        }
        virtualThreads.shutdownNow();
    }

    /** Each SFTP session's file system: the logged-in user's view of the storage. */
    private final class SessionFiles implements FileSystemFactory {
        @Override
        public Path getUserHomeDir(SessionContext session) {
            return null;
        }

        @Override
        public FileSystem createFileSystem(SessionContext context) throws IOException {
            org.apache.sshd.common.session.Session session = (org.apache.sshd.common.session.Session) context;
            SftpUser user = SshSessions.user(session);
            long id = SshSessions.id(session);
            if (user == null) {
                throw new IOException("not logged in");
            }
            try {
                return new SftpFiles(storage.open(user.home()), user.name(), user.permissions(), SshSessions.client(session), id,
                        logins.metrics())
                        .asFileSystem();
            } catch (IOException e) {
                // The reason only: no server path in a log line.
                log.error("sftp session {}: the home of {} is not usable: {}", id, user.name(), e.getMessage());
                throw new IOException("home directory not available", e);
            }
        }
    }
}
