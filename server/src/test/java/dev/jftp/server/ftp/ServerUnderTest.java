package dev.jftp.server.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.accounts.Account;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/**
 * An in-process server on a free loopback port with one read/write user, for the concurrency,
 * limit and login-security tests. {@link PasswordHasher} with few iterations keeps logins cheap.
 */
public final class ServerUnderTest implements AutoCloseable {
    public static final String USER = "alice";
    public static final String PASSWORD = "secret";

    private final Path root;
    private final FtpListener server;

    private ServerUnderTest(Path root, FtpListener server) {
        this.root = root;
        this.server = server;
    }

    /** Starts a server on {@code root}; {@code tweak} adjusts the configuration (limits, timeouts). */
    public static ServerUnderTest start(Path root, UnaryOperator<ServerConfig> tweak) throws IOException {
        var accounts = Map.of(USER, new Account(new User(USER, "", Permission.ALL, false),
                new PasswordHasher(1000).hash(PASSWORD.toCharArray())));
        ServerConfig config = ServerConfig.defaults(root, accounts)
                .withPort(0)
                .withLoginFailureDelay(Duration.ofMillis(10))
                .withShutdownGrace(Duration.ofSeconds(2));
        return new ServerUnderTest(root, FtpListener.start(tweak.apply(config)));
    }

    public int port() {
        return server.port();
    }

    public Path root() {
        return root;
    }

    public FtpListener server() {
        return server;
    }

    /** A Commons Net client, connected (220 checked), with bounded timeouts everywhere. */
    public FTPClient connect() throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setConnectTimeout(30_000);
        ftp.setDefaultTimeout(60_000);
        ftp.setDataTimeout(Duration.ofSeconds(60));
        ftp.connect("127.0.0.1", port());
        ftp.setSoTimeout(60_000);
        assertThat(ftp.getReplyCode()).as(ftp.getReplyString()).isEqualTo(220);
        return ftp;
    }

    /** Connected, logged in as {@link #USER}, passive, binary. */
    public FTPClient login() throws IOException {
        FTPClient ftp = connect();
        assertThat(ftp.login(USER, PASSWORD)).as(ftp.getReplyString()).isTrue();
        ftp.enterLocalPassiveMode();
        assertThat(ftp.setFileType(FTP.BINARY_FILE_TYPE)).isTrue();
        return ftp;
    }

    /** Waits (bounded) until the server holds exactly {@code count} sessions. */
    public void awaitSessionCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (server.sessionCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.sessionCount()).as("sessions on the server").isEqualTo(count);
    }

    @Override
    public void close() {
        server.close();
    }
}
