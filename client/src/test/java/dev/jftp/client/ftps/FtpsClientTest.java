package dev.jftp.client.ftps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.client.ClientException;
import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import dev.jftp.client.session.ClientSettings;
import dev.jftp.client.support.JftpdTest;
import dev.jftp.client.support.TestClient;
import dev.jftp.client.support.TestServer;
import dev.jftp.server.tls.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's FTPS against an in-process jftpd with a self-signed certificate. jftpd refuses a
 * data connection that does not resume the control connection's TLS session (425), so every
 * transfer that works here proves the resumption.
 */
@Timeout(120)
class FtpsClientTest {
    private static final String HOST = "127.0.0.1";

    @TempDir
    Path dir;
    private Path root;
    private TestServer server;
    private SelfSignedCertificate.PemPair pem;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        server = TestServer.startWithTls(root, dir.resolve("tls"));
        pem = server.pem;
        client = new TestClient(Files.createDirectories(dir.resolve("client")));
        client.settings.knownHosts = client.home.resolve(".jftp").resolve("known_hosts");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static String fingerprint(Path certificateFile) throws Exception {
        return TestServer.fingerprint(certificateFile);
    }

    private void connect(int port) throws Exception {
        client.session().connect(HOST, port, "alice", TestServer.PASSWORD.toCharArray());
        client.clear();
    }

    /** put, get, ls over protected data connections; both files byte-exact. */
    private void transfersWork() throws Exception {
        Path upload = JftpdTest.randomFile(client.local.resolve("up.bin"), 5);
        client.ok("put up.bin");
        assertThat(Files.mismatch(upload, root.resolve("up.bin"))).isEqualTo(-1);
        Path download = JftpdTest.randomFile(root.resolve("down.bin"), 6);
        client.ok("get down.bin");
        assertThat(Files.mismatch(download, client.local.resolve("down.bin"))).isEqualTo(-1);
        client.clear().ok("ls -1");
        assertThat(client.out()).contains("up.bin").contains("down.bin");
        // A second round: every data connection resumes again (under TLS 1.3 each ticket serves once).
        client.ok("get up.bin copy.bin");
        assertThat(Files.mismatch(upload, client.local.resolve("copy.bin"))).isEqualTo(-1);
        client.ok("put copy.bin again.bin");
        assertThat(Files.mismatch(upload, root.resolve("again.bin"))).isEqualTo(-1);
    }

