package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.tls.TlsConfig;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AUTH, PBSZ, PROT, CCC, FEAT and --tls-required at the protocol level (RFC 4217, RFC 2228). */
@Timeout(60)
class FtpsCommandsTest {
    @TempDir
    Path dir;

    @Test
    void featListsAuthTlsPbszAndProtOnlyWhenTlsIsConfigured() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            ftp.reply();
            Reply feat = ftp.command("FEAT", 211);
            assertThat(feat.lines()).contains(" AUTH TLS", " PBSZ", " PROT");
        }
        try (RunningServer server = RunningServer.startFtps(dir.resolve("plain"), tls -> TlsConfig.NONE);
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            ftp.reply();
            Reply feat = ftp.command("FEAT", 211);
            assertThat(feat.all()).doesNotContain("AUTH").doesNotContain("PBSZ").doesNotContain("PROT");
            assertThat(ftp.command("AUTH TLS").code()).isEqualTo(502);
            // the session goes on in clear text after the refusal
            ftp.command("USER " + RunningServer.ALICE, 331);
            ftp.command("PASS " + RunningServer.ALICE_PASSWORD, 230);
        }
    }

    @Test
    void securityCommandsOutOfOrderOrWithBadArgumentsGetTheirRfcReplies() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            SSLContext context = server.clientContext();
            ftp.reply();
            assertThat(ftp.command("PBSZ 0").code()).isEqualTo(503);
            assertThat(ftp.command("PROT P").code()).isEqualTo(503);
            assertThat(ftp.command("CCC").code()).isEqualTo(503);
            assertThat(ftp.command("AUTH KERBEROS_V4").code()).isEqualTo(504);
            assertThat(ftp.command("AUTH").code()).isEqualTo(501);
            assertThat(ftp.authTls(context).code()).isEqualTo(234);

            assertThat(ftp.command("PROT P").code()).as("PROT before PBSZ").isEqualTo(503);
            assertThat(ftp.command("PBSZ many").code()).isEqualTo(501);
            Reply pbsz = ftp.command("PBSZ 0");
            assertThat(pbsz.code()).isEqualTo(200);
            assertThat(pbsz.all()).contains("PBSZ=0");
            assertThat(ftp.command("PROT S").code()).isEqualTo(536);
            assertThat(ftp.command("PROT E").code()).isEqualTo(536);
            assertThat(ftp.command("PROT X").code()).isEqualTo(504);
            assertThat(ftp.command("PROT P").code()).isEqualTo(200);
            assertThat(ftp.command("CCC").code()).isEqualTo(534);
            assertThat(ftp.command("AUTH TLS").code()).isEqualTo(503);
            assertThat(ftp.command("REIN").code()).isEqualTo(502);

            ftp.command("USER " + RunningServer.ALICE, 331);
            ftp.command("PASS " + RunningServer.ALICE_PASSWORD, 230);
            Reply stat = ftp.command("STAT", 211);
            assertThat(stat.all()).containsPattern("protected by TLSv1\\.[23]").contains("data connections protected (PROT P)");
        }
    }

    @Test
    void authSslIsAcceptedAsAuthTls() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            ftp.reply();
            assertThat(ftp.command("AUTH SSL").code()).isEqualTo(234);
            ftp.handshake(server.clientContext());
            ftp.command("USER " + RunningServer.ALICE, 331);
            ftp.command("PASS " + RunningServer.ALICE_PASSWORD, 230);
        }
    }

    @Test
    void clearDataConnectionsStillWorkWithProtCWhenTlsIsNotRequired() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            Files.writeString(server.root().resolve("a.txt"), "a");
            ftp.reply();
            ftp.authTls(server.clientContext());
            ftp.command("USER " + RunningServer.ALICE, 331);
            ftp.command("PASS " + RunningServer.ALICE_PASSWORD, 230);
            ftp.command("PBSZ 0", 200);
            ftp.command("PROT C", 200);
            assertThat(nlstInClear(ftp)).isEqualTo("a.txt\r\n");
        }
    }

    private static String nlstInClear(ControlConnection ftp) throws IOException {
        try (SocketChannel data = ftp.openExtendedPassiveChannel()) {
            ftp.send("NLST");
            assertThat(ftp.reply().code()).isEqualTo(150);
            String listing = new String(data.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ftp.reply().code()).isEqualTo(226);
            return listing;
        }
    }

    @Test
    void tlsRequiredRefusesClearLoginsButAnonymousAndClearDataOnTlsSessions() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, tls -> tls.withRequired(true), c -> c.withAnonymous(true))) {
            Files.writeString(server.root().resolve("a.txt"), "a");
            try (ControlConnection clear = ControlConnection.connect(server.port())) {
                clear.reply();
                Reply refused = clear.command("USER " + RunningServer.ALICE);
                assertThat(refused.code()).isEqualTo(530);
                assertThat(refused.all()).contains("AUTH TLS");
                assertThat(clear.command("PASS " + RunningServer.ALICE_PASSWORD).code()).as("no USER was taken").isEqualTo(503);
                // anonymous may still log in and list in clear text
                clear.command("USER anonymous", 331);
                clear.command("PASS guest@example.org", 230);
                assertThat(nlstInClear(clear)).isEqualTo("a.txt\r\n");
            }
            try (ControlConnection tls = ControlConnection.connect(server.port())) {
                SSLContext context = server.clientContext();
                tls.reply();
                tls.authTls(context);
                tls.command("USER " + RunningServer.ALICE, 331);
                tls.command("PASS " + RunningServer.ALICE_PASSWORD, 230);
                tls.command("PBSZ 0", 200);
                tls.command("PROT C", 200);
                tls.epsv();
                assertThat(tls.command("NLST").code()).isEqualTo(521);
                tls.command("PROT P", 200);
                assertThat(tls.readProtected("NLST", context)).isEqualTo("a.txt\r\n");
            }
        }
    }

    @Test
    void implicitFtpsGreetsOverTlsAndServesProtectedData() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, tls -> tls.withImplicitPort(0))) {
            Files.writeString(server.root().resolve("a.txt"), "a");
            SSLContext context = server.clientContext();
            try (ControlConnection ftp = ControlConnection.implicitTls(server.implicitPort(), context)) {
                assertThat(ftp.reply().code()).isEqualTo(220);
                assertThat(ftp.command("AUTH TLS").code()).isEqualTo(503);
                ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
                assertThat(ftp.readProtected("NLST", context)).isEqualTo("a.txt\r\n");
            }
            // the normal port still speaks clear text first
            try (ControlConnection ftp = ControlConnection.connect(server.port())) {
                assertThat(ftp.reply().code()).isEqualTo(220);
            }
        }
    }
}
