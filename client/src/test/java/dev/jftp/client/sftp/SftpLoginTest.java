package dev.jftp.client.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.client.ClientException;
import dev.jftp.client.support.SftpTest;
import dev.jftp.client.support.SftpTestServer;
import dev.jftp.client.support.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Logging in over SFTP and the host key check, against OpenSSH's sshd: known_hosts as ssh reads
 * and writes it (OpenSSH's ssh-keygen makes the hashed file), OpenSSH's questions and warnings.
 * The client here asks "at a terminal": its answers come from {@link TestClient#typedPasswords}.
 */
class SftpLoginTest extends SftpTest {
    private TestClient asking(String name) throws Exception {
        TestClient c = newClient(base.resolve(name));
        c.settings.askAboutCertificates = true;
        return c;
    }

    private static String sshKeygen(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** "SHA256:..." as ssh-keygen -l shows the server's key. */
    private static String fingerprint() throws Exception {
        return sshKeygen("-l", "-E", "sha256", "-f", server.hostKey + ".pub").split("\\s+")[1];
    }

    private void connect(TestClient c) throws Exception {
        c.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, server.password().toCharArray());
    }

    @Test
    void anUnknownKeyIsShownWithItsFingerprintAndAYesStoresItAsSshWould() throws Exception {
        try (TestClient c = asking("yes")) {
            Files.delete(c.settings.sshKnownHosts);
            c.typedPasswords.add("yes");
            connect(c);
            assertThat(c.prompts).isEqualTo(1);
            assertThat(c.err()).contains("The authenticity of host '[127.0.0.1]:" + server.port() + " ([127.0.0.1]:" + server.port()
                            + ")' can't be established.\n")
                    .contains("ED25519 key fingerprint is " + fingerprint() + ".\n")
                    .contains("This key is not known by any other names.\n")
                    .contains("Warning: Permanently added '[127.0.0.1]:" + server.port() + "' (ED25519) to the list of known hosts.");
            assertThat(c.settings.sshKnownHosts).content().isEqualTo(server.knownHostsLine() + "\n");
            // ssh itself finds the stored line.
            assertThat(sshKeygen("-F", "[127.0.0.1]:" + server.port(), "-f", c.settings.sshKnownHosts.toString())).contains("ssh-ed25519");
            c.ok("pwd");
        }
        try (TestClient again = asking("yes")) {
            again.settings.sshKnownHosts = base.resolve("yes/home/.ssh/known_hosts");
            connect(again);
            assertThat(again.prompts).as("known now: no question").isZero();
        }
    }

    @Test
    void noRefusesAndTheFingerprintItselfIsAYes() throws Exception {
        try (TestClient c = asking("no")) {
            Files.delete(c.settings.sshKnownHosts);
            c.typedPasswords.add("no");
            assertThatThrownBy(() -> connect(c)).isInstanceOf(ClientException.class).hasMessage("Host key verification failed.");
            assertThat(c.settings.sshKnownHosts).doesNotExist();
            assertThat(c.session().isConnected()).isFalse();
        }
        try (TestClient c = asking("fingerprint")) {
            Files.delete(c.settings.sshKnownHosts);
            c.typedPasswords.add("maybe");
            c.typedPasswords.add(fingerprint());
            connect(c);
            assertThat(c.prompts).isEqualTo(2);
            assertThat(c.settings.sshKnownHosts).content().contains(server.knownHostsLine());
        }
    }

    @Test
    void aChangedKeyIsRefusedLoudlyEvenAtATerminal() throws Exception {
        Path other = base.resolve("other_key");
        SftpTestServer.keygen(other, "ed25519", "");
        String otherLine = "[127.0.0.1]:" + server.port() + " " + Files.readString(Path.of(other + ".pub")).strip();
        try (TestClient c = asking("changed")) {
            Files.writeString(c.settings.sshKnownHosts, "# comment\n" + otherLine + "\n");
            c.typedPasswords.add("yes");
            assertThatThrownBy(() -> connect(c)).isInstanceOf(ClientException.class).hasMessage("Host key verification failed.");
            assertThat(c.prompts).isZero();
            assertThat(c.err()).contains("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @")
                    .contains("IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!")
                    .contains("The fingerprint for the ED25519 key sent by the remote host is\n" + fingerprint() + ".")
                    .contains("Offending ED25519 key in " + c.settings.sshKnownHosts + ":2")
                    .contains("Host key for [127.0.0.1]:" + server.port() + " has changed and you have requested strict checking.");
            assertThat(c.settings.sshKnownHosts).content().isEqualTo("# comment\n" + otherLine + "\n");
        }
    }

    @Test
    void hashedWildcardAndNegatedEntriesMatchAsInSsh() throws Exception {
        String key = server.knownHostsLine().substring(server.knownHostsLine().indexOf(' ') + 1);
        try (TestClient c = newClient(base.resolve("hashed"))) {
            Files.writeString(c.settings.sshKnownHosts, server.knownHostsLine() + "\n");
            sshKeygen("-H", "-f", c.settings.sshKnownHosts.toString()); // OpenSSH hashes the names
            assertThat(c.settings.sshKnownHosts).content().startsWith("|1|").doesNotContain("127.0.0.1");
            connect(c);
            c.ok("pwd");
        }
        try (TestClient c = newClient(base.resolve("wildcard"))) {
            Files.writeString(c.settings.sshKnownHosts, "[127.0.0.?]:" + server.port() + " " + key + "\n");
            connect(c);
            c.ok("pwd");
        }
        try (TestClient c = newClient(base.resolve("negated"))) {
            Files.writeString(c.settings.sshKnownHosts, "[127.0.0.*]:" + server.port() + ",![127.0.0.1]:" + server.port() + " " + key + "\n");
            assertThatThrownBy(() -> connect(c)).hasMessage("Host key verification failed.");
            assertThat(c.err()).contains("No ED25519 host key is known for [127.0.0.1]:" + server.port());
        }
        try (TestClient c = newClient(base.resolve("otherport"))) {
            // Without [ ]:port a line names port 22 only.
            Files.writeString(c.settings.sshKnownHosts, "127.0.0.1 " + key + "\n");
            assertThatThrownBy(() -> connect(c)).hasMessage("Host key verification failed.");
        }
    }

    @Test
    void aRevokedKeyIsRefusedWhateverElseTheFileSays() throws Exception {
        String line = server.knownHostsLine();
        try (TestClient c = asking("revoked")) {
            Files.writeString(c.settings.sshKnownHosts, line + "\n@revoked * " + line.substring(line.indexOf(' ') + 1) + "\n");
            c.typedPasswords.add("yes");
            assertThatThrownBy(() -> connect(c)).hasMessage("Host key verification failed.");
            assertThat(c.err()).contains("WARNING: REVOKED HOST KEY DETECTED!")
                    .contains("The ED25519 host key for [127.0.0.1]:" + server.port() + " is marked as revoked.");
            assertThat(c.prompts).isZero();
        }
    }

    @Test
    void keysOfAnotherTypeKnownForTheHostAreSaidAndTheNewKeyAsked() throws Exception {
        Path rsa = base.resolve("rsa_key");
        SftpTestServer.keygen(rsa, "rsa", "");
        try (TestClient c = asking("othertype")) {
            Files.writeString(c.settings.sshKnownHosts, "[127.0.0.1]:" + server.port() + " " + Files.readString(Path.of(rsa + ".pub")).strip() + "\n");
            c.typedPasswords.add("yes");
            connect(c);
            assertThat(c.err()).contains("can't be established\nbut keys of different type are already known for this host.");
            assertThat(c.settings.sshKnownHosts).content().contains(server.knownHostsLine());
        }
    }

    @Test
    void publicKeyLoginWithMinusIAndWithAnEncryptedKeyAskingItsPassphrase() throws Exception {
        try (TestClient c = newClient(base.resolve("key"))) {
            c.settings.identityFiles = List.of(server.clientKey);
            c.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, null);
            assertThat(c.prompts).as("no password asked").isZero();
            c.ok("pwd");
        }
        Path encrypted = base.resolve("enc_key");
        Files.copy(server.clientKey, encrypted);
        sshKeygen("-p", "-q", "-P", "", "-N", "s3cret phrase", "-f", encrypted.toString());
        try (TestClient c = asking("encrypted")) {
            c.settings.identityFiles = List.of(encrypted);
            c.typedPasswords.add("wrong");
            c.typedPasswords.add("s3cret phrase");
            c.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, null);
            assertThat(c.prompts).isEqualTo(2);
            assertThat(c.err()).doesNotContain("password:");
            c.ok("pwd");
        }
        try (TestClient c = newClient(base.resolve("defaults"))) {
            // No -i: ~/.ssh/id_ed25519, as ssh.
            Files.copy(server.clientKey, c.home.resolve(".ssh").resolve("id_ed25519"));
            c.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, null);
            c.ok("pwd");
        }
    }

    @Test
    void theKeysOfARunningSshAgentLogIn() throws Exception {
        Path socket = base.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 200 && !Files.exists(socket); i++) {
                Thread.sleep(50);
            }
            assertThat(socket).as("ssh-agent's socket").exists();
            ProcessBuilder add = new ProcessBuilder("ssh-add", server.clientKey.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process adding = add.start();
            String added = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(adding.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(adding.exitValue()).as(added).isZero();
            try (TestClient c = newClient(base.resolve("agent"))) {
                // Without the agent: no key, no password, no terminal: refused.
                assertThatThrownBy(() -> c.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, null))
                        .hasMessage(SftpTestServer.USER + "@127.0.0.1: Permission denied.");
                c.settings.agentSocket = socket;
                c.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, null);
                assertThat(c.prompts).isZero();
                c.ok("pwd");
            }
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWrongPasswordIsAskedAgainThreeTimesAtMost() throws Exception {
        try (TestClient c = asking("wrong")) {
            c.typedPasswords.add("bad1");
            c.typedPasswords.add(server.password());
            c.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, "bad0".toCharArray());
            assertThat(c.prompts).as("bad0 (known) refused, bad1 (typed) refused, the right one").isEqualTo(2);
            assertThat(c.err()).contains("Permission denied, please try again.");
            c.ok("pwd");
        }
        try (TestClient c = asking("never")) {
            c.typedPasswords.add("bad1");
            c.typedPasswords.add("bad2");
            c.typedPasswords.add("bad3");
            c.typedPasswords.add(server.password()); // a fourth try is never asked for
            assertThatThrownBy(() -> c.session().connect("127.0.0.1", server.port(), SftpTestServer.USER, null))
                    .hasMessage(SftpTestServer.USER + "@127.0.0.1: Permission denied.");
            assertThat(c.prompts).isEqualTo(3);
            assertThat(c.err()).contains("Permission denied, please try again.");
        }
    }
}
