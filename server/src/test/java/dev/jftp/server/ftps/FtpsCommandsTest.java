package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;

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
        try (FtpsTestServer server = FtpsTestServer.start(dir, UnaryOperator.identity());
             RawFtp ftp = new RawFtp(server.port())) {
            ftp.reply();
            RawFtp.Reply feat = ftp.expect(211, "FEAT");
            assertThat(feat.lines()).contains(" AUTH TLS", " PBSZ", " PROT");
        }
        try (FtpsTestServer server = FtpsTestServer.start(dir.resolve("plain"), tls -> TlsConfig.NONE);
             RawFtp ftp = new RawFtp(server.port())) {
            ftp.reply();
            RawFtp.Reply feat = ftp.expect(211, "FEAT");
            assertThat(feat.text()).doesNotContain("AUTH").doesNotContain("PBSZ").doesNotContain("PROT");
            assertThat(ftp.send("AUTH TLS").code()).isEqualTo(502);
            // the session goes on in clear text after the refusal
            ftp.expect(331, "USER " + FtpsTestServer.USER);
            ftp.expect(230, "PASS " + FtpsTestServer.PASSWORD);
        }
    }

    @Test
    void securityCommandsOutOfOrderOrWithBadArgumentsGetTheirRfcReplies() throws Exception {
        try (FtpsTestServer server = FtpsTestServer.start(dir, UnaryOperator.identity());
             RawFtp ftp = new RawFtp(server.port())) {
            SSLContext context = server.clientContext();
            ftp.reply();
            assertThat(ftp.send("PBSZ 0").code()).isEqualTo(503);
            assertThat(ftp.send("PROT P").code()).isEqualTo(503);
            assertThat(ftp.send("CCC").code()).isEqualTo(503);
            assertThat(ftp.send("AUTH KERBEROS_V4").code()).isEqualTo(504);
            assertThat(ftp.send("AUTH").code()).isEqualTo(501);
            assertThat(ftp.authTls(context).code()).isEqualTo(234);

            assertThat(ftp.send("PROT P").code()).as("PROT before PBSZ").isEqualTo(503);
            assertThat(ftp.send("PBSZ many").code()).isEqualTo(501);
            RawFtp.Reply pbsz = ftp.send("PBSZ 0");
            assertThat(pbsz.code()).isEqualTo(200);
            assertThat(pbsz.text()).contains("PBSZ=0");
            assertThat(ftp.send("PROT S").code()).isEqualTo(536);
            assertThat(ftp.send("PROT E").code()).isEqualTo(536);
            assertThat(ftp.send("PROT X").code()).isEqualTo(504);
            assertThat(ftp.send("PROT P").code()).isEqualTo(200);
            assertThat(ftp.send("CCC").code()).isEqualTo(534);
            assertThat(ftp.send("AUTH TLS").code()).isEqualTo(503);
            assertThat(ftp.send("REIN").code()).isEqualTo(502);

            ftp.expect(331, "USER " + FtpsTestServer.USER);
            ftp.expect(230, "PASS " + FtpsTestServer.PASSWORD);
            RawFtp.Reply stat = ftp.expect(211, "STAT");
            assertThat(stat.text()).containsPattern("protected by TLSv1\\.[23]").contains("data connections protected (PROT P)");
        }
    }

    @Test
    void authSslIsAcceptedAsAuthTls() throws Exception {
        try (FtpsTestServer server = FtpsTestServer.start(dir, UnaryOperator.identity());
             RawFtp ftp = new RawFtp(server.port())) {
            ftp.reply();
            assertThat(ftp.send("AUTH SSL").code()).isEqualTo(234);
            ftp.handshake(server.clientContext());
            ftp.expect(331, "USER " + FtpsTestServer.USER);
            ftp.expect(230, "PASS " + FtpsTestServer.PASSWORD);
        }
    }

    @Test
    void clearDataConnectionsStillWorkWithProtCWhenTlsIsNotRequired() throws Exception {
        try (FtpsTestServer server = FtpsTestServer.start(dir, UnaryOperator.identity());
             RawFtp ftp = new RawFtp(server.port())) {
            Files.writeString(server.root.resolve("a.txt"), "a");
            ftp.reply();
            ftp.authTls(server.clientContext());
            ftp.expect(331, "USER " + FtpsTestServer.USER);
            ftp.expect(230, "PASS " + FtpsTestServer.PASSWORD);
            ftp.expect(200, "PBSZ 0");
            ftp.expect(200, "PROT C");
            assertThat(nlstInClear(ftp)).isEqualTo("a.txt\r\n");
        }
    }

    private static String nlstInClear(RawFtp ftp) throws IOException {
        try (SocketChannel data = ftp.openPassive()) {
            ftp.write("NLST");
            assertThat(ftp.reply().code()).isEqualTo(150);
            String listing = new String(data.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ftp.reply().code()).isEqualTo(226);
            return listing;
        }
    }

    @Test
    void tlsRequiredRefusesClearLoginsButAnonymousAndClearDataOnTlsSessions() throws Exception {
        try (FtpsTestServer server = FtpsTestServer.start(dir, tls -> tls.withRequired(true), c -> c.withAnonymous(true))) {
            Files.writeString(server.root.resolve("a.txt"), "a");
            try (RawFtp clear = new RawFtp(server.port())) {
                clear.reply();
                RawFtp.Reply refused = clear.send("USER " + FtpsTestServer.USER);
                assertThat(refused.code()).isEqualTo(530);
                assertThat(refused.text()).contains("AUTH TLS");
                assertThat(clear.send("PASS " + FtpsTestServer.PASSWORD).code()).as("no USER was taken").isEqualTo(503);
                // anonymous may still log in and list in clear text
                clear.expect(331, "USER anonymous");
                clear.expect(230, "PASS guest@example.org");
                assertThat(nlstInClear(clear)).isEqualTo("a.txt\r\n");
            }
            try (RawFtp tls = new RawFtp(server.port())) {
                SSLContext context = server.clientContext();
                tls.reply();
                tls.authTls(context);
                tls.expect(331, "USER " + FtpsTestServer.USER);
                tls.expect(230, "PASS " + FtpsTestServer.PASSWORD);
                tls.expect(200, "PBSZ 0");
                tls.expect(200, "PROT C");
                tls.epsv();
                assertThat(tls.send("NLST").code()).isEqualTo(521);
                tls.expect(200, "PROT P");
                assertThat(tls.readProtected("NLST", context)).isEqualTo("a.txt\r\n");
            }
        }
    }

    @Test
    void implicitFtpsGreetsOverTlsAndServesProtectedData() throws Exception {
        try (FtpsTestServer server = FtpsTestServer.start(dir, tls -> tls.withImplicitPort(0))) {
            Files.writeString(server.root.resolve("a.txt"), "a");
            SSLContext context = server.clientContext();
            try (RawFtp ftp = RawFtp.implicit(server.implicitPort(), context)) {
                assertThat(ftp.reply().code()).isEqualTo(220);
                assertThat(ftp.send("AUTH TLS").code()).isEqualTo(503);
                ftp.loginProtected(FtpsTestServer.USER, FtpsTestServer.PASSWORD);
                assertThat(ftp.readProtected("NLST", context)).isEqualTo("a.txt\r\n");
            }
            // the normal port still speaks clear text first
            try (RawFtp ftp = new RawFtp(server.port())) {
                assertThat(ftp.reply().code()).isEqualTo(220);
            }
        }
    }
}
