package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.TestServer;
import dev.jftp.client.support.TlsTestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
    Path home;
    Path cwd;
    TlsTestServer server;
    final Map<String, String> env = new HashMap<>();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        home = Files.createDirectories(base.resolve("home"));
        cwd = Files.createDirectories(base.resolve("cwd"));
        server = TlsTestServer.start(Files.createDirectories(base.resolve("root")), base.resolve("tls"));
        env.put("USER", "alice");
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int jftp(String... args) {
        Environment environment = new Environment(env, home, cwd, new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(err, true), false, 80, prompt -> null);
        return Jftp.run(args, environment);
    }

    private String batch(String text) throws Exception {
        return Files.writeString(base.resolve("batch.txt"), text).toString();
    }

    @Test
    void tlsInBatchModeRefusesAnUnknownCertificateAndShowsItsFingerprint() throws Exception {
        int status = jftp("--tls", "-b", batch("ls\n"), "-P", Integer.toString(server.port()), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("not trusted").contains(server.fingerprint())
                .contains(home.resolve(".jftp").resolve("known_hosts").toString());
        assertThat(out.toString()).doesNotContain("jftp> ls");
    }

    @Test
    void tlsWithAKnownCertificateRunsTheBatch() throws Exception {
        Files.createDirectories(home.resolve(".jftp"));
        Files.writeString(home.resolve(".jftp").resolve("known_hosts"),
                "127.0.0.1:" + server.port() + " SHA256:" + server.fingerprint() + "\n");
        Files.writeString(server.root.resolve("a.txt"), "over TLS");
        int status = jftp("--tls", "-b", batch("get a.txt\nls -1\n"), "-P", Integer.toString(server.port()), "alice@127.0.0.1");
        assertThat(status).as(err.toString()).isZero();
        assertThat(cwd.resolve("a.txt")).hasContent("over TLS");
        assertThat(out.toString()).contains("a.txt");
    }

    @Test
    void anFtpsUrlWithInsecureDownloadsTheFile() throws Exception {
        Files.writeString(server.root.resolve("b.txt"), "implicit");
        int status = jftp("--insecure", "ftps://alice@127.0.0.1:" + server.implicitPort() + "/b.txt");
        assertThat(status).as(err.toString()).isZero();
        assertThat(cwd.resolve("b.txt")).hasContent("implicit");
        assertThat(home.resolve(".jftp")).doesNotExist();
    }
}
