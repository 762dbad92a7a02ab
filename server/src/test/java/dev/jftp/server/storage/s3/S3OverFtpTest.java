package dev.jftp.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.S3TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * FTP over a real S3 API (S3Proxy on loopback), through the production assembly: what S3 cannot do
 * (append, resume in place, modes, settable times) is refused with 502/504 and leaves the object as
 * it was; an upload cut off half-way or refused by the service leaves the old object and no
 * multipart upload behind; throttling is retried, and a service that keeps refusing is a 451;
 * times are the objects' in UTC; a non-empty directory cannot be removed but can be renamed.
 * Alice's home is the storage's prefix, so her {@code /f.txt} is the key {@code jftp/f.txt}.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class S3OverFtpTest {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();
    private static final DateTimeFormatter FTP_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    @TempDir
    Path root;

    private S3StorageFixture fixture;
    private RunningServer server;
    private ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        S3.faults().reset();
        fixture = new S3StorageFixture(S3, S3StorageFixture.testSettings());
        server = RunningServer.start(root, s -> s.withStorage(fixture.storage()));
        c = server.connectAsAlice();
        c.command("TYPE I", 200);
    }

    @AfterEach
    void stop() {
        S3.faults().reset();
        server.close();
        fixture.close();
    }

    private String key(String path) {
        return S3StorageFixture.ROOT_PREFIX + path.substring(1); // "/f.txt" is "jftp/f.txt"
    }

    private byte[] object(String path) {
        return fixture.raw().getObject(r -> r.bucket(fixture.bucket()).key(key(path)), ResponseTransformer.toBytes()).asByteArray();
    }

    private HeadObjectResponse head(String path) {
        return fixture.raw().headObject(r -> r.bucket(fixture.bucket()).key(key(path)));
    }

    private boolean exists(String path) {
        try {
            head(path);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void whatS3CannotDoIsRefusedAndTheObjectStaysAsItWas() throws IOException {
        byte[] content = "0123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(c.upload("STOR f.txt", content).code()).isEqualTo(226);
        String etag = head("/f.txt").eTag();

        assertThat(c.command("FEAT").all()).contains(" REST STREAM", " MDTM", " SIZE").doesNotContain("MFMT", "UNIX.mode");
        assertThat(c.command("SITE HELP").all()).doesNotContain("CHMOD");

        c.openData().close();
        Reply appe = c.command("APPE f.txt");
        assertThat(appe.code()).as(appe.toString()).isEqualTo(502);
        assertThat(appe.text()).contains("cannot append");

        assertThat(c.command("REST 4").code()).isEqualTo(350);
        c.openData().close();
        Reply resume = c.command("STOR f.txt");
        assertThat(resume.code()).as(resume.toString()).isEqualTo(504);
        assertThat(resume.text()).contains("send the whole file");

        Reply mfmt = c.command("MFMT 20210615083045 f.txt");
        assertThat(mfmt.code()).as(mfmt.toString()).isEqualTo(502);
        Reply chmod = c.command("SITE CHMOD 600 f.txt");
        assertThat(chmod.code()).as(chmod.toString()).isEqualTo(504);

        assertThat(object("/f.txt")).isEqualTo(content);
        assertThat(head("/f.txt").eTag()).as("the object was not rewritten").isEqualTo(etag);
        assertThat(fixture.openMultipartUploads()).isZero();
        // Reading from an offset is a ranged GET: REST + RETR works.
        assertThat(c.command("REST 4").code()).isEqualTo(350);
        assertThat(new String(c.download("RETR f.txt"), StandardCharsets.US_ASCII)).isEqualTo("456789");
        assertThat(S3.faults().ranges()).contains("bytes=4-");
    }

    @Test
    void anUploadCutOffHalfWayLeavesTheOldObjectAndNoPartsBehind() throws Exception {
        byte[] old = "the old content\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(c.upload("STOR big.bin", old).code()).isEqualTo(226);

        // More than a part (5 MiB here) goes up before the client vanishes: a multipart upload is open then.
        byte[] chunk = new byte[1024 * 1024];
        new Random(7).nextBytes(chunk);
        Socket data = c.openData();
        assertThat(c.command("STOR big.bin").code()).isEqualTo(150);
        OutputStream out = data.getOutputStream();
        for (int i = 0; i < 8; i++) {
            out.write(chunk);
        }
        out.flush();
        awaitTrue(() -> S3.faults().calls("uploadMultipartPart") >= 1, "a part was sent");
        data.setSoLinger(true, 0);
        data.close(); // a reset, not an end of file
        Reply reply = c.reply();
        assertThat(reply.code()).as(reply.toString()).isIn(426, 451);

        assertThat(object("/big.bin")).isEqualTo(old);
        assertThat(fixture.openMultipartUploads()).as("the multipart upload was aborted").isZero();
        assertThat(c.command("SIZE big.bin").text()).isEqualTo(Integer.toString(old.length));
    }

    @Test
    void throttlingIsRetriedAndAServiceThatKeepsRefusingIsA451() throws IOException {
        assertThat(c.upload("STOR slow.txt", "patience".getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(226);
        S3.faults().slowDown("getBlob", 2); // the client makes 3 attempts here
        assertThat(new String(c.download("RETR slow.txt"), StandardCharsets.US_ASCII)).isEqualTo("patience");
        S3.faults().slowDown("list", 2);
        assertThat(new String(c.download("NLST"), StandardCharsets.UTF_8)).contains("slow.txt\r\n");

        // The service answers before it reads the body, so the client sees the 503 or a broken pipe.
        S3.faults().slowDown("putBlob", 100);
        Reply refused = c.upload("STOR refused.txt", "never".getBytes(StandardCharsets.US_ASCII));
        assertThat(refused.code()).as(refused.toString()).isEqualTo(451);
        assertThat(refused.text()).doesNotContain(S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY);
        S3.faults().reset();
        assertThat(exists("/refused.txt")).isFalse();
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void timesAreTheObjectsLastModifiedInUtc() throws IOException {
        assertThat(c.upload("STOR t.txt", "time".getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(226);
        Instant modified = head("/t.txt").lastModified();
        String expected = FTP_TIME.format(modified);

        assertThat(c.command("MDTM t.txt").text()).isEqualTo(expected);
        assertThat(c.command("MLST t.txt").all()).contains("modify=" + expected);
        String mlsd = new String(c.download("MLSD"), StandardCharsets.UTF_8);
        assertThat(mlsd).contains("modify=" + expected).contains("size=4;").contains(" t.txt");
        assertThat(Duration.between(modified, Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
    }

    @Test
    void aNonEmptyDirectoryIsNotRemovedButIsRenamedWithEverythingInIt() throws IOException {
        assertThat(c.command("MKD d").code()).isEqualTo(257);
        assertThat(c.command("MKD d/sub").code()).isEqualTo(257);
        assertThat(c.upload("STOR d/a.txt", "a".getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(226);
        assertThat(c.upload("STOR d/sub/b.txt", "b".getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(226);

        Reply rmd = c.command("RMD d");
        assertThat(rmd.code()).as(rmd.toString()).isEqualTo(550);
        assertThat(rmd.text()).contains("Directory not empty");
        assertThat(object("/d/a.txt")).isEqualTo("a".getBytes(StandardCharsets.US_ASCII));

        assertThat(c.command("RNFR d").code()).isEqualTo(350);
        assertThat(c.command("RNTO e").code()).isEqualTo(250);
        assertThat(new String(c.download("NLST e"), StandardCharsets.UTF_8).lines().sorted().toList())
                .containsExactly("a.txt", "sub");
        assertThat(object("/e/sub/b.txt")).isEqualTo("b".getBytes(StandardCharsets.US_ASCII));
        assertThat(exists("/d/a.txt")).isFalse();
        assertThat(exists("/d/sub/b.txt")).isFalse();
        assertThat(c.command("CWD d").code()).isEqualTo(550);

        assertThat(c.command("DELE e/sub/b.txt").code()).isEqualTo(250);
        assertThat(c.command("RMD e/sub").code()).isEqualTo(250);
        assertThat(c.command("CWD e/sub").code()).isEqualTo(550);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
