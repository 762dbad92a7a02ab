package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jftpd with {@code --tls-self-signed --tls-required --implicit-tls-port 0}: it makes
 * and keeps its certificate, prints the fingerprint, and curl works over explicit and implicit
 * FTPS while a clear-text login is refused.
 */
@Timeout(180)
class FtpsJftpdIT {
    private static final Pattern LISTENING = Pattern.compile("jftpd listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern IMPLICIT = Pattern.compile("implicit FTPS on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

    @TempDir
    Path dir;

    private record Running(Process process, Path stdout, Path stderr, int port, int implicitPort, String fingerprint) {
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Running start(String name, String... more) throws Exception {
        Path jar = Path.of("target", "jftpd.jar").toAbsolutePath();
        assertThat(jar).as("the packaged server").exists();
        Path stdout = dir.resolve(name + ".out");
        Path stderr = dir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--bind", "127.0.0.1", "--port", "0", "--root", dir.resolve("root").toString(), "--user", "alice:secret",
                "--tls-self-signed", "--tls-dir", dir.resolve("tls").toString(), "--tls-required", "--implicit-tls-port", "0"));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher listening = LISTENING.matcher(Files.readString(stdout, StandardCharsets.UTF_8));
            if (listening.find()) {
                String err = Files.readString(stderr, StandardCharsets.UTF_8);
                Matcher implicit = IMPLICIT.matcher(err);
                Matcher fingerprint = FINGERPRINT.matcher(err);
                assertThat(implicit.find()).as(err).isTrue();
                assertThat(fingerprint.find()).as(err).isTrue();
                return new Running(process, stdout, stderr, Integer.parseInt(listening.group(1)), Integer.parseInt(implicit.group(1)), fingerprint.group(1));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("jftpd did not start: " + Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private ExternalCommand.Result curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "50"));
        command.addAll(List.of(args));
        return ExternalCommand.in(dir).timeout(Duration.ofSeconds(60)).run(command);
    }

    @Test
    void selfSignedRequiredTlsServesCurlExplicitAndImplicit() throws Exception {
        ExternalCommand.assumeInstalled("curl", "curl");
        Files.createDirectories(dir.resolve("root"));
        Files.writeString(dir.resolve("root").resolve("hello.txt"), "hello over TLS\n");
        Running first = start("first");
        String certificate = dir.resolve("tls").resolve("cert.pem").toString();
        try {
            assertThat(Files.readString(first.stderr())).contains("made a self-signed TLS certificate");

            ExternalCommand.Result explicit = curl("--ssl-reqd", "--cacert", certificate, "ftp://alice:secret@127.0.0.1:" + first.port() + "/hello.txt");
            assertThat(explicit.exit()).as(explicit.describe()).isZero();
            assertThat(explicit.stdout()).isEqualTo("hello over TLS\n");

            ExternalCommand.Result implicit = curl("-k", "ftps://alice:secret@127.0.0.1:" + first.implicitPort() + "/");
            assertThat(implicit.exit()).as(implicit.describe()).isZero();
            assertThat(implicit.stdout()).contains("hello.txt");

            ExternalCommand.Result clear = curl("ftp://alice:secret@127.0.0.1:" + first.port() + "/hello.txt");
            assertThat(clear.exit()).as(clear.describe()).isNotZero();
        } finally {
            first.stop();
        }
        // A second start keeps the certificate.
        Running second = start("second");
        try {
            assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
            assertThat(Files.readString(second.stderr())).doesNotContain("made a self-signed TLS certificate");
        } finally {
            second.stop();
        }
    }

    /** Python's stock ftplib.FTP_TLS (data connections that do not resume) with --tls-session-reuse=optional. */
    @Test
    void sessionReuseOptionalAdmitsStockPythonFtpTls() throws Exception {
        ExternalCommand.assumeInstalled("python3", "python3");
        Files.createDirectories(dir.resolve("root"));
        Running server = start("optional", "--tls-session-reuse=optional");
        try {
            String script = """
                    import ftplib, io, ssl, sys
                    context = ssl.create_default_context(cafile=sys.argv[2])
                    ftp = ftplib.FTP_TLS(context=context, timeout=30)
                    ftp.connect("127.0.0.1", int(sys.argv[1]))
                    ftp.login("alice", "secret")
                    ftp.prot_p()
                    ftp.storbinary("STOR up.txt", io.BytesIO(b"stock ftplib over TLS\\n"))
                    got = io.BytesIO()
                    ftp.retrbinary("RETR up.txt", got.write)
                    print("got", got.getvalue(), ftp.nlst())
                    ftp.quit()
                    """;
            ExternalCommand.Result run = ExternalCommand.in(dir).timeout(Duration.ofSeconds(60))
                    .run("python3", "-c", script, Integer.toString(server.port()), dir.resolve("tls").resolve("cert.pem").toString());
            assertThat(run.exit()).as(run.describe()).isZero();
            assertThat(run.stdout()).contains("got b'stock ftplib over TLS\\n' ['up.txt']");
            assertThat(Files.readString(dir.resolve("root").resolve("up.txt"))).isEqualTo("stock ftplib over TLS\n");
        } finally {
            server.stop();
        }
    }
}
