package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jftpd --sftp-port} as a real process with OpenSSH's {@code sftp} and
 * {@code ssh-keygen}: a users-file account made by {@code jftpd user add --authorized-key} logs in
 * with its key and with its password, over SFTP and FTP alike, on the local disk; the host keys are
 * made once (mode 600) and their fingerprints, printed at every start, are what ssh-keygen reads.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SftpCliIT {
    @TempDir
    Path work;

    private Path askpass;

    @Test
    void userAddWithAnAuthorizedKeyThenSftpWithKeyAndPasswordAndFtpOnTheSameFiles() throws Exception {
        ExternalCommand.assumeInstalled("sftp", "openssh-client");
        Path keys = Files.createDirectories(work.resolve("client"));
        keygen(keys.resolve("id_ed25519"), "-t", "ed25519");
        keygen(keys.resolve("id_other"), "-t", "ed25519");
        Path users = work.resolve("conf/users");
        Path root = Files.createDirectories(work.resolve("root"));
        Path hostKeys = work.resolve("host-keys");

        ExternalCommand.Result add = JftpdProcess.run(work, "carol-Secret-1\n", "user", "add", "carol", "--home", "carol",
                "--authorized-key", keys.resolve("id_ed25519.pub").toString(), "--users", users.toString());
        assertThat(add.exit()).as(add.describe()).isZero();
        assertThat(add.stderr()).contains("1 authorized key(s)");
        String publicKey = Files.readString(keys.resolve("id_ed25519.pub")).strip();
        assertThat(Files.readAllLines(users)).contains("carol:key:" + publicKey).noneMatch(l -> l.contains("carol-Secret-1"));

        // A key that is not an OpenSSH public key is refused, and nothing is written.
        Files.writeString(work.resolve("bad.pub"), "ssh-dss AAAAB3NzaC1kc3MAAACBAP carol@old\n");
        ExternalCommand.Result bad = JftpdProcess.run(work, "x\n", "user", "add", "carol", "--authorized-key",
                work.resolve("bad.pub").toString(), "--users", users.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.stderr()).contains("ssh-dss keys are not supported");
        assertThat(Files.readString(users)).contains("carol:key:" + publicKey);

        List<String> fingerprints;
        try (JftpdProcess jftpd = JftpdProcess.start(work, "--bind", "127.0.0.1", "--port", "0", "--root", root.toString(),
                "--users", users.toString(), "--sftp-port", "0", "--ssh-host-key-dir", hostKeys.toString())) {
            int sftpPort = jftpd.sftpPort();
            assertThat(sftpPort).isPositive().isNotEqualTo(jftpd.port());
            fingerprints = printedFingerprints(jftpd);
            assertThat(fingerprints).hasSize(2);
            for (String file : List.of("ssh_host_ed25519_key", "ssh_host_ed25519_key.pub", "ssh_host_rsa_key", "ssh_host_rsa_key.pub")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hostKeys.resolve(file)))).as(file).isEqualTo("rw-------");
                if (file.endsWith(".pub")) {
                    ExternalCommand.Result l = ExternalCommand.in(work).run("ssh-keygen", "-l", "-E", "sha256", "-f", hostKeys.resolve(file).toString());
                    assertThat(l.exit()).as(l.describe()).isZero();
                    assertThat(fingerprints).anyMatch(f -> f.contains(l.stdout().split(" ")[1]));
                }
            }
            Path knownHosts = work.resolve("known_hosts");
            List<String> known = new ArrayList<>();
            for (String file : List.of("ssh_host_ed25519_key.pub", "ssh_host_rsa_key.pub")) {
                known.add("[127.0.0.1]:" + sftpPort + " " + Files.readString(hostKeys.resolve(file)).strip());
            }
            Files.write(knownHosts, known);

            byte[] data = TestData.binary(300_001, 77);
            Files.write(keys.resolve("up.bin"), data);
            ExternalCommand.Result withKey = sftp(sftpPort, knownHosts, List.of("-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                    "-o", "PreferredAuthentications=publickey", "-i", keys.resolve("id_ed25519").toString()), "",
                    "pwd", "put " + keys.resolve("up.bin") + " up.bin", "ls -l");
            assertThat(withKey.exit()).as(withKey.describe()).isZero();
            assertThat(withKey.stdout()).contains("Remote working directory: /\n").containsPattern("(?m)^-rw-[-rwx]{6} .* 300001 .* up\\.bin$");
            assertThat(root.resolve("carol/up.bin")).hasBinaryContent(data);

            ExternalCommand.Result otherKey = sftp(sftpPort, knownHosts, List.of("-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                    "-o", "PreferredAuthentications=publickey", "-i", keys.resolve("id_other").toString()), "", "pwd");
            assertThat(otherKey.exit()).as(otherKey.describe()).isNotZero();
            assertThat(otherKey.stderr()).contains("Permission denied");

            List<String> password = List.of("-o", "BatchMode=no", "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password",
                    "-o", "NumberOfPasswordPrompts=1");
            ExternalCommand.Result withPassword = sftp(sftpPort, knownHosts, password, "carol-Secret-1",
                    "get up.bin " + keys.resolve("down.bin"));
            assertThat(withPassword.exit()).as(withPassword.describe()).isZero();
            assertThat(keys.resolve("down.bin")).hasBinaryContent(data);

            ExternalCommand.Result wrong = sftp(sftpPort, knownHosts, password, "not-carols", "pwd");
            assertThat(wrong.exit()).as(wrong.describe()).isNotZero();
            assertThat(wrong.stderr()).contains("Permission denied");

            FTPClient ftp = new FTPClient();
            ftp.setDefaultTimeout(30_000);
            ftp.connect("127.0.0.1", jftpd.port());
            try {
                assertThat(ftp.login("carol", "carol-Secret-1")).as(ftp.getReplyString()).isTrue();
                ftp.enterLocalPassiveMode();
                ftp.setFileType(FTP.BINARY_FILE_TYPE);
                ByteArrayOutputStream viaFtp = new ByteArrayOutputStream();
                assertThat(ftp.retrieveFile("up.bin", viaFtp)).as(ftp.getReplyString()).isTrue();
                assertThat(viaFtp.toByteArray()).isEqualTo(data);
                ftp.logout();
            } finally {
                ftp.disconnect();
            }
            assertThat(jftpd.stderr()).doesNotContain("carol-Secret-1", root.toString());
        }

        // A second start keeps the host keys and prints the same fingerprints.
        try (JftpdProcess again = JftpdProcess.start(work, "--bind", "127.0.0.1", "--port", "0", "--root", root.toString(),
                "--users", users.toString(), "--sftp-port", "0", "--ssh-host-key-dir", hostKeys.toString())) {
            assertThat(printedFingerprints(again)).isEqualTo(fingerprints);
        }
    }

    @Test
    void helpListsTheSftpOptions() throws Exception {
        ExternalCommand.Result help = JftpdProcess.run(work, null, "--help");
        assertThat(help.exit()).as(help.describe()).isZero();
        assertThat(help.stdout()).contains("--sftp-port", "--ssh-host-key-dir");
        ExternalCommand.Result addHelp = JftpdProcess.run(work, null, "user", "add", "--help");
        assertThat(addHelp.exit()).as(addHelp.describe()).isZero();
        assertThat(addHelp.stdout()).contains("--authorized-key");
        ExternalCommand.Result badPort = JftpdProcess.run(work, null, "--port", "0", "--user", "a:b", "--sftp-port", "70000");
        assertThat(badPort.exit()).isEqualTo(2);
        assertThat(badPort.stderr()).contains("--sftp-port must be 0-65535");
    }

    /** "256 SHA256:… (ED25519)" and "3072 SHA256:… (RSA)", as printed at start. */
    private static List<String> printedFingerprints(JftpdProcess jftpd) throws InterruptedException {
        assertThat(jftpd.awaitStderr("(RSA)", Duration.ofSeconds(15))).as(jftpd.stderr()).isTrue();
        try (Stream<String> lines = jftpd.stderr().lines()) {
            return lines.filter(l -> l.startsWith("jftpd: SSH host key ")).map(l -> l.substring("jftpd: SSH host key ".length()))
                    .peek(f -> assertThat(f).matches("\\d+ SHA256:[A-Za-z0-9+/]{43} \\((ED25519|RSA)\\)")).toList();
        }
    }

    private void keygen(Path file, String... type) throws IOException {
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", file.getFileName().toString(), "-f", file.toString()));
        command.addAll(List.of(type));
        ExternalCommand.Result r = ExternalCommand.in(work).run(command);
        assertThat(r.exit()).as(r.describe()).isZero();
    }

    /** OpenSSH's sftp -b, with no user configuration, the host key checked strictly, the password (if any) through SSH_ASKPASS. */
    private ExternalCommand.Result sftp(int port, Path knownHosts, List<String> login, String password, String... commands) throws IOException {
        if (askpass == null) {
            askpass = work.resolve("askpass.sh");
            Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' \"$JFTP_TEST_PASSWORD\"\n");
            Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
        }
        Path batch = Files.createTempFile(work, "batch", ".txt");
        Files.writeString(batch, String.join("\n", commands) + "\n");
        List<String> command = new ArrayList<>(List.of("sftp", "-F", "/dev/null", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=20"));
        command.addAll(login);
        command.addAll(List.of("-P", Integer.toString(port), "-b", batch.toString(), "carol@127.0.0.1"));
        return ExternalCommand.in(work).timeout(Duration.ofSeconds(60))
                .env("HOME", work.toString()).env("SSH_AUTH_SOCK", "").env("DISPLAY", "")
                .env("SSH_ASKPASS", askpass.toString()).env("SSH_ASKPASS_REQUIRE", "force").env("JFTP_TEST_PASSWORD", password)
                .run(command);
    }
}
