package dev.jftp.client.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with an in-process jftpd (temporary root) and a client logged in as alice. */
public abstract class JftpdTest {
    @TempDir
    protected Path base;
    protected Path root;
    protected TestServer server;
    protected TestClient client;

    @BeforeEach
    void startServerAndClient() throws Exception {
        root = Files.createDirectories(base.resolve("root"));
        server = TestServer.start(root);
        client = new TestClient(base).connect(server);
    }

    @AfterEach
    void stopServerAndClient() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Writes a remote file (straight into the server root). */
    protected Path remoteFile(String path, String content) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Writes a local file (in the client's local directory). */
    protected Path localFile(String path, String content) throws Exception {
        Path file = client.local.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** A file of pseudo-random bytes (deterministic), for transfers big enough to cut. */
    public static Path randomFile(Path file, int megabytes) throws Exception {
        Files.createDirectories(file.getParent());
        java.util.Random random = new java.util.Random(megabytes);
        byte[] chunk = new byte[1024 * 1024];
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return file;
    }
}
