package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** curl (OpenSSL) against jftpd: explicit FTPS ({@code ftp://} with {@code --ssl-reqd}) and implicit ({@code ftps://}). */
@Timeout(180)
class FtpsCurlTest {
    private static final Duration CURL_TIME = Duration.ofSeconds(60);

    /** The server's root is made in here. */
    @TempDir
    Path dir;
    /** Where curl runs. */
    @TempDir
    Path work;

    @BeforeEach
    void peer() {
        ExternalCommand.assumeInstalled("curl", "curl");
    }

    private ExternalCommand.Result curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "50"));
        command.addAll(Arrays.asList(args));
        return ExternalCommand.in(work).timeout(CURL_TIME).run(command);
    }

    private static String login() {
        return RunningServer.ALICE + ":" + RunningServer.ALICE_PASSWORD;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.3", "1.2"})
    void explicitListUploadDownloadAndResumeAreByteExact(String tlsVersion) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity())) {
            String base = "ftp://" + login() + "@127.0.0.1:" + server.port() + "/";
            String[] tls = {"--ssl-reqd", "-k", "--tlsv" + tlsVersion, "--tls-max", tlsVersion};
            byte[] content = new byte[5 * 1024 * 1024 + 3];
            new Random(959).nextBytes(content);
            Path local = work.resolve("local.bin");
            Files.write(local, content);

            ExternalCommand.Result upload = curl(concat(tls, "-T", local.toString(), base + "up.bin"));
            assertThat(upload.exit()).as(upload.describe()).isZero();
            assertThat(Files.readAllBytes(server.root().resolve("up.bin"))).isEqualTo(content);

            ExternalCommand.Result list = curl(concat(tls, base));
            assertThat(list.exit()).as(list.describe()).isZero();
            assertThat(list.stdout()).contains("up.bin").contains(Integer.toString(content.length));

            ExternalCommand.Result download = curl(concat(tls, "-o", "down.bin", base + "up.bin"));
            assertThat(download.exit()).as(download.describe()).isZero();
            assertThat(Files.readAllBytes(work.resolve("down.bin"))).isEqualTo(content);

            // resume a download: the local part is kept, the rest comes with REST
            Files.write(work.resolve("partial.bin"), Arrays.copyOf(content, 1_000_000));
            ExternalCommand.Result resumeDown = curl(concat(tls, "-C", "-", "-o", "partial.bin", base + "up.bin"));
            assertThat(resumeDown.exit()).as(resumeDown.describe()).isZero();
            assertThat(Files.readAllBytes(work.resolve("partial.bin"))).isEqualTo(content);

            // resume an upload: the server has a part, curl sends the rest
            Files.write(server.root().resolve("half.bin"), Arrays.copyOf(content, 2_000_000));
            ExternalCommand.Result resumeUp = curl(concat(tls, "-C", "-", "-T", local.toString(), base + "half.bin"));
            assertThat(resumeUp.exit()).as(resumeUp.describe()).isZero();
            assertThat(Files.readAllBytes(server.root().resolve("half.bin"))).isEqualTo(content);
        }
    }

    @Test
    void implicitFtpsUrlListsAndDownloads() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, tls -> tls.withImplicitPort(0))) {
            byte[] content = new byte[300_000];
            new Random(990).nextBytes(content);
            Files.write(server.root().resolve("file.bin"), content);
            String base = "ftps://" + login() + "@127.0.0.1:" + server.implicitPort() + "/";
            // the certificate checked for real this time: it names 127.0.0.1
            ExternalCommand.Result list = curl("--cacert", server.certificateFile().toString(), base);
            assertThat(list.exit()).as(list.describe()).isZero();
            assertThat(list.stdout()).contains("file.bin");
            ExternalCommand.Result download = curl("-k", "-o", "file.bin", base + "file.bin");
            assertThat(download.exit()).as(download.describe()).isZero();
            assertThat(Files.readAllBytes(work.resolve("file.bin"))).isEqualTo(content);
        }
    }

    @Test
    void tlsRequiredRefusesAClearTextLogin() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, tls -> tls.withRequired(true))) {
            Files.writeString(server.root().resolve("a.txt"), "a");
            String url = "ftp://" + login() + "@127.0.0.1:" + server.port() + "/";
            ExternalCommand.Result clear = curl("-v", url);
            assertThat(clear.exit()).as(clear.describe()).isNotZero();
            assertThat(clear.stderr()).contains("530").doesNotContain("PASS " + RunningServer.ALICE_PASSWORD);
            ExternalCommand.Result secure = curl("--ssl-reqd", "-k", url);
            assertThat(secure.exit()).as(secure.describe()).isZero();
            assertThat(secure.stdout()).contains("a.txt");
        }
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
