package dev.jftp.client.support;

import dev.jftp.client.tls.KnownHosts;
import dev.jftp.server.JftpdNode;
import dev.jftp.server.NodeConfig;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.ftp.FtpListenerConfig;
import dev.jftp.server.tls.SelfSignedCertificate;
import dev.jftp.server.tls.TlsConfig;
import dev.jftp.server.tls.TlsContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * The client tests' in-process jftpd, on a free loopback port with a temporary root: "alice"
 * (password "secret") may do everything, "reader" (password "secret") may only read. With
 * {@link #startWithTls} it also speaks FTPS (explicit on its port, implicit on a second one) with
 * a self-signed certificate made by jftpd's own code; jftpd refuses a data connection that does
 * not resume the control connection's TLS session.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "secret";
    private static final PasswordHasher HASHER = new PasswordHasher(1000);

    public final Path root;
    /** The certificate and key with FTPS, else null. */
    public final SelfSignedCertificate.PemPair pem;
    private final JftpdNode server;

    private TestServer(Path root, SelfSignedCertificate.PemPair pem, JftpdNode server) {
        this.root = root;
        this.pem = pem;
        this.server = server;
    }

    public static TestServer start(Path root) throws IOException {
        return start(root, 0);
    }

    /** On a given port (0: a free one), e.g. to start again where a stopped one was. */
    public static TestServer start(Path root, int port) throws IOException {
        return new TestServer(root, null, JftpdNode.start(config(root).withFtp(f -> f.withPort(port))));
    }

    /** With FTPS, the certificate kept in {@code certificateDir} (made there once). */
    public static TestServer startWithTls(Path root, Path certificateDir) throws IOException {
        SelfSignedCertificate.PemPair pem = SelfSignedCertificate.ensure(certificateDir, List.of());
        TlsConfig tls = TlsConfig.explicit(TlsContext.fromPem(pem.certificate(), pem.key()))
                .withImplicitPort(0)
                .withHandshakeTimeout(Duration.ofSeconds(10));
        return new TestServer(root, pem, JftpdNode.start(config(root).withFtp(f -> f.withPort(0).withTls(tls))));
    }

    private static NodeConfig config(Path root) {
        String hash = HASHER.hash(PASSWORD.toCharArray());
        List<StoredAccount> accounts = List.of(
                new StoredAccount("alice", hash, "", Permission.ALL, List.of()),
                new StoredAccount("reader", hash, "", Permission.READ_ONLY, List.of()));
        return new NodeConfig(
                ServicesConfig.defaults(root).withAccounts(accounts).withLoginFailureDelay(Duration.ofMillis(10)),
                FtpListenerConfig.defaults()
                        .withShutdownGrace(Duration.ZERO)
                        .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10)));
    }

    public int port() {
        return server.ftp().port();
    }

    /** The implicit FTPS port (with {@link #startWithTls}). */
    public int implicitPort() {
        return server.ftp().implicitTlsPort();
    }

    public Path root() {
        return root;
    }

    /** The SHA-256 fingerprint of this server's certificate, as known_hosts keeps it. */
    public String fingerprint() throws IOException {
        return fingerprint(pem.certificate());
    }

    public static String fingerprint(Path certificateFile) throws IOException {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            return KnownHosts.fingerprint((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