    @Test
    void explicitTlsAcceptingAnUnknownCertificateOnceStoresItAndTransfersAreByteExact() throws Exception {
        client.settings.tls = ClientSettings.TlsMode.EXPLICIT;
        client.settings.askAboutCertificates = true;
        client.typedPasswords.add("yes");
        connect(server.port());
        assertThat(client.prompts).isEqualTo(1);
        String fingerprint = fingerprint(pem.certificate());
        assertThat(client.settings.knownHosts).content().contains(HOST + ":" + server.port() + " SHA256:" + fingerprint);
        transfersWork();
        client.session().close();

        // Known now: no question the second time.
        try (TestClient again = new TestClient(dir.resolve("client"))) {
            again.settings.tls = ClientSettings.TlsMode.EXPLICIT;
            again.settings.knownHosts = client.settings.knownHosts;
            again.settings.askAboutCertificates = true;
            again.session().connect(HOST, server.port(), "alice", TestServer.PASSWORD.toCharArray());
            again.clear().ok("ls -1");
            assertThat(again.out()).contains("up.bin");
            assertThat(again.prompts).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void eachTlsVersionResumesTheControlSessionOnEveryDataConnection(String protocol) throws Exception {
        client.settings.tls = ClientSettings.TlsMode.EXPLICIT;
        client.settings.insecure = true;
        client.settings.tlsProtocols = List.of(protocol);
        client.settings.verbose = true;
        client.session().connect(HOST, server.port(), "alice", TestServer.PASSWORD.toCharArray());
        assertThat(client.err()).contains("--> AUTH TLS").contains("note: TLS " + protocol + " ")
                .contains("--> PBSZ 0").contains("--> PROT P").doesNotContain(TestServer.PASSWORD);
        client.clear();
        transfersWork();
        // No 425 reply (a data connection refused for not resuming): a reply line, not any "425"
        // (an MLST modify fact of 15:24:25 contains one).
        assertThat(client.err()).doesNotContainPattern("(?m)^<-- 425 ");
    }

    @Test
    void anUnknownCertificateShowsItsFingerprintAndIsRefusedWhenDeclined() throws Exception {
        client.settings.tls = ClientSettings.TlsMode.EXPLICIT;
        client.settings.askAboutCertificates = true;
        client.typedPasswords.add("no");
        assertThatThrownBy(() -> connect(server.port())).isInstanceOf(ClientException.class)
                .hasMessageContaining("was not accepted");
        assertThat(client.err()).contains("SHA-256 fingerprint: " + fingerprint(pem.certificate()));
        assertThat(client.settings.knownHosts).doesNotExist();
    }

    @Test
    void inBatchModeAnUnknownCertificateIsRefusedWithoutAQuestion() throws Exception {
        client.settings.tls = ClientSettings.TlsMode.EXPLICIT;
        client.settings.askAboutCertificates = false;
        assertThatThrownBy(() -> connect(server.port())).isInstanceOf(ClientException.class)
                .hasMessageContaining("not in " + client.settings.knownHosts)
                .hasMessageContaining(fingerprint(pem.certificate()));
        assertThat(client.prompts).isZero();
    }

    @Test
    void implicitTlsWithAKnownCertificateTransfersByteExactAndResumes() throws Exception {
        Files.createDirectories(client.settings.knownHosts.getParent());
        Files.writeString(client.settings.knownHosts, "# accepted earlier\n" + HOST + ":" + server.implicitPort()
                + " SHA256:" + fingerprint(pem.certificate()) + "\n");
        client.settings.tls = ClientSettings.TlsMode.IMPLICIT;
        connect(server.implicitPort());
        transfersWork();

        // A download cut in the middle, then finished with reget (REST + RETR over TLS).
        Path big = JftpdTest.randomFile(root.resolve("big.bin"), 24);
        AtomicBoolean cut = new AtomicBoolean();
        client.session().setTransferObserver(new TransferListener() {
            @Override
            public void progressed(Transfer transfer) {
                if (transfer.bytes() >= 4L * 1024 * 1024 && cut.compareAndSet(false, true)) {
                    transfer.cutDataConnection("cut by the test");
                }
            }
        });
        assertThat(client.run("get big.bin")).isFalse();
        client.session().setTransferObserver(null);
        client.clear().ok("reget big.bin");
        assertThat(Files.mismatch(big, client.local.resolve("big.bin"))).isEqualTo(-1);

        // An upload resumed from a partial remote file (REST + STOR, or APPE).
        Path local = JftpdTest.randomFile(client.local.resolve("half.bin"), 2);
        Files.write(root.resolve("half.bin"), java.util.Arrays.copyOf(Files.readAllBytes(local), 1_000_003));
        client.ok("reput half.bin");
        assertThat(Files.mismatch(local, root.resolve("half.bin"))).isEqualTo(-1);
    }

    @Test
    void aServerWhoseCertificateChangedIsRefused() throws Exception {
        Files.createDirectories(client.settings.knownHosts.getParent());
        SelfSignedCertificate.PemPair other = SelfSignedCertificate.ensure(dir.resolve("other-tls"), List.of());
        String old = fingerprint(other.certificate());
        Files.writeString(client.settings.knownHosts, HOST + ":" + server.port() + " SHA256:" + old + "\n");
        client.settings.tls = ClientSettings.TlsMode.EXPLICIT;
        client.settings.askAboutCertificates = true;
        assertThatThrownBy(() -> connect(server.port())).isInstanceOf(ClientException.class)
                .hasMessageContaining("HAS CHANGED")
                .hasMessageContaining(fingerprint(pem.certificate()));
        assertThat(client.prompts).as("no question about a changed certificate").isZero();
    }

    @Test
    void ctrlCInAFirstUploadOverTlsEndsItsDataCleanlySoThatReputFinishesIt() throws Exception {
        client.settings.tls = ClientSettings.TlsMode.EXPLICIT;
        client.settings.insecure = true;
        connect(server.port());
        Path source = JftpdTest.randomFile(client.local.resolve("big.bin"), 24);
        AtomicBoolean pressed = new AtomicBoolean();
        client.session().setTransferObserver(new TransferListener() {
            @Override
            public void progressed(Transfer transfer) {
                if (transfer.bytes() >= 4L * 1024 * 1024 && pressed.compareAndSet(false, true)) {
                    client.session().interrupt();
                }
            }
        });
        assertThat(client.run("put big.bin")).isFalse();
        assertThat(client.err()).contains("Partial upload kept in \"big.bin\"").endsWith("put: interrupted\n");
        assertThat(Files.size(root.resolve("big.bin"))).as("TLS ended with close_notify: the server kept what arrived")
                .isBetween(4L * 1024 * 1024, Files.size(source) - 1);
        client.session().setTransferObserver(null);
        client.clear().ok("reput big.bin");
        assertThat(Files.mismatch(source, root.resolve("big.bin"))).isEqualTo(-1);
    }

    @Test
    void insecureTakesAnyCertificateWithoutAQuestionOrAKnownHostsEntry() throws Exception {
        client.settings.tls = ClientSettings.TlsMode.EXPLICIT;
        client.settings.insecure = true;
        connect(server.port());
        transfersWork();
        assertThat(client.prompts).isZero();
        assertThat(client.settings.knownHosts).doesNotExist();
    }

    @Test
    void aServerRefusingAuthTlsGetsNoUserOrPassword() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            Thread fake = Thread.ofVirtual().start(() -> {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout(20_000);
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    out.write("220 plain only\r\n".getBytes(StandardCharsets.US_ASCII));
                    String line;
                    for (int i = 0; i < 10 && (line = in.readLine()) != null; i++) {
                        received.add(line);
                        out.write("502 no TLS here\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (Exception e) {
                    received.add("fake server: " + e);
                }
            });
            client.settings.tls = ClientSettings.TlsMode.EXPLICIT;
            client.settings.insecure = true;
            assertThatThrownBy(() -> connect(listener.getLocalPort())).isInstanceOf(ClientException.class)
                    .hasMessageContaining("refused AUTH TLS")
                    .hasMessageContaining("not logging in without TLS");
            fake.join(Duration.ofSeconds(30));
        }
        assertThat(received).containsExactly("AUTH TLS");
    }
}
