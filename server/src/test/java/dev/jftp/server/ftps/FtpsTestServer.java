package dev.jftp.server.ftps;

import dev.jftp.server.security.Account;
import dev.jftp.server.security.PasswordHasher;
import dev.jftp.server.security.Permission;
import dev.jftp.server.security.SelfSignedCertificate;
import dev.jftp.server.security.TlsContext;
import dev.jftp.server.security.User;
import dev.jftp.server.server.FtpServer;
import dev.jftp.server.server.ServerConfig;
import dev.jftp.server.server.TlsConfig;
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
final class FtpsTestServer implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "secret";

    final Path root;
    final Path certificateFile;
    final FtpServer server;

    private FtpsTestServer(Path root, Path certificateFile, FtpServer server) {
        this.root = root;
        this.certificateFile = certificateFile;
        this.server = server;
    }

    /** A self-signed certificate and key in {@code dir}, made once. */
    static SelfSignedCertificate.PemPair certificate(Path dir) throws IOException {
        return SelfSignedCertificate.ensure(dir.resolve("tls"), List.of());
    }

    static FtpsTestServer start(Path dir, SelfSignedCertificate.PemPair pem, UnaryOperator<TlsConfig> tls) throws IOException {
        return start(dir, pem, tls, UnaryOperator.identity());
    }

    static FtpsTestServer start(Path dir, SelfSignedCertificate.PemPair pem, UnaryOperator<TlsConfig> tls,
            UnaryOperator<ServerConfig> more) throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        var accounts = Map.of(USER, new Account(new User(USER, root, Permission.ALL, false),
                new PasswordHasher(1000).hash(PASSWORD.toCharArray())));
        TlsConfig tlsConfig = tls.apply(TlsConfig.explicit(TlsContext.fromPem(pem.certificate(), pem.key()))
                .withHandshakeTimeout(Duration.ofSeconds(10)));
        ServerConfig config = more.apply(ServerConfig.defaults(root, accounts)
                .withPort(0)
                .withLoginFailureDelay(Duration.ofMillis(10))
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10))
                .withTls(tlsConfig));
        return new FtpsTestServer(root, pem.certificate(), FtpServer.start(config));
    }

    int port() {
        return server.port();
    }

    int implicitPort() {
        return server.implicitTlsPort();
    }

    /** A client SSLContext that trusts exactly this server's certificate. */
    SSLContext clientContext() throws Exception {
        return clientContext(certificateFile);
    }

    static SSLContext clientContext(Path certificateFile) throws Exception {
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
