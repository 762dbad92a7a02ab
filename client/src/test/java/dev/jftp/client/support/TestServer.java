package dev.jftp.client.support;

import dev.jftp.server.accounts.Account;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.ftp.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * An in-process jftpd on a free loopback port with a temporary root: "alice" (password "secret")
 * may do everything, "reader" (password "secret") may only read.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "secret";
    private static final PasswordHasher HASHER = new PasswordHasher(1000);

    private final Path root;
    private final FtpListener server;

    private TestServer(Path root, FtpListener server) {
        this.root = root;
        this.server = server;
    }

    public static TestServer start(Path root) throws IOException {
        return start(root, 0);
    }

    /** On a given port (0: a free one), e.g. to start again where a stopped one was. */
    public static TestServer start(Path root, int port) throws IOException {
        String hash = HASHER.hash(PASSWORD.toCharArray());
        Map<String, Account> accounts = Map.of(
                "alice", new Account(new User("alice", "", Permission.ALL, false), hash),
                "reader", new Account(new User("reader", "", Permission.READ_ONLY, false), hash));
        ServerConfig config = ServerConfig.defaults(root, accounts)
                .withPort(port)
                .withLoginFailureDelay(Duration.ofMillis(10))
                .withShutdownGrace(Duration.ZERO)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10));
        return new TestServer(root, FtpListener.start(config));
    }

    public int port() {
        return server.port();
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        server.close();
    }
}
