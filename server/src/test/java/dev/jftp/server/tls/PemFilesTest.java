package dev.jftp.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Certificates and keys as OpenSSL writes them (PKCS#8 and the traditional RSA and EC forms), and
 * the self-signed pair made with keytool: each must load and serve a real TLS handshake.
 */
@Timeout(120)
class PemFilesTest {
    @TempDir
    Path dir;

    private static void assumeOpenssl() {
        boolean found = false;
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            found |= !d.isEmpty() && Files.isExecutable(Path.of(d, "openssl"));
        }
        assumeTrue(found, "openssl is not installed (bin/lib/install-peers.sh installs it); skipping");
    }

    private String openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }

    /** A key made by {@code openssl <keyCommand>} and a self-signed certificate for it. */
    private void makeKeyAndCertificate(String keyCommand, String keyFile, String certificateFile) throws Exception {
        openssl(keyCommand.split(" "));
        openssl("req", "-new", "-x509", "-key", keyFile, "-subj", "/CN=127.0.0.1", "-days", "2",
                "-addext", "subjectAltName=IP:127.0.0.1", "-out", certificateFile);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "RSA PKCS#8        | genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem | PRIVATE KEY",
            "RSA traditional   | genrsa -traditional -out key.pem 2048                              | RSA PRIVATE KEY",
            "EC PKCS#8         | genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem | PRIVATE KEY",
            "EC traditional    | ecparam -name prime256v1 -genkey -out key.pem                     | EC PRIVATE KEY",
            "EC P-384 traditional | ecparam -name secp384r1 -genkey -noout -out key.pem            | EC PRIVATE KEY",
    })
    void opensslKeysLoadAndServeATlsHandshake(String name, String keyCommand, String pemType) throws Exception {
        assumeOpenssl();
        makeKeyAndCertificate(keyCommand, "key.pem", "cert.pem");
        assertThat(Files.readString(dir.resolve("key.pem"))).contains("-----BEGIN " + pemType + "-----");

        TlsContext context = TlsContext.fromPem(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        String opensslFingerprint = openssl("x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha256");
        assertThat(opensslFingerprint.strip()).endsWith("=" + context.fingerprint());
        assertThat(handshake(context, dir.resolve("cert.pem"))).startsWith("TLSv1.");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        assumeOpenssl();
        makeKeyAndCertificate("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem", "key.pem", "cert.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.pem");
        assertThatThrownBy(() -> TlsContext.fromPem(dir.resolve("cert.pem"), dir.resolve("other.pem")))
                .isInstanceOf(IOException.class).hasMessageContaining("does not belong to the certificate");
        openssl("genrsa", "-traditional", "-out", "rsa.pem", "2048");
        assertThatThrownBy(() -> TlsContext.fromPem(dir.resolve("cert.pem"), dir.resolve("rsa.pem")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a private key of the certificate's type (EC)");
    }

    @Test
    void anEncryptedKeyIsRefusedWithAHint() throws Exception {
        assumeOpenssl();
        makeKeyAndCertificate("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem", "key.pem", "cert.pem");
        openssl("pkey", "-in", "key.pem", "-aes256", "-passout", "pass:secret", "-out", "encrypted.pem");
        assertThatThrownBy(() -> TlsContext.fromPem(dir.resolve("cert.pem"), dir.resolve("encrypted.pem")))
                .isInstanceOf(IOException.class).hasMessageContaining("encrypted").hasMessageContaining("openssl pkey");
    }

    @Test
    void filesWithoutTheRightBlocksAreRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> PemFiles.readCertificates(empty)).isInstanceOf(IOException.class).hasMessageContaining("BEGIN CERTIFICATE");
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.readCertificates(broken)).isInstanceOf(IOException.class);
    }

    @Test
    void aChainKeepsItsOrder() throws Exception {
        assumeOpenssl();
        makeKeyAndCertificate("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem", "key.pem", "cert.pem");
        makeKeyAndCertificate("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key", "ca.key", "ca.pem");
        Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("cert.pem")) + Files.readString(dir.resolve("ca.pem")));
        var chain = PemFiles.readCertificates(dir.resolve("chain.pem"));
        assertThat(chain).hasSize(2);
        assertThat(TlsContext.fromPem(dir.resolve("chain.pem"), dir.resolve("key.pem")).certificate()).isEqualTo(chain.get(0));
    }

    @Test
    void selfSignedPairIsMadeOnceKeptPrivateAndServesTls() throws Exception {
        Path tlsDir = dir.resolve("jftpd-tls");
        SelfSignedCertificate.PemPair made = SelfSignedCertificate.ensure(tlsDir, List.of("ftp.example.org", "192.0.2.7"));
        assertThat(made.created()).isTrue();
        assertThat(Files.getPosixFilePermissions(made.key())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(tlsDir).isDirectoryContaining(p -> p.getFileName().toString().equals("cert.pem"));
        try (var files = Files.list(tlsDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cert.pem", "key.pem");
        }
        String certificate = Files.readString(made.certificate());

        TlsContext context = TlsContext.fromPem(made.certificate(), made.key());
        var names = context.certificate().getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertThat(names).contains("localhost", "127.0.0.1", "ftp.example.org", "192.0.2.7");
        assertThat(context.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(handshake(context, made.certificate())).startsWith("TLSv1.");

        SelfSignedCertificate.PemPair again = SelfSignedCertificate.ensure(tlsDir, List.of());
        assertThat(again.created()).isFalse();
        assertThat(Files.readString(again.certificate())).isEqualTo(certificate);
        assertThat(TlsContext.fromPem(again.certificate(), again.key()).fingerprint()).isEqualTo(context.fingerprint());

        Files.delete(made.key());
        assertThatThrownBy(() -> SelfSignedCertificate.ensure(tlsDir, List.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("only one of");
    }

    /** A TLS handshake between {@code context} (server) and a client trusting {@code certificateFile}; the protocol. */
    private static String handshake(TlsContext context, Path certificateFile) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", PemFiles.readCertificates(certificateFile).get(0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<TlsSession> server = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket accepted = listener.accept();
                    return context.startControl(accepted, new byte[0], Duration.ofSeconds(20));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Socket plain = new Socket("127.0.0.1", listener.getLocalPort());
                 SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, "127.0.0.1", listener.getLocalPort(), true)) {
                tls.setSoTimeout(20_000);
                tls.startHandshake();
                TlsSession session = server.get(30, TimeUnit.SECONDS);
                session.controlSocket().close();
                return tls.getSession().getProtocol();
            }
        }
    }
}
