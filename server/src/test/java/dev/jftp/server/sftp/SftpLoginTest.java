package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.S3TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Logging in over SFTP with OpenSSH's sftp: passwords, keys, host keys and the algorithms offered. */
class SftpLoginTest {
    @RegisterExtension
    static final S3TestServer s3 = new S3TestServer();

    @TempDir
    static Path work;

    static SftpTestServer server;
    static OpenSsh client;

    @BeforeAll
    static void start() throws Exception {
        server = SftpTestServer.start(S3Backend.storage(s3), work);
        client = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void passwordLoginStartsInTheHome() throws Exception {
        ExternalCommand.Result r = client.sftp(SftpTestServer.ALICE, OpenSsh.password(SftpTestServer.ALICE_PASSWORD), "pwd");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("Remote working directory: /\n");
    }

    @Test
    void passwordMethodWorksAsWellAsKeyboardInteractive() throws Exception {
        ExternalCommand.Result r = client.sftp(SftpTestServer.ALICE, new OpenSsh.PasswordMethod(SftpTestServer.ALICE_PASSWORD), "pwd");
        assertThat(r.exit()).as(r.describe()).isZero();
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        int failuresBefore = server.logins().failures();
        ExternalCommand.Result r = client.sftp(SftpTestServer.ALICE, OpenSsh.password("not-the-password"), "pwd");
        assertThat(r.exit()).as(r.describe()).isNotZero();
        assertThat(r.stderr()).contains("Permission denied");
        assertThat(r.stdout()).doesNotContain("Remote working directory");
        assertThat(server.logins().failures()).isGreaterThan(failuresBefore);
    }

    @Test
    void unknownUserIsRefused() throws Exception {
        ExternalCommand.Result r = client.sftp("mallory", OpenSsh.password(SftpTestServer.ALICE_PASSWORD), "pwd");
        assertThat(r.exit()).as(r.describe()).isNotZero();
        assertThat(r.stderr()).contains("Permission denied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id_ed25519", "id_ecdsa", "id_rsa"})
    void authorizedKeysLogIn(String key) throws Exception {
        ExternalCommand.Result r = client.sftp(SftpTestServer.ALICE, client.key(key), "pwd");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("Remote working directory: /\n");
    }

    @Test
    void unknownKeyIsRefused() throws Exception {
        ExternalCommand.Result r = client.sftp(SftpTestServer.ALICE, client.key(ClientKeys.UNKNOWN), "pwd");
        assertThat(r.exit()).as(r.describe()).isNotZero();
        assertThat(r.stderr()).contains("Permission denied");
    }

    @Test
    void keyOfAnotherAccountIsRefused() throws Exception {
        ExternalCommand.Result r = client.sftp(SftpTestServer.READER, client.key("id_ed25519"), "pwd");
        assertThat(r.exit()).as(r.describe()).isNotZero();
    }

    /** What the server prints at start is what ssh-keygen reads from the key files, and ssh accepts them strictly. */
    @Test
    void fingerprintsAreOpenSshs() throws Exception {
        List<String> printed = server.listener().hostKeyFingerprints();
        assertThat(printed).hasSize(2);
        for (String file : List.of("ssh_host_ed25519_key.pub", "ssh_host_rsa_key.pub")) {
            ExternalCommand.Result r = ExternalCommand.in(work).run("ssh-keygen", "-l", "-E", "sha256", "-f",
                    server.hostKeyDirectory().resolve(file).toString());
            assertThat(r.exit()).as(r.describe()).isZero();
            String[] words = r.stdout().strip().split(" ");
            // "256 SHA256:… jftpd (ED25519)" against ours "256 SHA256:… (ED25519)"
            assertThat(printed).contains(words[0] + " " + words[1] + " " + words[words.length - 1]);
        }
        assertThat(printed.get(0)).startsWith("256 SHA256:").endsWith("(ED25519)");
        assertThat(printed.get(1)).startsWith("3072 SHA256:").endsWith("(RSA)");
    }

    @Test
    void serverOffersEd25519SignaturesAndModernAlgorithmsOnly() throws Exception {
        ExternalCommand.Result r = client.ssh(SftpTestServer.ALICE, client.key("id_ed25519"), List.of("-vv", "-s"), "sftp");
        String log = r.stderr();
        assertThat(log).contains("server-sig-algs=<ssh-ed25519,");
        assertThat(log).doesNotContainPattern("server-sig-algs=<[^>]*ssh-rsa[,>]");
        assertThat(log).containsPattern("kex: algorithm: (mlkem768x25519-sha256|sntrup761x25519-sha512(@openssh.com)?|curve25519-sha256)");
        assertThat(log).contains("kex: host key algorithm: ssh-ed25519");
    }

    @ParameterizedTest
    @ValueSource(strings = {"KexAlgorithms=diffie-hellman-group14-sha1", "KexAlgorithms=diffie-hellman-group14-sha256",
            "Ciphers=aes128-cbc", "MACs=hmac-sha1", "HostKeyAlgorithms=ssh-rsa"})
    void oldAlgorithmsAreRefused(String option) throws Exception {
        List<String> options = option.startsWith("MACs") ? List.of("-o", option, "-o", "Ciphers=aes128-ctr") : List.of("-o", option);
        ExternalCommand.Result r = client.sftp(SftpTestServer.ALICE, client.key("id_ed25519"), options, "pwd");
        assertThat(r.exit()).as(r.describe()).isNotZero();
        assertThat(r.stderr()).contains("no matching");
    }
}
