package dev.jftp.server.storage.s3;

import static dev.jftp.server.storage.StorageContractTest.names;
import static dev.jftp.server.storage.StorageContractTest.path;
import static dev.jftp.server.storage.StorageContractTest.readText;
import static dev.jftp.server.storage.StorageContractTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.storage.StorageView;
import dev.jftp.server.testing.S3TestServer;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link S3Storage#fromUri}: credentials and region from the SDK's default chains (given here as
 * the aws.* system properties, which the chains read before the environment), the bucket checked at
 * start, and one clear reason when it cannot be used, with no secret in it.
 */
class S3StorageStartTest {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();
    private static final String WRONG_SECRET = "not-the-secret-4711";
    private static final String[] PROPERTIES = {"aws.accessKeyId", "aws.secretAccessKey", "aws.region", "aws.disableEc2Metadata"};

    private final Map<String, String> saved = new HashMap<>();

    @BeforeAll
    static void bucket() {
        S3.freshBucket("start");
    }

    @BeforeEach
    void credentials() {
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
        }
        System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
        // Never ask an EC2 metadata service (a link-local address, not this machine) for anything.
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    @AfterEach
    void restore() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    void startsFromTheDefaultChainsWithAnEndpoint() throws IOException {
        try (S3Storage storage = S3Storage.fromUri("s3://start/ftp/root", Optional.of(S3.endpoint()))) {
            assertThat(storage.describe()).isEqualTo("s3://start/ftp/root/ at " + S3.endpoint());
            StorageView view = storage.open("");
            write(view, "/hello.txt", "hello");
            assertThat(readText(view, "/hello.txt")).isEqualTo("hello");
        }
        assertThat(S3.client().headObject(r -> r.bucket("start").key("ftp/root/hello.txt")).contentLength()).isEqualTo(5);
    }

    @Test
    void aMissingBucketIsOneClearLine() {
        assertThatThrownBy(() -> S3Storage.fromUri("s3://no-such-bucket/x", Optional.of(S3.endpoint())))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot use s3://no-such-bucket/x/ at " + S3.endpoint() + ": no such bucket");
    }

    @Test
    void wrongCredentialsSayAccessDeniedWithoutTheSecret() {
        System.setProperty("aws.secretAccessKey", WRONG_SECRET);
        assertThatThrownBy(() -> S3Storage.fromUri("s3://start/x", Optional.of(S3.endpoint())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("access denied")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WRONG_SECRET, S3TestServer.SECRET_KEY));
    }

    @Test
    void missingCredentialsAreNamed() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        assertThatThrownBy(() -> S3Storage.fromUri("s3://start/x", Optional.of(S3.endpoint())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no AWS credentials")
                .hasMessageContaining("AWS_ACCESS_KEY_ID");
    }

    @Test
    void anUnreachableServiceIsNamed() {
        assertThatThrownBy(() -> S3Storage.fromUri("s3://start/x", Optional.of(URI.create("http://127.0.0.1:1"))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach s3://start/x/ at http://127.0.0.1:1");
    }

    @Test
    void badArgumentsAreRefusedWithoutEchoingSecrets() {
        assertThatThrownBy(() -> S3Storage.fromUri("s3://start/x", Optional.of(URI.create("http://user:" + WRONG_SECRET + "@127.0.0.1:9000"))))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WRONG_SECRET));
        assertThatThrownBy(() -> S3Storage.fromUri("s3://start/x", Optional.of(URI.create("ftp://127.0.0.1"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3Storage.fromUri("/local/dir", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://BUCKET/PREFIX");
    }

    @Test
    void twoNodesOnOneBucketSeeEachOthersChangesAtOnce() throws IOException {
        try (S3Storage one = S3Storage.fromUri("s3://start/shared", Optional.of(S3.endpoint()));
             S3Storage two = S3Storage.fromUri("s3://start/shared", Optional.of(S3.endpoint()))) {
            StorageView a = one.open("team");
            StorageView b = two.open("team");
            write(a, "/from-one.txt", "written on node one");
            assertThat(readText(b, "/from-one.txt")).isEqualTo("written on node one");
            b.rename(path("/from-one.txt"), path("/renamed-on-two.txt"));
            assertThat(names(a, "/")).containsExactly("renamed-on-two.txt");
            a.delete(path("/renamed-on-two.txt"));
            assertThat(names(b, "/")).isEmpty();
        }
    }
}
