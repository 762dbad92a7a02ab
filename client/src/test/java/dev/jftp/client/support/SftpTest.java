package dev.jftp.client.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of the client's SFTP against OpenSSH's sshd ({@link SftpTestServer}, one per test
 * class, its root emptied before each test), with a client logged in by password whose
 * known_hosts knows the server.
 */
@Timeout(120)
public abstract class SftpTest {
    @TempDir
    static Path serverDir;
    protected static SftpTestServer server;
    @TempDir
    protected Path base;
    protected TestClient client;

    @BeforeAll
    static void startServer() throws Exception {
        server = SftpTestServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        server.clean();
        client = newClient(base);
        client.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, server.password().toCharArray());
        client.clear();
    }

    @AfterEach
    void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    /** A client set for SFTP whose known_hosts knows the server (not yet connected). */
    protected static TestClient newClient(Path dir) throws Exception {
        TestClient c = new TestClient(dir);
        c.settings.sftp = true;
        c.settings.sshKnownHosts = server.knownHosts(c.home.resolve(".ssh").resolve("known_hosts"));
        c.environment.put("USER", SftpTestServer.USER);
        return c;
    }

    protected Path remoteFile(String path, String content) throws Exception {
        return server.remoteFile(path, content.getBytes(StandardCharsets.UTF_8));
    }

    protected Path localFile(String path, String content) throws Exception {
        Path file = client.local.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
