package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.JftpdNode;
import dev.jftp.server.NodeConfig;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.ftp.FtpListenerConfig;
import dev.jftp.server.storage.Storage;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.helpers.AbstractSession;

/**
 * jftpd's SFTP listener in this JVM on a free loopback port, over a given storage, with the
 * accounts {@value #ALICE} (every permission, home {@value #HOME}, logs in with
 * {@value #ALICE_PASSWORD} or the Ed25519, ECDSA and RSA keys of {@link #keys()}) and
 * {@value #READER} (read only, same home). Either the listener alone over {@link TestSftpLogins}
 * ({@link #start}: plain passwords, quick), or the production assembly ({@link #startNode}: a
 * {@link JftpdNode} with FTP and SFTP on the shared services, PBKDF2 hashes, the real throttle).
 * Host keys are made in a temporary directory and written to a known_hosts file for the OpenSSH
 * clients ({@link OpenSsh}), which check them strictly.
 */
final class SftpTestServer implements AutoCloseable {
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "secret";
    static final String READER = "reader";
    static final String READER_PASSWORD = "look-only";
    static final String HOME = "alice";

    private final Path work;
    private final TestSftpLogins logins;
    private final JftpdNode node;
    private final SftpListener listener;
    private final Storage storage;
    private final ClientKeys keys;

    private SftpTestServer(Path work, TestSftpLogins logins, JftpdNode node, SftpListener listener, Storage storage, ClientKeys keys) {
        this.work = work;
        this.logins = logins;
        this.node = node;
        this.listener = listener;
        this.storage = storage;
        this.keys = keys;
    }

    /**
     * Starts a whole node (FTP on a free port too) through the production assembly, keeping files in
     * {@code storage} and host keys, client keys and client files under {@code work}.
     */
    static SftpTestServer startNode(Storage storage, Path work) throws IOException {
        return startNode(storage, work, UnaryOperator.identity());
    }

    /** As {@link #startNode(Storage, Path)}, with the services' settings changed by {@code services}. */
    static SftpTestServer startNode(Storage storage, Path work, UnaryOperator<ServicesConfig> services) throws IOException {
        ClientKeys keys = ClientKeys.in(work.resolve("client-keys"));
        PasswordHasher hasher = new PasswordHasher();
        List<StoredAccount> accounts = List.of(
                new StoredAccount(ALICE, hasher.hash(ALICE_PASSWORD.toCharArray()), HOME, Permission.ALL, keys.authorizedLines()),
                new StoredAccount(READER, hasher.hash(READER_PASSWORD.toCharArray()), HOME, Permission.READ_ONLY, List.of()));
        NodeConfig config = new NodeConfig(
                services.apply(ServicesConfig.defaults(work.resolve("root")).withAccounts(accounts)),
                FtpListenerConfig.defaults().withBindAddress(InetAddress.getLoopbackAddress()).withPort(0)
                        .withShutdownGrace(Duration.ofSeconds(1)),
                SftpListenerConfig.of("127.0.0.1", 0, work.resolve("host-keys")),
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // counts into /metrics too
        JftpdNode node = JftpdNode.start(config, storage);
        SftpTestServer server = new SftpTestServer(work, null, node, node.sftp().orElseThrow(), storage, keys);
        server.writeKnownHosts();
        return server;
    }

    /** Starts over {@code storage}, keeping host keys, client keys and client files under {@code work}. */
    static SftpTestServer start(Storage storage, Path work) throws IOException {
        ClientKeys keys = ClientKeys.in(work.resolve("client-keys"));
        TestSftpLogins logins = new TestSftpLogins()
                .add(ALICE, ALICE_PASSWORD, HOME, Permission.ALL, keys.authorizedLines().toArray(String[]::new))
                .add(READER, READER_PASSWORD, HOME, Permission.READ_ONLY);
        SftpListener listener = new SftpListener(SftpListenerConfig.of("127.0.0.1", 0, work.resolve("host-keys")), logins, storage);
        listener.start();
        SftpTestServer server = new SftpTestServer(work, logins, null, listener, storage, keys);
        server.writeKnownHosts();
        return server;
    }

    int port() {
        return listener.port();
    }

    SftpListener listener() {
        return listener;
    }

    /** The stand-in logins of {@link #start}; not for a {@link #startNode} server. */
    TestSftpLogins logins() {
        if (logins == null) {
            throw new IllegalStateException("a node's logins are its services'");
        }
        return logins;
    }

    boolean isNode() {
        return node != null;
    }

    /** The node of {@link #startNode}; not for a {@link #start} server. */
    JftpdNode node() {
        if (node == null) {
            throw new IllegalStateException("not started as a node");
        }
        return node;
    }

    Storage storage() {
        return storage;
    }

    ClientKeys keys() {
        return keys;
    }

    Path work() {
        return work;
    }

    Path hostKeyDirectory() {
        return work.resolve("host-keys");
    }

    Path knownHosts() {
        return work.resolve("known_hosts");
    }

    /**
     * The transport of the one connection the server holds, once the server has taken it (on a
     * thread of its own), waiting up to 10 s.
     */
    IoSession onlyConnection() throws InterruptedException {
        List<AbstractSession> sessions = List.of();
        for (int i = 0; i < 400 && sessions.isEmpty(); i++) {
            sessions = listener.sshServer().getActiveSessions().stream().map(AbstractSession.class::cast).toList();
            if (sessions.isEmpty()) {
                Thread.sleep(25);
            }
        }
        assertThat(sessions).as("the server's session for the connection").hasSize(1);
        return sessions.getFirst().getIoSession();
    }

    /** An OpenSSH client for this server, working in {@code work/client}. */
    OpenSsh client() throws IOException {
        return new OpenSsh(this, Files.createDirectories(work.resolve("client")));
    }

    private void writeKnownHosts() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String file : List.of("ssh_host_ed25519_key.pub", "ssh_host_rsa_key.pub")) {
            lines.add("[127.0.0.1]:" + port() + " " + Files.readString(hostKeyDirectory().resolve(file)).strip());
        }
        Files.write(knownHosts(), lines);
    }

    @Override
    public void close() throws IOException {
        if (node != null) {
            node.close(); // closes the storage too
        } else {
            listener.close();
        }
    }
}
