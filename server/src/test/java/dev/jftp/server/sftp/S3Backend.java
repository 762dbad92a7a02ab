package dev.jftp.server.sftp;

import dev.jftp.server.storage.s3.S3Location;
import dev.jftp.server.storage.s3.S3Settings;
import dev.jftp.server.storage.s3.S3Storage;
import dev.jftp.server.testing.S3TestServer;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.regions.Region;

/** An {@link S3Storage} on a fresh bucket of an in-process S3 server, for SFTP over S3. */
final class S3Backend {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private S3Backend() {
    }

    static S3Storage storage(S3TestServer s3) throws IOException {
        String bucket = "sftp-" + BUCKETS.incrementAndGet();
        s3.client().createBucket(b -> b.bucket(bucket));
        return S3Storage.connect(new S3Location(bucket, "jftp/"), Optional.of(s3.endpoint()), s3.credentials(),
                Region.of(S3TestServer.REGION), S3Settings.defaults());
    }
}
