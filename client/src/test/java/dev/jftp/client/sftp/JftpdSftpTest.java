package dev.jftp.client.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.SftpTestServer;
import dev.jftp.client.support.TestClient;
import dev.jftp.client.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's SFTP against jftpd's own SFTP listener (the other SFTP tests use OpenSSH's sshd):
 * the whole program in batch mode, files byte-exact both ways, the jail and the read-only
 * account as jftpd enforces them, and jftpd's host key checked against known_hosts.
 */
@Timeout(180)
class JftpdSftpTest {
    @TempDir
    static Path serverDir;
    static Path root;
    static Path hostKeys;
    static TestServer server;
    @TempDir
    Path base;
    TestClient client;

    @BeforeAll
    static void startServer() throws Exception {
        root = Files.createDirectories(serverDir.resolve("root"));
        hostKeys = serverDir.resolve("host-keys");
        server = TestServer.startWithSftp(root, hostKeys);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        client = new TestClient(base);
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        Path knownHosts = Files.createDirectories(client.home.resolve(".ssh")).resolve("known_hosts");
        Files.writeString(knownHosts, knownHostsLine(hostKeys.resolve("ssh_host_ed25519_key.pub")));
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static String knownHostsLine(Path publicKeyFile) throws Exception {
        String[] key = Files.readString(publicKeyFile).strip().split("\\s+");
        return "[127.0.0.1]:" + server.sftpPort() + " " + key[0] + " " + key[1] + "\n";
    }

    private static String url(String user) {
        return "sftp://" + user + "@127.0.0.1:" + server.sftpPort();
    }

    private int batch(String user, String commands) throws Exception {
        return client.jftp("", args("-b", client.batch(commands), url(user)));
    }

    private static String[] args(Object... parts) {
        List<String> list = new ArrayList<>();
        for (Object p : parts) {
            list.add(p.toString());
        }
        return list.toArray(String[]::new);
    }

    @Test
    void filesGoBothWaysByteExactAndTheDirectoryCommandsWork() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(15).nextBytes(big);
        Files.write(client.local.resolve("big.bin"), big);
        Files.writeString(root.resolve("there.txt"), "from jftpd\n");

        int status = batch("alice", "mkdir jd\nput big.bin jd/big.bin\nget there.txt\nrename jd/big.bin jd/moved.bin\n"
                + "get jd/moved.bin back.bin\nls -1 jd\nput big.bin gone.bin\nrm gone.bin\nmkdir empty\nrmdir empty\n");

        assertThat(status).as(client.err()).isZero();
        assertThat(root.resolve("jd/moved.bin")).hasBinaryContent(big);
        assertThat(root.resolve("jd/big.bin")).doesNotExist();
        assertThat(client.local.resolve("back.bin")).hasBinaryContent(big);
        assertThat(client.local.resolve("there.txt")).hasContent("from jftpd");
        assertThat(client.out()).contains("jftp> ls -1 jd\njd/moved.bin\n");
        assertThat(root.resolve("gone.bin")).doesNotExist();
        assertThat(root.resolve("empty")).doesNotExist();
        try (var names = Files.list(root)) {
            assertThat(names.map(p -> p.getFileName().toString())).as("no temporary file left in the root")
                    .containsExactlyInAnyOrder("jd", "there.txt");
        }
    }

    @Test
    void theSessionIsEncryptedWithAesGcm() throws Exception {
        int status = client.jftp("", args("-v", "-b", client.batch("pwd\n"), url("alice")));

        assertThat(status).as(client.err()).isZero();
        assertThat(client.out() + client.err()).contains("cipher aes128-gcm@openssh.com");
        // Every cipher MINA offers is still offered, AES-GCM first (ChaCha20 for a server without it).
        List<String> offered = SftpLogin.aesGcmFirst(org.apache.sshd.client.SshClient.setUpDefaultClient().getCipherFactories())
                .stream().map(f -> f.getName()).toList();
        assertThat(offered).startsWith("aes128-gcm@openssh.com", "aes256-gcm@openssh.com").contains("chacha20-poly1305@openssh.com");
    }

    @Test
    void nothingOutsideTheHomeIsReachedAndAReadOnlyAccountWritesNothing() throws Exception {
        Files.writeString(serverDir.resolve("outside.txt"), "secret");
        Files.createSymbolicLink(root.resolve("out"), serverDir);
        Files.writeString(client.local.resolve("up.txt"), "up");
        try {
            int status = batch("alice", "-get ../outside.txt a.txt\n-get /../outside.txt b.txt\n-get out/outside.txt c.txt\n"
                    + "-put up.txt ../escaped.txt\n-put up.txt out/escaped.txt\npwd\n");
            assertThat(status).as(client.err()).isZero();
            assertThat(client.local.resolve("a.txt")).doesNotExist();
            assertThat(client.local.resolve("b.txt")).doesNotExist();
            assertThat(client.local.resolve("c.txt")).doesNotExist();
            assertThat(serverDir.resolve("escaped.txt")).doesNotExist();
            assertThat(client.out()).contains("Remote working directory: /\n");

            client.clear();
            assertThat(batch("reader", "put up.txt\n")).isEqualTo(1);
            assertThat(client.err()).isNotEmpty();
            assertThat(root.resolve("up.txt")).doesNotExist();
        } finally {
            Files.delete(root.resolve("out"));
        }
    }

    @Test
    void jftpdsHostKeyIsCheckedAgainstKnownHosts() throws Exception {
        Path knownHosts = client.home.resolve(".ssh").resolve("known_hosts");
        // another Ed25519 key for the same [host]:port: the server's key has changed
        Path other = base.resolve("other");
        SftpTestServer.keygen(other, "ed25519", "");
        Files.writeString(knownHosts, knownHostsLine(Path.of(other + ".pub")));
        Files.writeString(client.local.resolve("up.txt"), "must not arrive");

        assertThat(batch("alice", "put up.txt\n")).isEqualTo(1);
        assertThat(client.err()).contains("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!").endsWith("Host key verification failed.\n");
        assertThat(root.resolve("up.txt")).doesNotExist();

        client.clear();
        Files.delete(knownHosts);
        assertThat(batch("alice", "put up.txt\n")).isEqualTo(1);
        assertThat(client.err()).isEqualTo("No ED25519 host key is known for [127.0.0.1]:" + server.sftpPort()
                + " and you have requested strict checking.\nHost key verification failed.\n");
        assertThat(root.resolve("up.txt")).doesNotExist();
        assertThat(knownHosts).doesNotExist();
    }
}
