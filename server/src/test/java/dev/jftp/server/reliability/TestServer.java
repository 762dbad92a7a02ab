package dev.jftp.server.reliability;

import dev.jftp.server.accounts.Account;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.ftp.ServerConfig;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.local.LocalStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/** An in-process jftpd on a free loopback port, serving {@code root} to one read/write user. */
final class TestServer implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "secret";

    final Path root;
    final FtpListener server;

    private TestServer(Path root, FtpListener server) {
        this.root = root;
        this.server = server;
    }

    static ServerConfig config(Path root) {
        var accounts = Map.of(USER, new Account(new User(USER, "", Permission.ALL, false),
                new PasswordHasher(1000).hash(PASSWORD.toCharArray())));
        return ServerConfig.defaults(root, accounts).withPort(0);
    }

    static TestServer start(Path root, UnaryOperator<ServerConfig> settings) throws IOException {
        return start(root, settings, LocalStorage.at(root));
    }

    static TestServer start(Path root, UnaryOperator<ServerConfig> settings, Storage files) throws IOException {
        return new TestServer(root, FtpListener.start(settings.apply(config(root)), files));
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
