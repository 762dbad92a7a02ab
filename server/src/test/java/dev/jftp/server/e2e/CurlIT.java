package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real curl against the real bin/jftpd: list, upload, byte-exact download, resume, wrong password, active mode. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CurlIT {
    /** curl's exit status for "The remote server denied curl to login" (CURLE_LOGIN_DENIED). */
    private static final int CURLE_LOGIN_DENIED = 67;

    @RegisterExtension
    static final JftpdForClient jftpd = new JftpdForClient("curl", "curl", "alice:secret");
    static Path local;

    @BeforeAll
    static void localDirectory() throws IOException {
        local = Files.createDirectories(jftpd.work().resolve("local"));
    }

    private static String url(String path) {
        return "ftp://alice:secret@127.0.0.1:" + jftpd.port() + "/" + path;
    }

    /** curl with a time limit, errors shown, and the protocol dialogue on stderr (-v). */
    private static ExternalCommand.Result curl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--verbose", "--max-time", "60"));
        command.addAll(Arrays.asList(args));
        return ExternalCommand.in(local).timeout(Duration.ofSeconds(90)).run(command);
    }

    private static ExternalCommand.Result curlOk(String... args) throws IOException {
        ExternalCommand.Result result = curl(args);
        assertThat(result.exit()).as(result.describe()).isZero();
        return result;
    }

    @Test
    void listsTheRootAndASubdirectoryInLongAndNameOnlyForm() throws IOException {
        Path dir = Files.createDirectories(jftpd.root().resolve("listing"));
        TestData.writeText(dir.resolve("notes.txt"), 3, "n");
        TestData.writeBinary(dir.resolve("data.bin"), 1234, 1);
        Files.createDirectories(dir.resolve("inner"));

        ExternalCommand.Result longList = curlOk(url("listing/"));
        List<String> lines = longList.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("-").contains(" 1234 ").endsWith(" data.bin"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("d").endsWith(" inner"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("-").endsWith(" notes.txt"));
        assertThat(longList.stderr()).contains("> CWD listing", "< 250", "> LIST", "< 226");

        ExternalCommand.Result names = curlOk("--list-only", url("listing/"));
        assertThat(names.stdout().lines().sorted().toList()).containsExactly("data.bin", "inner", "notes.txt");
        assertThat(names.stderr()).contains("> NLST");

        ExternalCommand.Result top = curlOk(url(""));
        assertThat(top.stdout().lines()).anySatisfy(l -> assertThat(l).startsWith("d").endsWith(" listing"));
    }

    @Test
    void uploadsAndDownloadsByteForByte() throws IOException {
        Path source = TestData.writeBinary(local.resolve("upload.bin"), 3 * 1024 * 1024 + 17, 2);

        ExternalCommand.Result upload = curlOk("--ftp-create-dirs", "-T", source.toString(), url("transfers/deep/upload.bin"));
        assertThat(upload.stderr()).contains("> MKD transfers", "> TYPE I", "> STOR upload.bin", "< 226");
        assertThat(jftpd.root().resolve("transfers/deep/upload.bin")).hasSameBinaryContentAs(source);

        Path target = local.resolve("download.bin");
        ExternalCommand.Result download = curlOk("-o", target.toString(), url("transfers/deep/upload.bin"));
        assertThat(download.stderr()).contains("> SIZE upload.bin", "> RETR upload.bin", "< 226");
        assertThat(target).hasSameBinaryContentAs(source);
    }

    @Test
    void resumesADownloadWithContinueAt() throws IOException {
        Path served = TestData.writeBinary(jftpd.root().resolve("resume-down.bin"), 2 * 1024 * 1024 + 5, 3);
        byte[] all = Files.readAllBytes(served);
        Path partial = Files.write(local.resolve("resume-down.bin"), Arrays.copyOf(all, 700_001));

        ExternalCommand.Result resumed = curlOk("-C", "-", "-o", partial.toString(), url("resume-down.bin"));

        assertThat(resumed.stderr()).contains("> REST 700001", "< 350", "> RETR resume-down.bin", "< 226");
        assertThat(partial).hasSameBinaryContentAs(served);
    }

    @Test
    void resumesAnUploadWithContinueAt() throws IOException {
        Path source = TestData.writeBinary(local.resolve("resume-up.bin"), 1024 * 1024 + 3, 4);
        byte[] all = Files.readAllBytes(source);
        Files.write(jftpd.root().resolve("resume-up.bin"), Arrays.copyOf(all, 300_000));

        ExternalCommand.Result resumed = curlOk("-C", "-", "-T", source.toString(), url("resume-up.bin"));

        // curl asks for the size, then appends the rest (RFC 959 APPE).
        assertThat(resumed.stderr()).contains("> SIZE resume-up.bin", "< 213 300000", "> APPE resume-up.bin", "< 226");
        assertThat(jftpd.root().resolve("resume-up.bin")).hasSameBinaryContentAs(source);
    }

    @Test
    void aRangeDownloadStopsTheTransferWithAbor() throws Exception {
        Path served = TestData.writeBinary(jftpd.root().resolve("ranged.bin"), 20 * 1024 * 1024, 8);
        byte[] all = Files.readAllBytes(served);
        Path part = local.resolve("ranged-part.bin");

        // curl takes the bytes it wants, then aborts the rest of the transfer (RFC 959 ABOR: 426, then 226).
        ExternalCommand.Result ranged = curlOk("-r", "1000-4999", "-o", part.toString(), url("ranged.bin"));

        assertThat(ranged.stderr()).contains("> REST 1000", "> RETR ranged.bin", "> ABOR", "< 426");
        assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(all, 1000, 5000));
        // The transfer log says it failed, and how far it got.
        Matcher logged = jftpd.process().awaitStderr(Pattern.compile("RETR session=\\d+ user=alice client=127\\.0\\.0\\.1 path=/ranged\\.bin bytes=(\\d+) seconds=\\S+ status=failed"), Duration.ofSeconds(10));
        assertThat(logged).as(jftpd.process().stderr()).isNotNull();
        assertThat(Long.parseLong(logged.group(1))).isBetween(4000L, (long) all.length - 1000);
        // The server goes on serving the whole file afterwards.
        Path whole = local.resolve("ranged-whole.bin");
        curlOk("-o", whole.toString(), url("ranged.bin"));
        assertThat(whole).hasSameBinaryContentAs(served);
    }

    @Test
    void aWrongPasswordIsLoginDenied() throws IOException {
        ExternalCommand.Result denied = curl("ftp://alice:wrong@127.0.0.1:" + jftpd.port() + "/");

        assertThat(denied.exit()).as(denied.describe()).isEqualTo(CURLE_LOGIN_DENIED);
        assertThat(denied.stderr()).contains("< 530");

        // ... and the right one still works afterwards.
        curlOk(url(""));
    }

    @Test
    void worksInActiveMode() throws IOException {
        Path source = TestData.writeBinary(local.resolve("active.bin"), 512 * 1024 + 1, 5);

        ExternalCommand.Result upload = curlOk("--ftp-port", "127.0.0.1", "-T", source.toString(), url("active/active.bin"), "--ftp-create-dirs");
        assertThat(upload.stderr()).containsAnyOf("> EPRT |1|127.0.0.1|", "> PORT 127,0,0,1,");
        assertThat(upload.stderr()).doesNotContain("> EPSV", "> PASV");
        assertThat(jftpd.root().resolve("active/active.bin")).hasSameBinaryContentAs(source);

        Path target = local.resolve("active-down.bin");
        curlOk("--ftp-port", "127.0.0.1", "-o", target.toString(), url("active/active.bin"));
        assertThat(target).hasSameBinaryContentAs(source);

        ExternalCommand.Result list = curlOk("--ftp-port", "127.0.0.1", url("active/"));
        assertThat(list.stdout().lines()).singleElement().satisfies(l -> assertThat(l).endsWith(" active.bin"));
    }

    @Test
    void utf8NamesWithSpacesTravelBothWays() throws IOException {
        Path source = TestData.writeBinary(local.resolve("ünï côdé.bin"), 40_000, 6);
        // In the URL the names are percent-encoded UTF-8; on the wire and on disk they are UTF-8 (RFC 2640).
        String dir = "d%C3%AEr%20with%20sp%C3%A2ces/";
        String file = "%C3%BCn%C3%AF%20c%C3%B4d%C3%A9.bin";

        ExternalCommand.Result upload = curlOk("--ftp-create-dirs", "-T", source.toString(), url(dir + file));
        assertThat(upload.stderr()).contains("> MKD dîr with spâces", "> STOR ünï côdé.bin");
        assertThat(jftpd.root().resolve("dîr with spâces/ünï côdé.bin")).hasSameBinaryContentAs(source);

        ExternalCommand.Result names = curlOk("--list-only", url(dir));
        assertThat(names.stdout().lines()).containsExactly("ünï côdé.bin");
        Path target = local.resolve("back.bin");
        curlOk("-o", target.toString(), url(dir + file));
        assertThat(target).hasSameBinaryContentAs(source);
    }

    @Test
    void worksOverIpv6InPassiveAndActiveMode(@TempDir Path v6work) throws Exception {
        assumeTrue(ipv6LoopbackUsable(), "IPv6 loopback (::1) is not usable on this machine");
        Path v6root = Files.createDirectories(v6work.resolve("root"));
        try (JftpdProcess v6 = JftpdProcess.start(v6work, "--bind", "::1", "--port", "0", "--root", v6root.toString(), "--user", "six:pw")) {
            assertThat(v6.stdoutLines()).containsExactly("jftpd listening on [::1]:" + v6.port());
            String base = "ftp://six:pw@[::1]:" + v6.port() + "/";
            Path source = TestData.writeBinary(local.resolve("six.bin"), 300_000, 7);

            ExternalCommand.Result upload = curlOk("-g", "-T", source.toString(), base + "six.bin");
            assertThat(upload.stderr()).contains("> EPSV", "< 229", "> STOR six.bin", "< 226");
            assertThat(v6root.resolve("six.bin")).hasSameBinaryContentAs(source);

            Path target = local.resolve("six-back.bin");
            ExternalCommand.Result download = curlOk("-g", "--ftp-port", "::1", "-o", target.toString(), base + "six.bin");
            assertThat(download.stderr()).contains("> EPRT |2|::1|", "< 200", "> RETR six.bin", "< 226");
            assertThat(target).hasSameBinaryContentAs(source);
        }
    }

    private static boolean ipv6LoopbackUsable() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void deletesRenamesAndMakesDirectoriesWithQuote() throws IOException {
        Files.createDirectories(jftpd.root().resolve("quote"));
        TestData.writeText(jftpd.root().resolve("quote/victim.txt"), 2, "v");
        TestData.writeText(jftpd.root().resolve("quote/old.txt"), 2, "o");

        curlOk("-Q", "DELE quote/victim.txt", "-Q", "RNFR quote/old.txt", "-Q", "RNTO quote/new.txt", "-Q", "MKD quote/made", url("quote/"));

        assertThat(jftpd.root().resolve("quote/victim.txt")).doesNotExist();
        assertThat(jftpd.root().resolve("quote/old.txt")).doesNotExist();
        assertThat(Files.readString(jftpd.root().resolve("quote/new.txt"))).isEqualTo(TestData.text(2, "o"));
        assertThat(jftpd.root().resolve("quote/made")).isDirectory();

        // A DELE of a missing file is an error curl reports (exit 21, CURLE_QUOTE_ERROR).
        ExternalCommand.Result missing = curl("-Q", "DELE quote/victim.txt", url("quote/"));
        assertThat(missing.exit()).as(missing.describe()).isEqualTo(21);
        assertThat(missing.stderr()).contains("< 550");
    }
}
