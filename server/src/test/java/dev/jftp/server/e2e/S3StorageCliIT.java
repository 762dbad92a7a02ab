package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.S3TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;

/**
 * {@code bin/jftpd --storage s3://BUCKET/PREFIX --s3-endpoint URL} as an operator runs it, against
 * S3Proxy on loopback: both flags in --help, credentials from the AWS environment variables, files
 * kept as objects below the prefix, and one clear line (no secret) when the bucket cannot be used.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class S3StorageCliIT {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();
    private static final String BUCKET = "cli";
    private static final String WRONG_SECRET = "wrong-secret-0815";

    @TempDir
    Path work;

    @BeforeAll
    static void bucket() {
        S3.freshBucket(BUCKET);
    }

    /** What an operator exports for a MinIO or an AWS bucket; no EC2 metadata look-ups on this machine. */
    static Map<String, String> awsEnvironment(String secret) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_REGION", S3TestServer.REGION);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        return env;
    }

    @Test
    void helpNamesBothFlags() throws IOException {
        ExternalCommand.Result help = JftpdProcess.run(work, "", "--help");
        assertThat(help.exit()).as(help.describe()).isZero();
        assertThat(help.stdout()).contains("--storage=local|memory|s3://BUCKET/PREFIX", "--s3-endpoint=URL", "AWS_ACCESS_KEY_ID");
    }

    @Test
    void servesTheBucketBelowThePrefix() throws Exception {
        try (JftpdProcess jftpd = JftpdProcess.start(work, awsEnvironment(S3TestServer.SECRET_KEY),
                "--bind", "127.0.0.1", "--port", "0", "--user", "alice:secret",
                "--storage", "s3://" + BUCKET + "/served/here", "--s3-endpoint", S3.endpoint().toString())) {
            FTPClient ftp = new FTPClient();
            ftp.setDefaultTimeout(30_000);
            ftp.setDataTimeout(Duration.ofSeconds(30));
            ftp.connect("127.0.0.1", jftpd.port());
            assertThat(ftp.login("alice", "secret")).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            byte[] content = "kept in a bucket\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(ftp.makeDirectory("docs")).isTrue();
            assertThat(ftp.storeFile("docs/note.txt", new ByteArrayInputStream(content))).as(ftp.getReplyString()).isTrue();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertThat(ftp.retrieveFile("docs/note.txt", back)).isTrue();
            assertThat(back.toByteArray()).isEqualTo(content);
            ftp.logout();
            ftp.disconnect();

            byte[] stored = S3.client().getObject(r -> r.bucket(BUCKET).key("served/here/docs/note.txt"), ResponseTransformer.toBytes()).asByteArray();
            assertThat(stored).isEqualTo(content);
            assertThat(work.resolve("ftp-root")).as("--root holds no files with S3 storage").doesNotExist();
            assertThat(jftpd.stderr()).doesNotContain(S3TestServer.SECRET_KEY);
        }
    }

    @Test
    void aMissingBucketStopsTheStartWithOneClearLine() throws IOException {
        ExternalCommand.Result run = JftpdProcess.runWithEnvironment(work, awsEnvironment(S3TestServer.SECRET_KEY), "",
                "--bind", "127.0.0.1", "--port", "0", "--user", "a:b",
                "--storage", "s3://no-such-bucket/x", "--s3-endpoint", S3.endpoint().toString());
        assertThat(run.exit()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr()).contains("jftpd: cannot start: cannot use s3://no-such-bucket/x/ at " + S3.endpoint() + ": no such bucket");
        assertThat(run.stdout()).doesNotContain("listening");
    }

    @Test
    void wrongCredentialsStopTheStartWithoutShowingTheSecret() throws IOException {
        ExternalCommand.Result run = JftpdProcess.runWithEnvironment(work, awsEnvironment(WRONG_SECRET), "",
                "--bind", "127.0.0.1", "--port", "0", "--user", "a:b",
                "--storage", "s3://" + BUCKET + "/x", "--s3-endpoint", S3.endpoint().toString());
        assertThat(run.exit()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr()).contains("jftpd: cannot start: cannot use s3://" + BUCKET + "/x/", "access denied")
                .doesNotContain(WRONG_SECRET);
    }

    @Test
    void badStorageOptionsAreRefusedBeforeAnythingStarts() throws IOException {
        ExternalCommand.Result endpointAlone = JftpdProcess.run(work, "", "--port", "0", "--s3-endpoint", "http://127.0.0.1:9000");
        assertThat(endpointAlone.exit()).isEqualTo(2);
        assertThat(endpointAlone.stderr()).contains("--s3-endpoint goes with --storage s3://BUCKET/PREFIX");

        ExternalCommand.Result secretInEndpoint = JftpdProcess.run(work, "", "--port", "0", "--storage", "s3://b/p",
                "--s3-endpoint", "http://key:" + WRONG_SECRET + "@127.0.0.1:9000");
        assertThat(secretInEndpoint.exit()).isEqualTo(2);
        assertThat(secretInEndpoint.stderr()).contains("must not hold credentials").doesNotContain(WRONG_SECRET);

        ExternalCommand.Result dotDot = JftpdProcess.run(work, "", "--port", "0", "--storage", "s3://b/../other");
        assertThat(dotDot.exit()).isEqualTo(2);
        assertThat(dotDot.stderr()).contains("'.' and '..' are not allowed");
    }
}
