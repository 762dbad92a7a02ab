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
 * An in-process jftpd with FTPS (explicit on its port, implicit on a second one) and a self-signed
 * certificate made by jftpd's own code; "alice" (password "secret") may do everything. jftpd
 * refuses a data connection that does not resume the control connection's TLS session.
 */
public final class TlsTestServer implements AutoCloseable {
    public final Path root;
    public final SelfSignedCertificate.PemPair pem;
    public final JftpdNode server;

    private TlsTestServer(Path root, SelfSignedCertificate.PemPair pem, JftpdNode server) {
        this.root = root;
        this.pem = pem;
        this.server = server;
    }

    /** Starts on {@code root}, with the certificate kept in {@code certificateDir} (made there once). */
    public static TlsTestServer start(Path root, Path certificateDir) throws IOException {
        SelfSignedCertificate.PemPair pem = SelfSignedCertificate.ensure(certificateDir, List.of());
        var accounts = List.of(new StoredAccount("alice", new PasswordHasher(1000).hash(TestServer.PASSWORD.toCharArray()), "",
                Permission.ALL, List.of()));
        TlsConfig tls = TlsConfig.explicit(TlsContext.fromPem(pem.certificate(), pem.key()))
                .withImplicitPort(0)
                .withHandshakeTimeout(Duration.ofSeconds(10));
        JftpdNode server = JftpdNode.start(new NodeConfig(
                ServicesConfig.defaults(root).withAccounts(accounts).withLoginFailureDelay(Duration.ofMillis(10)),
                FtpListenerConfig.defaults()
                        .withPort(0)
                        .withShutdownGrace(Duration.ZERO)
                        .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10))
                        .withTls(tls)));
        return new TlsTestServer(root, pem, server);
    }

    public int port() {
        return server.ftp().port();
    }

    public int implicitPort() {
        return server.ftp().implicitTlsPort();
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
