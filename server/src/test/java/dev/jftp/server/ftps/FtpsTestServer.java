package dev.jftp.server.ftps;

import dev.jftp.server.accounts.Account;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.ftp.ServerConfig;
import dev.jftp.server.tls.SelfSignedCertificate;
import dev.jftp.server.tls.TlsConfig;
import dev.jftp.server.tls.TlsContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An in-process jftpd with FTPS (self-signed certificate made by the production code) on a temp root. */
public final class FtpsTestServer implements AutoCloseable {
    public static final String USER = "alice";
    public static final String PASSWORD = "secret";
    private static SelfSignedCertificate.PemPair sharedCertificate;

    public final Path root;
    public final Path certificateFile;
    public final FtpListener server;

    private FtpsTestServer(Path root, Path certificateFile, FtpListener server) {
        this.root = root;
        this.certificateFile = certificateFile;
        this.server = server;
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

    /** A server with explicit FTPS on {@link #certificate()}, as {@code tls} adjusts it, serving {@code dir}/root. */
    public static FtpsTestServer start(Path dir, UnaryOperator<TlsConfig> tls) throws IOException {
        return start(dir, tls, UnaryOperator.identity());
    }

    public static FtpsTestServer start(Path dir, UnaryOperator<TlsConfig> tls, UnaryOperator<ServerConfig> more) throws IOException {
        SelfSignedCertificate.PemPair pem = certificate();
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        var accounts = Map.of(USER, new Account(new User(USER, "", Permission.ALL, false),
                new PasswordHasher(1000).hash(PASSWORD.toCharArray())));
        TlsConfig tlsConfig = tls.apply(TlsConfig.explicit(TlsContext.fromPem(pem.certificate(), pem.key()))
                .withHandshakeTimeout(Duration.ofSeconds(10)));
        ServerConfig config = more.apply(ServerConfig.defaults(root, accounts)
                .withPort(0)
                .withLoginFailureDelay(Duration.ofMillis(10))
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10))
                .withTls(tlsConfig));
        return new FtpsTestServer(root, pem.certificate(), FtpListener.start(config));
    }

    public int port() {
        return server.port();
    }

    public int implicitPort() {
        return server.implicitTlsPort();
    }

    /** A client SSLContext that trusts exactly this server's certificate. */
    public SSLContext clientContext() throws Exception {
        return clientContext(certificateFile);
    }

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

    @Override
    public void close() {
        server.close();
    }
}
