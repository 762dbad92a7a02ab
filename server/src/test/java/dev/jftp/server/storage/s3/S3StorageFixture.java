package dev.jftp.server.storage.s3;

import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.testing.S3TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3-specific set-up of the storage tests: a fresh bucket on the test server, an
 * {@link S3Storage} at {@code s3://BUCKET/jftp/} with sizes small enough to reach multipart uploads,
 * pagination and multipart copies with little data, and the view of user "alice" (home "alice", so
 * her files are the keys {@code jftp/alice/...}). A shared storage contract suite's S3 subclass
 * needs only this; what is checked on the raw bucket goes through {@link #raw()}.
 */
final class S3StorageFixture implements AutoCloseable {
    static final String ROOT_PREFIX = "jftp/";
    static final String HOME = "alice";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3TestServer server;
    private final String bucket;
    private final S3Storage storage;
    private final StorageView view;

    S3StorageFixture(S3TestServer server, S3Settings settings) throws IOException {
        this.server = server;
        this.bucket = "bucket-" + BUCKETS.incrementAndGet();
        server.client().createBucket(b -> b.bucket(bucket));
        this.storage = connect(settings);
        this.view = storage.open(HOME);
    }

    /**
     * Parts of 5 MiB (S3's minimum), small buffers of 64 KiB, upload memory for three parts and 16
     * small buffers, pages of 100 keys, objects above 6 MiB copied in 5 MiB parts, 3 attempts.
     */
    static S3Settings testSettings() {
        int part = S3Settings.MIN_PART_SIZE;
        int small = 64 * 1024;
        return S3Settings.defaults()
                .withPartSize(part)
                .withUploadMemory(4L * part + 16L * small, small, 3)
                .withListPageSize(100)
                .withMultipartCopy(6L * 1024 * 1024, part)
                .withMaxAttempts(3)
                .withMemoryWait(Duration.ofSeconds(20));
    }

    /** Another storage on the same bucket and prefix (a second node, or a restart). */
    S3Storage connect(S3Settings settings) throws IOException {
        return S3Storage.connect(new S3Location(bucket, ROOT_PREFIX), Optional.of(server.endpoint()),
                server.credentials(), Region.of(S3TestServer.REGION), settings);
    }

    StorageView view() {
        return view;
    }

    S3Storage storage() {
        return storage;
    }

    S3Client raw() {
        return server.client();
    }

    S3TestServer server() {
        return server;
    }

    String bucket() {
        return bucket;
    }

    /** The key of one of alice's paths ("/a/b.txt" is "jftp/alice/a/b.txt"). */
    String key(String virtualPath) {
        return ROOT_PREFIX + HOME + virtualPath;
    }

    void putRaw(String key, String content) {
        raw().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    /**
     * {@code count} small files "f00000"... in {@code directory}, each holding its own key, stored
     * straight into the test server's store (no HTTP): the quickest way to make a large directory.
     */
    void populate(VirtualPath directory, int count) {
        String prefix = directory.isRoot() ? ROOT_PREFIX + HOME + "/" : key(directory.toString()) + "/";
        for (int i = 0; i < count; i++) {
            String key = prefix + String.format("f%05d", i);
            server.putDirectly(bucket, key, key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Multipart uploads still open in this bucket (none should be left after any upload ended). */
    int openMultipartUploads() {
        return raw().listMultipartUploads(r -> r.bucket(bucket)).uploads().size();
    }

    /** Closes the storage and deletes the bucket, so that a long test class does not pile up data. */
    @Override
    public void close() {
        storage.close();
        server.deleteBucketDirectly(bucket);
    }
}
