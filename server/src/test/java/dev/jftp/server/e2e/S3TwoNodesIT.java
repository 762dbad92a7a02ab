package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.accounts.UsersFileAccounts;
import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Two jftpd nodes (two real {@code bin/jftpd} processes) serving one bucket, {@code
 * s3://shared/ftp}, from S3Proxy on loopback, driven with curl and Python's ftplib: a change through
 * one node is visible through the other at once; times are the objects' in UTC although the nodes
 * run in a time zone far from it; the jail holds for prefixes (keys that merely start with the same
 * characters as a home are outside it); a non-empty directory is not removed, and is renamed with
 * everything in it (the S3 backend's documented choice: object by object).
 *
 * <p>Alice comes from a users file with the home "alice" (keys {@code ftp/alice/...}); bob is a
 * {@code --user}, whose home is the whole prefix ({@code ftp/...}).
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class S3TwoNodesIT {
    private static final String BUCKET = "shared";
    private static final String STORAGE = "s3://" + BUCKET + "/ftp";
    private static final DateTimeFormatter FTP_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private static final S3TestServer S3 = new S3TestServer();
    private static JftpdProcess nodeA;
    private static JftpdProcess nodeB;
    @TempDir
    static Path work;
    private static Path local;

    /** ftplib through node B: one "KEY value" line per result; a refusal prints its reply, not a traceback. */
    private static final String NODE_B_SCRIPT = """
            import ftplib, hashlib, sys
            host, port = sys.argv[1], int(sys.argv[2])
            def attempt(what, call):
                try:
                    print(what, call())
                except ftplib.Error as e:
                    print(what, "ERR", str(e).split()[0])
            ftp = ftplib.FTP()
            ftp.connect(host, port, timeout=30)
            ftp.login("alice", "alice-pass")
            print("NLST", " ".join(sorted(ftp.nlst("docs"))))
            for name, facts in sorted(ftp.mlsd("docs", facts=["type", "size", "modify"])):
                print("MLSD", name, facts.get("type"), facts.get("size", "-"), facts.get("modify", "-"))
            print("MDTM", ftp.sendcmd("MDTM docs/report.bin"))
            digest = hashlib.sha256()
            ftp.retrbinary("RETR docs/report.bin", digest.update)
            print("SHA256", digest.hexdigest())
            print("RENAME", ftp.rename("docs/report.bin", "docs/final.bin").split()[0])
            attempt("RMD-NONEMPTY", lambda: ftp.rmd("docs"))
            print("RENAME-DIR", ftp.rename("docs", "archive").split()[0])
            print("NLST-ROOT", " ".join(sorted(ftp.nlst())))
            print("NLST-ARCHIVE", " ".join(sorted(ftp.nlst("archive"))))
            attempt("RETR-SIBLING", lambda: ftp.retrbinary("RETR ../alice-sibling.txt", print))
            attempt("RETR-SIBLING-ABS", lambda: ftp.retrbinary("RETR /../alice-sibling.txt", print))
            attempt("RETR-PREFIXX", lambda: ftp.retrbinary("RETR ../alicex/secret.txt", print))
            attempt("CWD-PREFIXX", lambda: ftp.cwd("../alicex"))
            print("PWD", ftp.pwd())
            attempt("CWD-UP", lambda: ftp.cwd(".."))
            print("PWD-AFTER-UP", ftp.pwd())
            print("NLST-AFTER-UP", " ".join(sorted(ftp.nlst())))
            print("QUIT", ftp.quit().split()[0])
            """;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        S3.start();
        S3.freshBucket(BUCKET);
        // Keys next to the prefixes, which no user may reach.
        for (String key : List.of("ftp-sibling.txt", "ftpx/secret.txt", "ftp/alice-sibling.txt", "ftp/alicex/secret.txt")) {
            S3.client().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("not yours: " + key));
        }
        local = Files.createDirectories(work.resolve("local"));
        Path users = work.resolve("jftpd.users");
        UsersFileAccounts.forWriting(users).put(new StoredAccount("alice", new PasswordHasher(1000).hash("alice-pass".toCharArray()),
                "alice", Permission.ALL, List.of()));
        Map<String, String> env = new HashMap<>(S3StorageCliIT.awsEnvironment(S3TestServer.SECRET_KEY));
        env.put("TZ", "Pacific/Kiritimati"); // UTC+14: a local time in a reply would be plainly wrong
        String[] args = {"--bind", "127.0.0.1", "--port", "0", "--users", users.toString(), "--user", "bob:bob-pass",
                "--storage", STORAGE, "--s3-endpoint", S3.endpoint().toString()};
        nodeA = JftpdProcess.start(work.resolve("a"), env, args);
        nodeB = JftpdProcess.start(work.resolve("b"), env, args);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        try {
            if (nodeA != null) {
                nodeA.close();
            }
            if (nodeB != null) {
                nodeB.close();
            }
        } finally {
            S3.close();
        }
    }

    private static String url(JftpdProcess node, String user, String path) {
        return "ftp://" + user + "@127.0.0.1:" + node.port() + "/" + path;
    }

    private static ExternalCommand.Result curl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "60"));
        command.addAll(Arrays.asList(args));
        return ExternalCommand.in(local).timeout(Duration.ofSeconds(90)).run(command);
    }

    private static String curlOk(String... args) throws IOException {
        ExternalCommand.Result result = curl(args);
        assertThat(result.exit()).as(result.describe()).isZero();
        return result.stdout();
    }

    private static Map<String, String> python(JftpdProcess node, String script) throws IOException {
        Path file = local.resolve("node-b.py");
        Files.writeString(file, script);
        ExternalCommand.Result run = ExternalCommand.in(local).timeout(Duration.ofSeconds(120))
                .run("python3", file.toString(), "127.0.0.1", Integer.toString(node.port()));
        assertThat(run.exit()).as(run.describe()).isZero();
        Map<String, String> results = new HashMap<>();
        run.stdout().lines().forEach(line -> {
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            results.merge(key, value, (a, b) -> a + "\n" + b);
        });
        return results;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anUploadThroughOneNodeIsListedDownloadedRenamedAndDeletedThroughTheOther() throws Exception {
        byte[] report = TestData.binary(3 * 1024 * 1024 + 17, 13);
        Path upload = Files.write(local.resolve("report.bin"), report);

        // Node A: curl uploads into a directory it makes.
        curlOk("--ftp-create-dirs", "-T", upload.toString(), url(nodeA, "alice:alice-pass", "docs/report.bin"));
        String expectedTime = FTP_TIME.format(S3.client().headObject(r -> r.bucket(BUCKET).key("ftp/alice/docs/report.bin")).lastModified());

        // Node B: ftplib sees it at once, byte-exact, with the object's time in UTC; renames; is jailed.
        Map<String, String> b = python(nodeB, NODE_B_SCRIPT);
        assertThat(b.get("NLST")).isEqualTo("report.bin");
        assertThat(b.get("MLSD")).isEqualTo("report.bin file " + report.length + " " + expectedTime);
        assertThat(b.get("MDTM")).isEqualTo("213 " + expectedTime);
        assertThat(b.get("SHA256")).isEqualTo(sha256(report));
        assertThat(b.get("RENAME")).isEqualTo("250");
        assertThat(b.get("RMD-NONEMPTY")).as("RMD of a non-empty directory").isEqualTo("ERR 550");
        assertThat(b.get("RENAME-DIR")).as("a non-empty directory is renamed, object by object").isEqualTo("250");
        assertThat(b.get("NLST-ROOT")).isEqualTo("archive");
        assertThat(b.get("NLST-ARCHIVE")).isEqualTo("final.bin");
        assertThat(b.get("RETR-SIBLING")).isEqualTo("ERR 550");
        assertThat(b.get("RETR-SIBLING-ABS")).isEqualTo("ERR 550");
        assertThat(b.get("RETR-PREFIXX")).isEqualTo("ERR 550");
        assertThat(b.get("CWD-PREFIXX")).isEqualTo("ERR 550");
        assertThat(b.get("PWD")).isEqualTo("/");
        assertThat(b.get("PWD-AFTER-UP")).isEqualTo("/");
        assertThat(b.get("NLST-AFTER-UP")).as("'..' of the home is the home").isEqualTo("archive");
        assertThat(b.get("QUIT")).isEqualTo("221");

        // Node A again, with curl: the rename through B is there at once, and the content with it.
        assertThat(curlOk("--list-only", url(nodeA, "alice:alice-pass", "archive/")).lines().toList()).containsExactly("final.bin");
        assertThat(curlOk("--list-only", url(nodeA, "alice:alice-pass", "")).lines().toList()).containsExactly("archive");
        Path back = local.resolve("back.bin");
        curlOk("-o", back.toString(), url(nodeA, "alice:alice-pass", "archive/final.bin"));
        assertThat(Files.readAllBytes(back)).isEqualTo(report);
        assertThat(curlOk("-I", url(nodeA, "alice:alice-pass", "archive/final.bin")))
                .contains("Content-Length: " + report.length)
                .contains("Last-Modified: "); // curl asks MDTM; its date is checked through ftplib above

        // Delete through A; gone through B at once.
        curlOk("-Q", "DELE archive/final.bin", "-Q", "RMD archive", url(nodeA, "alice:alice-pass", ""));
        assertThat(curlOk("--list-only", url(nodeB, "alice:alice-pass", "")).lines().toList()).isEmpty();
        ExternalCommand.Result gone = curl("-o", local.resolve("gone.bin").toString(), url(nodeB, "alice:alice-pass", "archive/final.bin"));
        assertThat(gone.exit()).as(gone.describe()).isNotZero();
        assertThat(S3.client().listObjectsV2(r -> r.bucket(BUCKET).prefix("ftp/alice/")).contents())
                .as("nothing of alice's but her home's marker").allSatisfy(o -> assertThat(o.key()).isEqualTo("ftp/alice/"));
    }

    @Test
    void keysThatOnlyStartLikeThePrefixAreOutsideTheJail() throws Exception {
        // bob's home is the prefix "ftp/" itself: "ftp-sibling.txt" and "ftpx/..." are not below it.
        List<String> names = curlOk("--list-only", url(nodeA, "bob:bob-pass", "")).lines().toList();
        assertThat(names).contains("alice-sibling.txt", "alicex", "alice")
                .doesNotContain("ftp-sibling.txt", "ftpx", "ftp");
        for (String outside : List.of("../ftp-sibling.txt", "%2E%2E/ftp-sibling.txt", "../ftpx/secret.txt", "%2F..%2Fftpx/secret.txt")) {
            // --path-as-is: curl sends the ".." itself (CWD ..) instead of resolving it in the URL first.
            ExternalCommand.Result refused = curl("--path-as-is", "-o", local.resolve("outside.txt").toString(), url(nodeB, "bob:bob-pass", outside));
            assertThat(refused.exit()).as("%s: %s", outside, refused.describe()).isNotZero();
            assertThat(refused.stdout()).doesNotContain("not yours");
        }
        // What is inside the prefix is served, also through the other node.
        assertThat(curlOk(url(nodeB, "bob:bob-pass", "alicex/secret.txt"))).isEqualTo("not yours: ftp/alicex/secret.txt");
        assertThat(nodeA.stderr() + nodeB.stderr()).doesNotContain(S3TestServer.SECRET_KEY);
    }
}
