package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.TestClient;
import dev.jftp.client.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bin/jftp --tls, ftps:// and --insecure, the whole program against jftpd with FTPS. */
@Timeout(120)
class FtpsCommandLineTest {
    @TempDir
    Path base;
    TestServer server;
    TestClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithTls(Files.createDirectories(base.resolve("root")), base.resolve("tls"));
        client = new TestClient(base);
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void tlsInBatchModeRefusesAnUnknownCertificateAndShowsItsFingerprint() throws Exception {
        int status = client.jftp("", "--tls", "-b", client.batch("ls\n"), "-P", Integer.toString(server.port()), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(client.err()).contains("not trusted").contains(server.fingerprint())
                .contains(client.home.resolve(".jftp").resolve("known_hosts").toString());
        assertThat(client.out()).doesNotContain("jftp> ls");
    }

    @Test
    void tlsWithAKnownCertificateRunsTheBatch() throws Exception {
        Files.createDirectories(client.home.resolve(".jftp"));
        Files.writeString(client.home.resolve(".jftp").resolve("known_hosts"),
                "127.0.0.1:" + server.port() + " SHA256:" + server.fingerprint() + "\n");
        Files.writeString(server.root.resolve("a.txt"), "over TLS");
        int status = client.jftp("", "--tls", "-b", client.batch("get a.txt\nls -1\n"), "-P", Integer.toString(server.port()), "alice@127.0.0.1");
        assertThat(status).as(client.err()).isZero();
        assertThat(client.local.resolve("a.txt")).hasContent("over TLS");
        assertThat(client.out()).contains("a.txt");
    }

    @Test
    void anFtpsUrlWithInsecureDownloadsTheFile() throws Exception {
        Files.writeString(server.root.resolve("b.txt"), "implicit");
        int status = client.jftp("", "--insecure", "ftps://alice@127.0.0.1:" + server.implicitPort() + "/b.txt");
        assertThat(status).as(client.err()).isZero();
        assertThat(client.local.resolve("b.txt")).hasContent("implicit");
        assertThat(client.home.resolve(".jftp")).doesNotExist();
    }
}
