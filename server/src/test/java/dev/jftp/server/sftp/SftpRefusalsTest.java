package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.LogCapture;
import dev.jftp.server.testing.S3TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Everything an SSH server could do besides SFTP is refused cleanly: a reason, no hang, one log line. */
class SftpRefusalsTest {
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

    ExternalCommand.Result ssh(List<String> options, String... arguments) throws Exception {
        return client.ssh(SftpTestServer.ALICE, client.key("id_ed25519"), options, arguments);
    }

    @Test
    void commandsAreRefusedWithAReason() throws Exception {
        try (LogCapture log = LogCapture.of("dev.jftp.server.sftp")) {
            ExternalCommand.Result r = ssh(List.of(), "echo", "hello\u001b[2J");
            assertThat(r.exit()).as(r.describe()).isEqualTo(1);
            assertThat(r.stdout()).doesNotContain("hello");
            assertThat(r.stderr()).contains(SshRefusals.MESSAGE);
            assertThat(log.lines()).anyMatch(l -> l.matches("INFO sftp session \\d+: command refused: echo hello\\\\x1b\\[2J"));
        }
    }

    @Test
    void aShellIsRefusedWithAReason() throws Exception {
        ExternalCommand.Result r = ssh(List.of("-tt"));
        assertThat(r.exit()).as(r.describe()).isEqualTo(1);
        assertThat(r.stdout() + r.stderr()).contains(SshRefusals.MESSAGE);
    }

    @Test
    void legacyScpIsRefusedButScpOverSftpWorks() throws Exception {
        ExternalCommand.Result legacy = client.scp(SftpTestServer.ALICE, client.key("id_ed25519"), "-O", "/etc/hostname", "remote:legacy.txt");
        assertThat(legacy.exit()).as(legacy.describe()).isNotZero();
        assertThat(legacy.stderr()).contains(SshRefusals.MESSAGE);
        ExternalCommand.Result sftp = client.scp(SftpTestServer.ALICE, client.key("id_ed25519"), "/etc/hostname", "remote:modern.txt");
        assertThat(sftp.exit()).as(sftp.describe()).isZero();
    }

    @Test
    void localForwardingIsRefused() throws Exception {
        ExternalCommand.Result r = ssh(List.of("-W", "127.0.0.1:" + server.port()));
        assertThat(r.exit()).as(r.describe()).isNotZero();
        assertThat(r.stderr()).containsIgnoringCase("open failed");
    }

    @Test
    void remoteForwardingIsRefused() throws Exception {
        try (LogCapture log = LogCapture.of("dev.jftp.server.sftp")) {
            ExternalCommand.Result r = ssh(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"));
            assertThat(r.exit()).as(r.describe()).isNotZero();
            assertThat(r.stderr()).contains("remote port forwarding failed");
            assertThat(log.lines()).anyMatch(l -> l.matches("INFO sftp session \\d+: remote port forwarding refused"));
        }
    }

    /**
     * X11 forwarding is refused, and OpenSSH says so. (Agent forwarding is refused too, by MINA, since
     * jftpd gives it no agent factory; OpenSSH asks for it without wanting a reply, so no client can
     * show that.)
     */
    @Test
    void x11ForwardingIsRefused() throws Exception {
        try {
            client.environment("DISPLAY", ":99");
            ExternalCommand.Result r = ssh(List.of("-X"), "true");
            assertThat(r.stderr()).contains("X11 forwarding request failed");
        } finally {
            client.environment("DISPLAY", "");
        }
    }

    @Test
    void aFullServerSaysSoAndLaterAdmitsAgain() throws Exception {
        server.logins().maxSessions(1);
        Process holder = null;
        try {
            // One session held open: sftp reading its commands from a pipe that stays open.
            List<String> command = new java.util.ArrayList<>(client.sftpCommand(SftpTestServer.ALICE, client.key("id_ed25519"), List.of(),
                    Path.of("/dev/stdin")));
            holder = client.start(command, client.key("id_ed25519"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.logins().sessionsNow() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.logins().sessionsNow()).isEqualTo(1);
            ExternalCommand.Result refused = client.sftp(SftpTestServer.ALICE, client.key("id_ed25519"), "pwd");
            assertThat(refused.exit()).as(refused.describe()).isNotZero();
            assertThat(refused.stderr()).contains("Too many sessions");
        } finally {
            if (holder != null) {
                holder.getOutputStream().close();
                holder.waitFor(20, TimeUnit.SECONDS);
                holder.destroyForcibly();
            }
            server.logins().maxSessions(Integer.MAX_VALUE);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.logins().sessionsNow() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.logins().sessionsNow()).isZero();
        ExternalCommand.Result again = client.sftp(SftpTestServer.ALICE, client.key("id_ed25519"), "pwd");
        assertThat(again.exit()).as(again.describe()).isZero();
    }
}
