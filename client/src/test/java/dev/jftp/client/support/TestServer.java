package dev.jftp.client.support;

import dev.jftp.server.JftpdNode;
import dev.jftp.server.NodeConfig;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.ftp.FtpListenerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An in-process jftpd on a free loopback port with a temporary root: "alice" (password "secret")
 * may do everything, "reader" (password "secret") may only read.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "secret";
    private static final PasswordHasher HASHER = new PasswordHasher(1000);

    private final Path root;
    private final JftpdNode server;

    private TestServer(Path root, JftpdNode server) {
        this.root = root;
        this.server = server;
    }

    public static TestServer start(Path root) throws IOException {
        return start(root, 0);
    }

    /** On a given port (0: a free one), e.g. to start again where a stopped one was. */
    public static TestServer start(Path root, int port) throws IOException {
        String hash = HASHER.hash(PASSWORD.toCharArray());
        List<StoredAccount> accounts = List.of(
                new StoredAccount("alice", hash, "", Permission.ALL, List.of()),
                new StoredAccount("reader", hash, "", Permission.READ_ONLY, List.of()));
        NodeConfig config = new NodeConfig(
                ServicesConfig.defaults(root).withAccounts(accounts).withLoginFailureDelay(Duration.ofMillis(10)),
                FtpListenerConfig.defaults()
                        .withPort(port)
                        .withShutdownGrace(Duration.ZERO)
                        .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10)));
        return new TestServer(root, JftpdNode.start(config));
    }

    public int port() {
        return server.ftp().port();
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        server.close();
    }
}
