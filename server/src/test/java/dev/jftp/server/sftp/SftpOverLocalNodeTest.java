package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.local.LocalStorage;
import dev.jftp.server.storage.local.LocalStorageView;
import dev.jftp.server.testing.ExternalCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/**
 * SFTP over the local disk through the production assembly: a {@link dev.jftp.server.JftpdNode}
 * with FTP and SFTP on one set of services (accounts with PBKDF2 hashes and keys, the authenticator,
 * the login throttle, the session limits, the local storage). Besides the contract every backend
 * passes, what only the local disk and the shared services show: modes on disk, symbolic links that
 * lead outside, no temporary file left on disk, one account over both protocols at once, and one
 * throttle and one session count for both.
 */
class SftpOverLocalNodeTest extends SftpFilesContract {
    private Path root;

    @Override
    Storage newStorage(Path work) throws Exception {
        root = Files.createDirectories(work.resolve("root"));
        return LocalStorage.at(root);
    }

    @Override
    SftpTestServer startServer(Storage storage, Path work) throws IOException {
        return SftpTestServer.startNode(storage, work);
    }

    private Path homeOnDisk() {
        return root.resolve(SftpTestServer.HOME);
    }

    /** An interrupted upload leaves no temporary file on the disk either (the listing hides them). */
    @Override
    void assertNoUploadLeftovers() throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(LocalStorageView.TEMP_PREFIX));
        }
    }

    @Test
    void chmodChangesTheModeOnDisk() throws Exception {
        Files.write(local.resolve("mode-on-disk"), data(10, 11));
        ExternalCommand.Result r = alice("put " + local.resolve("mode-on-disk") + " disk-mode.txt", "chmod 640 disk-mode.txt");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(homeOnDisk().resolve("disk-mode.txt"))))
                .isEqualTo("rw-r-----");
    }

    @Test
    void symbolicLinksLeadingOutsideAreRefused() throws Exception {
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "outside the jail");
        Files.createDirectories(homeOnDisk());
        Files.createSymbolicLink(homeOnDisk().resolve("to-outside"), outside);
        Files.createSymbolicLink(homeOnDisk().resolve("secret-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(homeOnDisk().resolve("relative-out"), Path.of("../../outside"));
        Files.write(local.resolve("planted"), data(30, 12));

        for (String command : List.of("get secret-link " + local.resolve("stolen-1"), "get to-outside/secret.txt " + local.resolve("stolen-2"),
                "get relative-out/secret.txt " + local.resolve("stolen-3"), "ls to-outside", "cd relative-out",
                "put " + local.resolve("planted") + " to-outside/planted", "put " + local.resolve("planted") + " secret-link")) {
            ExternalCommand.Result r = alice(command);
            assertThat(r.exit()).as(command + ": " + r.describe()).isNotZero();
        }
        try (Stream<Path> files = Files.list(local)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("stolen"));
        }
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret.txt");
        }
        assertThat(outside.resolve("secret.txt")).hasContent("outside the jail");
    }

    /** SFTP sessions, logins and transfers are counted in the node's /metrics as FTP's are, with protocol="sftp". */
    @Test
    void sftpSessionsLoginsAndTransfersAreCountedInTheMetrics() throws Exception {
        String before = metrics();
        Files.write(local.resolve("counted"), data(70_000, 13));
        ExternalCommand.Result r = alice("put " + local.resolve("counted") + " counted.bin", "get counted.bin " + local.resolve("counted-back"));
        assertThat(r.exit()).as(r.describe()).isZero();
        ExternalCommand.Result p = reader("pwd");
        assertThat(p.exit()).as(p.describe()).isZero();
        String after = metrics();

        assertThat(value(after, "jftpd_sessions_total{protocol=\"sftp\"}") - value(before, "jftpd_sessions_total{protocol=\"sftp\"}")).isEqualTo(2);
        assertThat(value(after, "jftpd_logins_total{method=\"publickey\",result=\"ok\"}")
                - value(before, "jftpd_logins_total{method=\"publickey\",result=\"ok\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_logins_total{method=\"password\",result=\"ok\"}") + value(after, "jftpd_logins_total{method=\"cached\",result=\"ok\"}")
                - value(before, "jftpd_logins_total{method=\"password\",result=\"ok\"}") - value(before, "jftpd_logins_total{method=\"cached\",result=\"ok\"}"))
                .isEqualTo(1);
        assertThat(value(after, "jftpd_transfers_total{direction=\"upload\"}") - value(before, "jftpd_transfers_total{direction=\"upload\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_transfers_total{direction=\"download\"}") - value(before, "jftpd_transfers_total{direction=\"download\"}")).isEqualTo(1);
        assertThat(value(after, "jftpd_transfer_bytes_total{direction=\"upload\"}") - value(before, "jftpd_transfer_bytes_total{direction=\"upload\"}"))
                .isEqualTo(70_000);
    }

    private String metrics() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.node().metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    /** The value of one sample line ({@code name{labels} value}); 0 when the line is not there yet. */
    private static double value(String metrics, String sample) {
        Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void passwordLoginsGoThroughTheSharedAuthenticator() throws Exception {
        ExternalCommand.Result interactive = client.sftp(SftpTestServer.ALICE, OpenSsh.password(SftpTestServer.ALICE_PASSWORD), "pwd");
        assertThat(interactive.exit()).as(interactive.describe()).isZero();
        assertThat(interactive.stdout()).contains("Remote working directory: /\n");
        ExternalCommand.Result password = client.sftp(SftpTestServer.ALICE, new OpenSsh.PasswordMethod(SftpTestServer.ALICE_PASSWORD), "pwd");
        assertThat(password.exit()).as(password.describe()).isZero();
    }

    /**
     * A wrong password over SFTP is refused after the throttle's delay and counts against the
     * address in the same throttle as FTP's: a wrong password over FTP afterwards is the second
     * failure, not the first. A name that is no account, and the anonymous names, fare the same.
     */
    @Test
    void wrongPasswordsAreRefusedAndThrottledTogetherWithFtp() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        var throttle = server.node().services().loginThrottle();
        int before = throttle.failureCount(loopback);

        long started = System.nanoTime();
        ExternalCommand.Result wrong = client.sftp(SftpTestServer.ALICE, new OpenSsh.PasswordMethod("not-the-password"), "pwd");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(wrong.exit()).as(wrong.describe()).isNotZero();
        assertThat(wrong.stderr()).contains("Permission denied");
        assertThat(wrong.stdout()).doesNotContain("Remote working directory");
        assertThat(throttle.failureCount(loopback)).isEqualTo(before + 1);
        // The refusal waited at least the base delay (a minimum: no upper bound on a loaded machine).
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250));

        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(30_000);
        ftp.connect("127.0.0.1", server.node().ftp().port());
        try {
            assertThat(ftp.login(SftpTestServer.ALICE, "also-wrong")).isFalse();
        } finally {
            ftp.disconnect();
        }
        assertThat(throttle.failureCount(loopback)).isEqualTo(before + 2);

        for (String name : List.of("mallory", "anonymous")) {
            ExternalCommand.Result r = client.sftp(name, new OpenSsh.PasswordMethod("guest@example.com"), "pwd");
            assertThat(r.exit()).as(r.describe()).isNotZero();
            assertThat(r.stderr()).contains("Permission denied");
        }
        assertThat(throttle.failureCount(loopback)).isEqualTo(before + 4);

        // Alice's own right password clears her failures only.
        ExternalCommand.Result right = client.sftp(SftpTestServer.ALICE, new OpenSsh.PasswordMethod(SftpTestServer.ALICE_PASSWORD), "pwd");
        assertThat(right.exit()).as(right.describe()).isZero();
        assertThat(throttle.failureCount(loopback)).isEqualTo(before + 2);
    }

    /** One account over FTP and SFTP at the same time, on the same files, and one session count for both. */
    @Test
    void oneAccountOverFtpAndSftpAtOnce() throws Exception {
        int free = server.node().services().limiter().available();
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(30_000);
        ftp.connect("127.0.0.1", server.node().ftp().port());
        try {
            assertThat(ftp.login(SftpTestServer.ALICE, SftpTestServer.ALICE_PASSWORD)).as(ftp.getReplyString()).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(server.node().services().limiter().available()).isEqualTo(free - 1);
            byte[] viaFtp = data(70_001, 13);
            assertThat(ftp.storeFile("from-ftp.bin", new ByteArrayInputStream(viaFtp))).as(ftp.getReplyString()).isTrue();

            byte[] viaSftp = data(90_001, 14);
            Files.write(local.resolve("from-sftp"), viaSftp);
            // While the FTP session stays logged in: SFTP reads FTP's upload and writes its own.
            ExternalCommand.Result r = alice("get from-ftp.bin " + local.resolve("from-ftp-back"), "put " + local.resolve("from-sftp") + " from-sftp.bin");
            assertThat(r.exit()).as(r.describe()).isZero();
            assertThat(local.resolve("from-ftp-back")).hasBinaryContent(viaFtp);

            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertThat(ftp.retrieveFile("from-sftp.bin", back)).as(ftp.getReplyString()).isTrue();
            assertThat(back.toByteArray()).isEqualTo(viaSftp);
            assertThat(ftp.logout()).isTrue();
        } finally {
            ftp.disconnect();
        }
        assertThat(homeOnDisk().resolve("from-sftp.bin")).hasBinaryContent(data(90_001, 14));
    }

    /** --max-sessions counts both protocols: with the one session taken by FTP, SFTP is told the server is full. */
    @Test
    void theSessionLimitCountsFtpAndSftpTogether() throws Exception {
        Path other = Files.createDirectories(work.resolve("limited"));
        try (SftpTestServer limited = SftpTestServer.startNode(LocalStorage.at(Files.createDirectories(other.resolve("root"))), other,
                c -> c.withLimits(1, 0))) {
            OpenSsh sftp = limited.client();
            FTPClient ftp = new FTPClient();
            ftp.setDefaultTimeout(30_000);
            ftp.connect("127.0.0.1", limited.node().ftp().port());
            try {
                ExternalCommand.Result full = sftp.sftp(SftpTestServer.ALICE, sftp.key("id_ed25519"), "pwd");
                assertThat(full.exit()).as(full.describe()).isNotZero();
                assertThat(full.stderr()).contains("Too many sessions");
            } finally {
                ftp.disconnect();
            }
            waitFor(() -> limited.node().services().limiter().available() == 1, "the FTP session to end");
            ExternalCommand.Result admitted = sftp.sftp(SftpTestServer.ALICE, sftp.key("id_ed25519"), "pwd");
            assertThat(admitted.exit()).as(admitted.describe()).isZero();
        }
    }
}
