package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FTPS with the stock clients as people run them, default settings, one client process per upload:
 * curl (OpenSSL) under TLS 1.3 and, forced, 1.2, and lftp (GnuTLS). Every upload, 1 byte to 5 MiB,
 * must arrive byte-exact; then the same clients download and list, also byte-exact, in sessions of
 * many transfers. Until data connections stopped carrying TLS 1.3 session tickets (see
 * TlsSession), 16 of 20 curl uploads of 300,007 bytes ended with 426 and a truncated file, and
 * lftp lost most of its uploads too.
 */
@Timeout(300)
class FtpsStockClientsTest {
    private static final Duration CLIENT_TIME = Duration.ofSeconds(60);
    /** From one byte to 5 MiB: a single TLS record, one short of a socket buffer, several buffers. */
    private static final int[] SIZES = {1, 1_000, 16_389, 65_536, 300_007, 1_048_583, 5 * 1024 * 1024};

    @TempDir
    static Path dir;
    private static RunningServer server;
    private static Path work;
    private static final List<Path> files = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.startFtps(dir, UnaryOperator.identity());
        work = Files.createDirectories(dir.resolve("work"));
        Random random = new Random(4217);
        for (int size : SIZES) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            files.add(Files.write(work.resolve("f" + size + ".bin"), content));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ExternalCommand.Result curl(String tlsVersion, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "50",
                "--ssl-reqd", "-k", "--tls-max", tlsVersion));
        command.addAll(List.of(args));
        return ExternalCommand.in(work).timeout(CLIENT_TIME).run(command);
    }

    private static ExternalCommand.Result lftp(String commands) throws Exception {
        return ExternalCommand.in(work).timeout(CLIENT_TIME).run(List.of("lftp",
                "-u", RunningServer.ALICE + "," + RunningServer.ALICE_PASSWORD, "-p", Integer.toString(server.port()), "-e",
                "set ssl:ca-file " + RunningServer.certificate().certificate() + "; set ftp:ssl-force true; "
                        + "set ftp:ssl-protect-data true; set net:max-retries 1; set net:timeout 30; " + commands + "; bye",
                "127.0.0.1"));
    }

    private static String url(String path) {
        return "ftp://" + RunningServer.ALICE + ":" + RunningServer.ALICE_PASSWORD + "@127.0.0.1:" + server.port() + "/" + path;
    }

    /** One upload by a new client process: it must go through, and the server must have the exact bytes. */
    private static void upload(String client, Path file, String target) throws Exception {
        Files.deleteIfExists(server.root().resolve(target));
        ExternalCommand.Result result = switch (client) {
            case "curl-tls1.3" -> curl("1.3", "-T", file.toString(), url(target));
            case "curl-tls1.2" -> curl("1.2", "-T", file.toString(), url(target));
            case "lftp" -> lftp("put " + file.getFileName() + " -o " + target);
            default -> throw new IllegalArgumentException(client);
        };
        // (lftp's exit status is that of its last command, bye: what it printed tells instead)
        assertThat(result.exit()).as(result.describe()).isZero();
        assertThat(result.stderr()).as(result.describe()).doesNotContain("rror", "failed");
        assertThat(Files.readAllBytes(server.root().resolve(target))).as(client + " upload of " + file.getFileName())
                .isEqualTo(Files.readAllBytes(file));
    }

    /** 21 uploads per client (each size three times), each by a process of its own; the first loss fails. */
    @ParameterizedTest
    @ValueSource(strings = {"curl-tls1.3", "curl-tls1.2", "lftp"})
    void everyUploadArrivesByteExact(String client) throws Exception {
        if (client.equals("lftp")) {
            ExternalCommand.assumeInstalled("lftp", "lftp");
        } else {
            ExternalCommand.assumeInstalled("curl", "curl");
        }
        for (int round = 0; round < 3; round++) {
            for (Path file : files) {
                upload(client, file, client + "-" + file.getFileName());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.3", "1.2"})
    void curlDownloadsEverySizeAndListsInOneSession(String tlsVersion) throws Exception {
        ExternalCommand.assumeInstalled("curl", "curl");
        List<String> args = new ArrayList<>();
        for (Path file : files) {
            Files.copy(file, server.root().resolve("down-" + file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            args.addAll(List.of(url("down-" + file.getFileName()), "-o", "got-" + tlsVersion + "-" + file.getFileName()));
        }
        args.addAll(List.of(url(""), "-o", "listing-" + tlsVersion));
        ExternalCommand.Result result = curl(tlsVersion, args.toArray(String[]::new));
        assertThat(result.exit()).as(result.describe()).isZero();
        for (Path file : files) {
            assertThat(Files.readAllBytes(work.resolve("got-" + tlsVersion + "-" + file.getFileName())))
                    .as(file.getFileName().toString()).isEqualTo(Files.readAllBytes(file));
        }
        assertThat(Files.readString(work.resolve("listing-" + tlsVersion))).contains("down-f5242880.bin");
    }

    @Test
    void lftpUploadsDownloadsAndListsInOneSession() throws Exception {
        ExternalCommand.assumeInstalled("lftp", "lftp");
        Path back = Files.createDirectories(work.resolve("lftp-back"));
        StringBuilder commands = new StringBuilder("mkdir -p session; cd session");
        for (Path file : files) {
            commands.append("; put ").append(file.getFileName()).append("; cls -1");
        }
        commands.append("; mget -O ").append(back).append(" *.bin; cls -l");
        ExternalCommand.Result result = lftp(commands.toString());
        assertThat(result.exit()).as(result.describe()).isZero();
        assertThat(result.stderr()).as(result.describe()).doesNotContain("rror", "failed");
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            assertThat(Files.readAllBytes(server.root().resolve("session").resolve(file.getFileName())))
                    .as("uploaded " + file.getFileName()).isEqualTo(content);
            assertThat(Files.readAllBytes(back.resolve(file.getFileName())))
                    .as("downloaded " + file.getFileName()).isEqualTo(content);
        }
        assertThat(result.stdout()).contains("f5242880.bin");
    }
}
