package dev.jftp.server.testing;

import dev.jftp.server.accounts.Account;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.ftp.ServerConfig;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.local.LocalStorage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/**
 * A jftpd server running in this JVM on a free loopback port, with two users whose home is the
 * given root: {@value #ALICE} (every permission) and {@value #READER} (read only). Hands out
 * logged-in Commons Net clients and raw control connections, and closes all of them, then the
 * server, on {@link #close()}.
 *
 * <pre>
 * &#64;TempDir Path root;
 * try (RunningServer server = RunningServer.start(root)) {
 *     FTPClient ftp = server.alice();
 *     ...
 * }
 * </pre>
 */
public final class RunningServer implements AutoCloseable {
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "secret";
    public static final String READER = "reader";
    public static final String READER_PASSWORD = "look-only";
    private static final PasswordHasher FAST_HASHER = new PasswordHasher(1000);

    private final Path root;
    private final FtpListener server;
    private final List<FTPClient> clients = new ArrayList<>();
    private final List<ControlConnection> connections = new ArrayList<>();

    private RunningServer(Path root, FtpListener server) {
        this.root = root;
        this.server = server;
    }

    public static RunningServer start(Path root) throws IOException {
        return start(root, UnaryOperator.identity());
    }

    /** Starts with the test defaults, changed by {@code customize} (e.g. {@code c -> c.withTimeouts(...)}). */
    public static RunningServer start(Path root, UnaryOperator<ServerConfig> customize) throws IOException {
        Files.createDirectories(root);
        return start(root, customize, LocalStorage.at(root));
    }

    /** Starts with the test defaults, serving {@code storage} (which the server closes). */
    public static RunningServer start(Path root, UnaryOperator<ServerConfig> customize, Storage storage) throws IOException {
        Map<String, Account> accounts = Map.of(
                ALICE, new Account(new User(ALICE, "", Permission.ALL, false), FAST_HASHER.hash(ALICE_PASSWORD.toCharArray())),
                READER, new Account(new User(READER, "", Permission.READ_ONLY, false), FAST_HASHER.hash(READER_PASSWORD.toCharArray())));
        ServerConfig config = ServerConfig.defaults(root, accounts)
                .withPort(0)
                .withLoginFailureDelay(Duration.ofMillis(10))
                .withShutdownGrace(Duration.ofSeconds(1));
        return new RunningServer(root, FtpListener.start(customize.apply(config), storage));
    }

    public Path root() {
        return root;
    }

    public FtpListener server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.address(), server.port());
    }

    /** A Commons Net client, connected (greeting read) but not logged in; UTF-8 control encoding. */
    public FTPClient connectedClient() throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setControlEncoding("UTF-8");
        ftp.setDefaultTimeout(ControlConnection.TIMEOUT_MILLIS);
        ftp.setConnectTimeout(ControlConnection.TIMEOUT_MILLIS);
        ftp.setDataTimeout(Duration.ofMillis(ControlConnection.TIMEOUT_MILLIS));
        clients.add(ftp);
        ftp.connect(server.address(), server.port());
        ftp.setSoTimeout(ControlConnection.TIMEOUT_MILLIS);
        if (!FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
            throw new AssertionError("greeting: " + ftp.getReplyString());
        }
        return ftp;
    }

    /** A logged-in Commons Net client in passive mode and binary type. */
    public FTPClient client(String user, String password) throws IOException {
        FTPClient ftp = connectedClient();
        if (!ftp.login(user, password)) {
            throw new AssertionError("login of " + user + " failed: " + ftp.getReplyString());
        }
        ftp.enterLocalPassiveMode();
        if (!ftp.setFileType(FTP.BINARY_FILE_TYPE)) {
            throw new AssertionError("TYPE I failed: " + ftp.getReplyString());
        }
        return ftp;
    }

    /** {@value #ALICE}, who may do everything. */
    public FTPClient alice() throws IOException {
        return client(ALICE, ALICE_PASSWORD);
    }

    /** {@value #READER}, who may only read. */
    public FTPClient reader() throws IOException {
        return client(READER, READER_PASSWORD);
    }

    /** A raw control connection, greeting read, not logged in. */
    public ControlConnection connect() throws IOException {
        ControlConnection c = new ControlConnection(address());
        connections.add(c);
        return c;
    }

    /** A raw control connection logged in as {@value #ALICE}. */
    public ControlConnection connectAsAlice() throws IOException {
        return connectAs(ALICE, ALICE_PASSWORD);
    }

    public ControlConnection connectAs(String user, String password) throws IOException {
        ControlConnection c = connect();
        Reply reply = c.login(user, password);
        if (reply.code() != 230) {
            throw new AssertionError("login of " + user + " got " + reply);
        }
        return c;
    }

    @Override
    public void close() {
        for (FTPClient ftp : clients) {
            try {
                ftp.disconnect();
            } catch (IOException e) {
                // already gone: nothing to clean up
            }
        }
        for (ControlConnection c : connections) {
            try {
                c.close();
            } catch (IOException e) {
                // already gone: nothing to clean up
            }
        }
        server.close();
    }
}
