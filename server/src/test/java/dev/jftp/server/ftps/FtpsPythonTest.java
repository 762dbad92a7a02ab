package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * Python's {@code ftplib.FTP_TLS} against jftpd. Its {@code ntransfercmd} wraps data connections
 * without {@code session=}, so stock FTP_TLS never resumes the control session and PROT P
 * transfers are refused (as by vsftpd and FileZilla Server); the usual three-line subclass that
 * passes {@code session=self.sock.session} works, under TLS 1.3 and 1.2; so does stock FTP_TLS
 * with {@code --tls-session-reuse=optional}.
 */
@Timeout(120)
class FtpsPythonTest {
    private static final String SCRIPT = """
            import ftplib, ssl, sys
            port, mode, version, cafile = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

            class ReusingFTP_TLS(ftplib.FTP_TLS):
                def ntransfercmd(self, cmd, rest=None):
                    conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
                    if self._prot_p:
                        conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
                    return conn, size

            context = ssl.create_default_context(cafile=cafile)
            if version == "1.2":
                context.maximum_version = ssl.TLSVersion.TLSv1_2
            ftp = (ReusingFTP_TLS if mode == "reuse" else ftplib.FTP_TLS)(context=context, timeout=30)
            ftp.connect("127.0.0.1", port)
            ftp.login("alice", "secret")
            ftp.prot_p()
            print("protocol", ftp.sock.version())
            try:
                with open("local.bin", "rb") as f:
                    ftp.storbinary("STOR up.bin", f)
                print("names", ",".join(sorted(ftp.nlst())))
                lines = []
                ftp.retrlines("LIST", lines.append)
                print("list", len(lines))
                with open("down.bin", "wb") as f:
                    ftp.retrbinary("RETR up.bin", f.write)
                with open("tail.bin", "wb") as f:
                    ftp.retrbinary("RETR up.bin", f.write, rest=1000000)
                with open("local.bin", "rb") as f:
                    f.seek(2000000)
                    ftp.storbinary("STOR half.bin", f, rest=2000000)
                print("done")
            except ftplib.all_errors as e:
                print("error", type(e).__name__, e)
                try:
                    print("reply", ftp.getresp())
                except ftplib.all_errors as r:
                    print("reply", r)
            ftp.quit()
            """;

    /** The server's root is made in here. */
    @TempDir
    Path dir;
    /** Where python3 runs. */
    @TempDir
    Path work;

    @BeforeEach
    void peer() throws IOException {
        ExternalCommand.assumeInstalled("python3", "python3");
        Files.writeString(work.resolve("client.py"), SCRIPT, StandardCharsets.UTF_8);
    }

    private ExternalCommand.Result python(RunningServer server, String mode, String version) throws Exception {
        return ExternalCommand.in(work).timeout(Duration.ofSeconds(90)).run(List.of("python3", "client.py", Integer.toString(server.port()), mode, version,
                server.certificateFile().toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.3", "1.2"})
    void ftpTlsThatPassesTheControlSessionTransfersByteExactWithProtP(String version) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity())) {
            byte[] content = new byte[4 * 1024 * 1024 + 1];
            new Random(3).nextBytes(content);
            Files.write(work.resolve("local.bin"), content);
            Files.write(server.root().resolve("half.bin"), Arrays.copyOf(content, 2_000_000));

            ExternalCommand.Result run = python(server, "reuse", version);
            assertThat(run.exit()).as(run.describe()).isZero();
            assertThat(run.stdout()).as(run.describe())
                    .contains("protocol TLSv" + version)
                    .contains("names half.bin,up.bin")
                    .contains("list 2")
                    .contains("done");
            assertThat(Files.readAllBytes(server.root().resolve("up.bin"))).isEqualTo(content);
            assertThat(Files.readAllBytes(work.resolve("down.bin"))).isEqualTo(content);
            assertThat(Files.readAllBytes(work.resolve("tail.bin"))).isEqualTo(Arrays.copyOfRange(content, 1_000_000, content.length));
            assertThat(Files.readAllBytes(server.root().resolve("half.bin"))).isEqualTo(content);
        }
    }

    /**
     * With --tls-session-reuse=optional, plain {@code ftplib.FTP_TLS} with {@code prot_p()} works:
     * its data connections make TLS sessions of their own (README: the trade-off).
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.3", "1.2"})
    void stockFtpTlsTransfersByteExactWhenSessionReuseIsOptional(String version) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, tls -> tls.withSessionReuseRequired(false))) {
            byte[] content = new byte[4 * 1024 * 1024 + 1];
            new Random(5).nextBytes(content);
            Files.write(work.resolve("local.bin"), content);
            Files.write(server.root().resolve("half.bin"), Arrays.copyOf(content, 2_000_000));

            ExternalCommand.Result run = python(server, "stock", version);
            assertThat(run.exit()).as(run.describe()).isZero();
            assertThat(run.stdout()).as(run.describe())
                    .contains("protocol TLSv" + version)
                    .contains("names half.bin,up.bin")
                    .contains("list 2")
                    .contains("done");
            assertThat(Files.readAllBytes(server.root().resolve("up.bin"))).isEqualTo(content);
            assertThat(Files.readAllBytes(work.resolve("down.bin"))).isEqualTo(content);
            assertThat(Files.readAllBytes(work.resolve("tail.bin"))).isEqualTo(Arrays.copyOfRange(content, 1_000_000, content.length));
            assertThat(Files.readAllBytes(server.root().resolve("half.bin"))).isEqualTo(content);
        }
    }

    /** The default, --tls-session-reuse=required: the same client is refused with 425. */
    @Test
    void stockFtpTlsDoesNotResumeTheSessionSoItsProtectedDataConnectionIsRefused() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity())) {
            Files.write(work.resolve("local.bin"), new byte[1000]);
            ExternalCommand.Result run = python(server, "stock", "1.3");
            assertThat(run.exit()).as(run.describe()).isZero();
            assertThat(run.stdout()).as(run.describe())
                    .contains("error SSLError")
                    .contains("reply 425")
                    .contains("resume the control connection's TLS session")
                    .doesNotContain("done");
            assertThat(server.root().resolve("up.bin")).doesNotExist();
        }
    }
}
