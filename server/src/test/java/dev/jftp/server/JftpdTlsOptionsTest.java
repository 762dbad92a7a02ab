package dev.jftp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The --tls options of bin/jftpd that must stop it before it listens, with a message saying why. */
class JftpdTlsOptionsTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String stderr) {
    }

    private Outcome run(String... tlsArgs) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--root", dir.resolve("root").toString(),
                "--user", "alice:secret", "--tls-dir", dir.resolve("tls").toString()));
        args.addAll(Arrays.asList(tlsArgs));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int status = new CommandLine(new Jftpd()).execute(args.toArray(new String[0]));
            return new Outcome(status, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void tlsRequiredOrImplicitPortWithoutACertificateIsRefused() {
        Outcome required = run("--tls-required");
        assertThat(required.status()).isEqualTo(2);
        assertThat(required.stderr()).contains("need a certificate");
        Outcome implicit = run("--implicit-tls-port", "0");
        assertThat(implicit.status()).isEqualTo(2);
        assertThat(implicit.stderr()).contains("need a certificate");
    }

    @Test
    void certificateAndKeyGoTogetherAndExcludeSelfSigned() {
        Outcome alone = run("--tls-cert", "cert.pem");
        assertThat(alone.status()).isEqualTo(2);
        assertThat(alone.stderr()).contains("--tls-cert and --tls-key go together");
        Outcome both = run("--tls-self-signed", "--tls-cert", "cert.pem", "--tls-key", "key.pem");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.stderr()).contains("either --tls-self-signed or --tls-cert");
    }

    @Test
    void missingFilesAndBadPortsAreReported() {
        Outcome missing = run("--tls-cert", dir.resolve("nope.pem").toString(), "--tls-key", dir.resolve("nope.key").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.stderr()).contains("jftpd: TLS:").contains("nope.pem");
        Outcome port = run("--tls-self-signed", "--implicit-tls-port", "70000");
        assertThat(port.status()).isEqualTo(2);
        assertThat(port.stderr()).contains("--implicit-tls-port must be 0-65535");
    }

    @Test
    void sessionReuseTakesRequiredOrOptionalAndNeedsACertificate() {
        Outcome word = run("--tls-self-signed", "--tls-session-reuse", "sometimes");
        assertThat(word.status()).isEqualTo(2);
        assertThat(word.stderr()).contains("--tls-session-reuse takes required or optional");
        Outcome noCertificate = run("--tls-session-reuse=optional");
        assertThat(noCertificate.status()).isEqualTo(2);
        assertThat(noCertificate.stderr()).contains("need a certificate");
    }
}
