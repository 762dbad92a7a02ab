package dev.jftp.client.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.SftpTestServer;
import dev.jftp.client.support.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole program over SFTP (sftp://, --sftp, -i, -b) against OpenSSH's sshd: batch mode as
 * sftp -b (stop at the first failure, never ask), and a host key that cannot be checked refuses
 * the connection before anything is transferred.
 */
@Timeout(120)
class SftpProgramTest {
    @TempDir
    static Path serverDir;
    static SftpTestServer server;
    @TempDir
    Path base;
    TestClient client;

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
    void setUp() throws Exception {
        server.clean();
        client = new TestClient(base);
        server.knownHosts(client.home.resolve(".ssh").resolve("known_hosts"));
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private String url() {
        return "sftp://" + SftpTestServer.USER + "@127.0.0.1:" + server.port();
    }

    private int jftp(String... args) {
        return client.jftp("", args);
    }

    private static String[] args(Object... parts) {
        List<String> list = new ArrayList<>();
        for (Object p : parts) {
            list.add(p.toString());
        }
        return list.toArray(String[]::new);
    }

    @Test
    void aBatchWithAKeyRunsEveryCommandAndExitsZero() throws Exception {
        server.remoteFile("a.txt", "over sftp".getBytes());
        int status = jftp(args("-b", client.batch("get a.txt\nmkdir d\nput a.txt d/b.txt\nls -1 d\n"), "-i", server.clientKey, url()));
        assertThat(status).as(client.err()).isZero();
        assertThat(client.out()).isEqualTo("jftp> get a.txt\njftp> mkdir d\njftp> put a.txt d/b.txt\njftp> ls -1 d\nd/b.txt\n");
        assertThat(client.local.resolve("a.txt")).hasContent("over sftp");
        assertThat(server.file("d/b.txt")).hasContent("over sftp");
        assertThat(client.err()).isEmpty();
        assertThat(client.prompts).isZero();
    }

    @Test
    void theStoredPasswordLogsInAndAWrongOneIsRefusedWithoutAsking() throws Exception {
        client.environment.put("JFTP_PASSWORD", server.password());
        assertThat(jftp(args("-b", client.batch("mkdir viapassword\n"), "--sftp", "-P", server.port(), SftpTestServer.USER + "@127.0.0.1")))
                .as(client.err()).isZero();
        assertThat(server.file("viapassword")).isDirectory();

        client.clear();
        client.terminal = true; // even on a terminal, -b never asks
        client.typedPasswords.add(server.password());
        client.environment.put("JFTP_PASSWORD", "wrong");
        assertThat(jftp(args("-b", client.batch("mkdir never\n"), url()))).isEqualTo(1);
        assertThat(client.err()).isEqualTo(SftpTestServer.USER + "@127.0.0.1: Permission denied.\n");
        assertThat(client.prompts).isZero();
        assertThat(server.file("never")).doesNotExist();
    }

    @Test
    void aBatchStopsAtTheFirstFailureUnlessTheCommandStartsWithMinus() throws Exception {
        int status = jftp(args("-b", client.batch("mkdir one\n-get missing.txt\nget missing.txt\nmkdir two\n"), "-i", server.clientKey, url()));
        assertThat(status).isEqualTo(1);
        assertThat(server.file("one")).isDirectory();
        assertThat(server.file("two")).doesNotExist();
        assertThat(client.err()).contains("File \"missing.txt\" not found.");
    }

    @Test
    void anUnknownHostKeyInBatchModeRefusesBeforeAnythingMoves() throws Exception {
        Files.delete(client.home.resolve(".ssh").resolve("known_hosts"));
        Files.writeString(client.local.resolve("up.txt"), "must not arrive");
        int status = jftp(args("-b", client.batch("put up.txt\n"), "-i", server.clientKey, url()));
        assertThat(status).isEqualTo(1);
        assertThat(client.err()).isEqualTo("No ED25519 host key is known for [127.0.0.1]:" + server.port()
                + " and you have requested strict checking.\nHost key verification failed.\n");
        assertThat(client.out()).doesNotContain("jftp> put");
        assertThat(server.file("up.txt")).doesNotExist();
        assertThat(client.home.resolve(".ssh").resolve("known_hosts")).doesNotExist();
    }

    @Test
    void withoutATerminalAnUnknownHostKeyIsRefusedToo() throws Exception {
        Files.delete(client.home.resolve(".ssh").resolve("known_hosts"));
        client.typedPasswords.add("yes");
        int status = client.jftp("put x\n", args("-i", server.clientKey, url()));
        assertThat(status).isEqualTo(1);
        assertThat(client.err()).endsWith("Host key verification failed.\n");
        assertThat(client.prompts).isZero();
    }

    @Test
    void aChangedHostKeyIsRefusedLoudly() throws Exception {
        Path other = base.resolve("other");
        SftpTestServer.keygen(other, "ed25519", "");
        Files.writeString(client.home.resolve(".ssh").resolve("known_hosts"),
                "[127.0.0.1]:" + server.port() + " " + Files.readString(Path.of(other + ".pub")).strip() + "\n");
        int status = jftp(args("-b", client.batch("mkdir never\n"), "-i", server.clientKey, url()));
        assertThat(status).isEqualTo(1);
        assertThat(client.err()).contains("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!").endsWith("Host key verification failed.\n");
        assertThat(server.file("never")).doesNotExist();
    }

    @Test
    void aUrlPathStartsThereOrFetchesTheFile() throws Exception {
        server.remoteFile("pub/file one.txt", "one".getBytes());
        // sftp://host/path is absolute; sftp://host/~/path is relative to the login directory.
        assertThat(jftp(args("-i", server.clientKey, url() + server.root.resolve("pub/file%20one.txt")))).as(client.err()).isZero();
        assertThat(client.local.resolve("file one.txt")).hasContent("one");
        client.clear();
        assertThat(client.jftp("pwd\n", args("-i", server.clientKey, url() + "/~/pub/"))).as(client.err()).isZero();
        assertThat(client.out()).contains("Remote working directory: " + server.root.resolve("pub"));
    }

    @Test
    void tlsOptionsAreRefusedWithSftp() {
        assertThat(jftp("--tls", url())).isEqualTo(1);
        assertThat(client.err()).isEqualTo("jftp: --tls and ftps:// are FTP's; SFTP is encrypted by SSH\n");
    }
}
