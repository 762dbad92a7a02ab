package dev.jftp.server.testing;

import dev.jftp.server.JftpdNode;
import dev.jftp.server.NodeConfig;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.ftp.FtpListenerConfig;
import dev.jftp.server.ftp.data.PassivePortRange;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.tls.SelfSignedCertificate;
import dev.jftp.server.tls.TlsConfig;
import dev.jftp.server.tls.TlsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The in-process server of every server test: a jftpd node ({@link JftpdNode}, the production
 * assembly) on a free loopback port, serving {@code root} to two users whose home is the root:
 * {@value #ALICE} (every permission) and {@value #READER} (read only), with password hashes cheap
 * enough for tests and a short delay after a wrong password. {@link Settings} changes anything
 * else (limits, timeouts, FTPS, another storage). Hands out logged-in Commons Net clients and raw
 * {@link ControlConnection}s, and closes all of them, then the server, on {@link #close()}.
 *
 * <pre>
 * &#64;TempDir Path root;
 * try (RunningServer server = RunningServer.start(root, c -&gt; c.withLimits(2, 2))) {
 *     FTPClient ftp = server.alice();
 *     ...
 * }
 * </pre>
 *
 * or, for a server of its own in each test of a class, on a temporary root it deletes afterwards:
 *
 * <pre>
 * &#64;RegisterExtension
 * final RunningServer server = RunningServer.perTest();
 * </pre>
 */
public final class RunningServer implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "secret";
    public static final String READER = "reader";
    public static final String READER_PASSWORD = "look-only";
    private static final PasswordHasher FAST_HASHER = new PasswordHasher(1000);
    private static final List<StoredAccount> ACCOUNTS = List.of(
            new StoredAccount(ALICE, FAST_HASHER.hash(ALICE_PASSWORD.toCharArray()), "", Permission.ALL, List.of()),
            new StoredAccount(READER, FAST_HASHER.hash(READER_PASSWORD.toCharArray()), "", Permission.READ_ONLY, List.of()));
    private static SelfSignedCertificate.PemPair sharedCertificate;

    private final UnaryOperator<Settings> customize;
    private Path root;
    private JftpdNode node;
    private Path certificateFile;
    /** Whether the root is a temporary directory of this server's own, deleted after the test. */
    private boolean temporaryRoot;
    private final List<FTPClient> clients = new ArrayList<>();
    private final List<ControlConnection> connections = new ArrayList<>();

    private RunningServer(UnaryOperator<Settings> customize) {
        this.customize = customize;
    }

    /**
     * What a test may change before the server starts: the node's configuration (services and the
     * FTP listener), and the storage when it is not the local disk below the root.
     */
    public record Settings(NodeConfig node, Storage storage, Path certificateFile) {
        public Settings withServices(UnaryOperator<ServicesConfig> change) {
            return new Settings(node.withServices(change), storage, certificateFile);
        }

        public Settings withFtp(UnaryOperator<FtpListenerConfig> change) {
            return new Settings(node.withFtp(change), storage, certificateFile);
        }

        /** Files in {@code files} (which the server closes) instead of the local disk. */
        public Settings withStorage(Storage files) {
            return new Settings(node, files, certificateFile);
        }

        public Settings withLimits(int sessions, int perAddress) {
            return withServices(s -> s.withLimits(sessions, perAddress));
        }

        public Settings withLoginFailureDelay(Duration delay) {
            return withServices(s -> s.withLoginFailureDelay(delay));
        }

        public Settings withAnonymous(boolean on) {
            return withServices(s -> s.withAnonymous(on));
        }

        public Settings withTimeouts(Duration idle, Duration data) {
            return withFtp(f -> f.withTimeouts(idle, data));
        }

        public Settings withPassive(PassivePortRange ports, InetAddress address) {
            return withFtp(f -> f.withPassive(ports, address));
        }

        public Settings withShutdownGrace(Duration grace) {
            return withFtp(f -> f.withShutdownGrace(grace));
        }

        public Settings withBindAddress(InetAddress address) {
            return withFtp(f -> f.withBindAddress(address));
        }

        /**
         * FTPS (explicit, AUTH TLS) with {@link #certificate()}, as {@code tls} adjusts it, and the
         * timeouts the FTPS tests use (60 s idle, 10 s for data connections and handshakes).
         */
        public Settings withFtps(UnaryOperator<TlsConfig> tls) {
            SelfSignedCertificate.PemPair pem;
            TlsConfig config;
            try {
                pem = certificate();
                config = tls.apply(TlsConfig.explicit(TlsContext.fromPem(pem.certificate(), pem.key()))
                        .withHandshakeTimeout(Duration.ofSeconds(10)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Settings(node.withFtp(f -> f.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10)).withTls(config)),
                    storage, pem.certificate());
        }
    }

    /** Starts with the test defaults on {@code root} (made when missing). */
    public static RunningServer start(Path root) throws IOException {
        return start(root, UnaryOperator.identity());
    }

    /** Starts with the test defaults, changed by {@code customize} (e.g. {@code c -> c.withTimeouts(...)}). */
    public static RunningServer start(Path root, UnaryOperator<Settings> customize) throws IOException {
        RunningServer server = new RunningServer(customize);
        server.launch(root);
        return server;
    }

    /** As a JUnit extension (see the class comment): a server with the test defaults for each test. */
    public static RunningServer perTest() {
        return perTest(UnaryOperator.identity());
    }

    /** As a JUnit extension: a server for each test, with the test defaults changed by {@code customize}. */
    public static RunningServer perTest(UnaryOperator<Settings> customize) {
        return new RunningServer(customize);
    }

    private void launch(Path serverRoot) throws IOException {
        Files.createDirectories(serverRoot);
        NodeConfig defaults = new NodeConfig(
                ServicesConfig.defaults(serverRoot).withAccounts(ACCOUNTS).withLoginFailureDelay(Duration.ofMillis(10)),
                FtpListenerConfig.defaults().withPort(0).withShutdownGrace(Duration.ofSeconds(1)));
        Settings settings = customize.apply(new Settings(defaults, null, null));
        root = serverRoot;
        node = settings.storage() == null ? JftpdNode.start(settings.node()) : JftpdNode.start(settings.node(), settings.storage());
        certificateFile = settings.certificateFile();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        temporaryRoot = true;
        launch(Files.createTempDirectory("jftpd-test-"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
        if (temporaryRoot) {
            try (var all = Files.walk(root)) {
                for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        clients.clear();
        connections.clear();
    }

    /** Starts with FTPS as {@code tls} adjusts it (see {@link Settings#withFtps}), serving {@code dir}/root. */
    public static RunningServer startFtps(Path dir, UnaryOperator<TlsConfig> tls) throws IOException {
        return startFtps(dir, tls, UnaryOperator.identity());
    }

    public static RunningServer startFtps(Path dir, UnaryOperator<TlsConfig> tls, UnaryOperator<Settings> more) throws IOException {
        return start(dir.resolve("root"), c -> more.apply(c.withFtps(tls)));
    }

    /**
     * One self-signed certificate and key for all FTPS tests of this JVM, made by the production
     * code on first use (keytool takes seconds on a busy machine) and deleted when the JVM exits.
     */
    public static synchronized SelfSignedCertificate.PemPair certificate() throws IOException {
        if (sharedCertificate == null) {
            Path dir = Files.createTempDirectory("jftp-ftps-test-");
            Path tls = dir.resolve("tls");
            SelfSignedCertificate.PemPair made = SelfSignedCertificate.ensure(tls, List.of());
            // deleteOnExit deletes in the reverse order of the calls: the files, then their directories.
            for (Path path : List.of(dir, tls, made.certificate(), made.key())) {
                path.toFile().deleteOnExit();
            }
            sharedCertificate = made;
        }
        return sharedCertificate;
    }

    /** A client SSLContext that trusts exactly the certificate in {@code certificateFile}. */
    public static SSLContext clientContext(Path certificateFile) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificateFile)) {
            var certificate = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            trusted.setCertificateEntry("jftpd", certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A client SSLContext that trusts exactly this server's certificate (FTPS, see {@link Settings#withFtps}). */
    public SSLContext clientContext() throws Exception {
        return clientContext(certificateFile);
    }

    public Path certificateFile() {
        return certificateFile;
    }

    public Path root() {
        return root;
    }

    public JftpdNode node() {
        return node;
    }

    public FtpListener ftp() {
        return node.ftp();
    }

    public int port() {
        return node.ftp().port();
    }

    /** The implicit FTPS port, or -1 when there is none. */
    public int implicitPort() {
        return node.ftp().implicitTlsPort();
    }

    public int sessionCount() {
        return node.ftp().sessionCount();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(node.ftp().address(), port());
    }

    /** Waits (bounded) until the server holds exactly {@code count} sessions, and fails if it does not. */
    public void awaitSessionCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sessionCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (sessionCount() != count) {
            throw new AssertionError("sessions on the server: expected " + count + " but was " + sessionCount());
        }
    }

    /** A Commons Net client, connected (greeting read) but not logged in; UTF-8 control encoding. */
    public FTPClient connectedClient() throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setControlEncoding("UTF-8");
        ftp.setDefaultTimeout(ControlConnection.TIMEOUT_MILLIS);
        ftp.setConnectTimeout(ControlConnection.TIMEOUT_MILLIS);
        ftp.setDataTimeout(Duration.ofMillis(ControlConnection.TIMEOUT_MILLIS));
        clients.add(ftp);
        ftp.connect(node.ftp().address(), port());
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
        ControlConnection c = ControlConnection.connect(address(), null, Duration.ofMillis(ControlConnection.TIMEOUT_MILLIS));
        connections.add(c);
        c.readGreeting();
        return c;
    }

    /**
     * A raw control connection of its own (the caller closes it), greeted, logged in as
     * {@value #ALICE}, TYPE I.
     */
    public ControlConnection loggedIn() throws IOException {
        return loggedIn(null);
    }

    /** As {@link #loggedIn()}, from {@code localAddress} (any of 127/8 acts as another host). */
    public ControlConnection loggedIn(InetAddress localAddress) throws IOException {
        return ControlConnection.login(port(), localAddress, ALICE, ALICE_PASSWORD);
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

    /** Stops the node as a real stop does (running transfers get the grace period), leaving the test's clients connected. */
    public void stop() {
        node.close();
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
        connections.forEach(ControlConnection::close);
        node.close();
    }
}
