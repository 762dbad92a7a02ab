package dev.jftp.server.testing;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A real S3 API server on loopback for tests: S3Proxy in-process, on a free port of 127.0.0.1, with
 * its transient (in-memory) store or its filesystem store in a temporary directory, signature
 * checking on (V2 or V4) with fixed test credentials, and S3's 5 MiB minimum for every part but the
 * last enforced as AWS does.
 *
 * <p>Usable as a JUnit 5 extension ({@code @RegisterExtension static final S3TestServer s3 = new
 * S3TestServer();}, started once per class) or by hand ({@link #start()} / {@link #close()}), e.g.
 * for two jftpd nodes sharing one bucket. {@link #faults()} makes the server misbehave on purpose:
 * answer 503 SlowDown, or cut a download after some bytes.
 */
public final class S3TestServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    public static final String ACCESS_KEY = "jftp-test-access-key";
    public static final String SECRET_KEY = "jftp-test-secret-key";
    public static final String REGION = "us-east-1";

    private final Faults faults = new Faults();
    private final boolean onDisk;
    private Path directory;
    private BlobStore backend;
    private S3Proxy proxy;
    private S3Client client;
    private URI endpoint;

    /** Objects kept in memory (S3Proxy's transient store): fast, for most tests. */
    public S3TestServer() {
        this(false);
    }

    /**
     * @param onDisk objects kept as files in a temporary directory (S3Proxy's filesystem store),
     *               for data larger than a test should hold in memory
     */
    public S3TestServer(boolean onDisk) {
        this.onDisk = onDisk;
    }

    /** Starts the server (idempotent). */
    public S3TestServer start() throws Exception {
        if (proxy != null) {
            return this;
        }
        if (onDisk) {
            directory = Files.createTempDirectory("jftp-s3proxy");
            backend = new FilesystemNio2BlobStore(directory.toString());
        } else {
            backend = new TransientNio2BlobStore();
        }
        BlobStore store = new FaultyBlobStore(backend, faults);
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        client = newClient();
        return this;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The credentials as a client would be handed them. */
    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** A client of the tests' own, to arrange and to check what the code under test did. */
    public S3Client client() {
        return client;
    }

    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** Creates a bucket, or empties it when it exists already (objects and multipart uploads). */
    public void freshBucket(String bucket) {
        if (client.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket))) {
            client.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads()
                    .forEach(u -> client.abortMultipartUpload(a -> a.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
            client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()
                    .forEach(o -> client.deleteObject(d -> d.bucket(bucket).key(o.key())));
        } else {
            client.createBucket(b -> b.bucket(bucket));
        }
    }

    /**
     * Stores an object straight into the server's store, without HTTP: to fill a bucket with many
     * keys quickly when the test is about something else (listing them, say).
     */
    public void putDirectly(String bucket, String key, byte[] content) {
        putDirectly(bucket, key, new ByteArrayInputStream(content), content.length);
    }

    /** As {@link #putDirectly(String, String, byte[])}, streamed: for objects too large to hold. */
    public void putDirectly(String bucket, String key, InputStream content, long length) {
        backend.putBlob(PutObjectRequest.builder().bucket(bucket).key(key).contentLength(length).build(), content);
    }

    /** Deletes a bucket with everything in it (objects, multipart uploads), straight in the store. */
    public void deleteBucketDirectly(String bucket) {
        backend.deleteContainer(bucket);
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public void close() throws Exception {
        if (proxy == null) {
            return;
        }
        try {
            client.close();
            proxy.stop();
        } finally {
            proxy = null;
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Misbehaviour on demand, and a record of what the server was asked. */
    public static final class Faults {
        private final Map<String, AtomicInteger> slowDowns = new ConcurrentHashMap<>();
        private final AtomicLong cutDownloadAfter = new AtomicLong(-1);
        private final List<String> ranges = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        /** The next {@code count} requests of any kind are answered 503 SlowDown. */
        public void slowDownNext(int count) {
            slowDown(ANY, count);
        }

        /** The next {@code count} calls of one operation ("uploadMultipartPart", ...) are answered 503 SlowDown. */
        public void slowDown(String operation, int count) {
            slowDowns.put(operation, new AtomicInteger(count));
        }

        /** The next download's body breaks off after {@code bytes} bytes (the connection is cut). */
        public void cutNextDownloadAfter(long bytes) {
            cutDownloadAfter.set(bytes);
        }

        /** The Range header of every GetObject since the last {@link #reset()} ("" for none). */
        public List<String> ranges() {
            return List.copyOf(ranges);
        }

        /** How often an operation reached the store ("getBlob", "uploadMultipartPart", ...). */
        public int calls(String operation) {
            AtomicInteger n = calls.get(operation);
            return n == null ? 0 : n.get();
        }

        public void reset() {
            slowDowns.clear();
            cutDownloadAfter.set(-1);
            ranges.clear();
            calls.clear();
        }

        private static final String ANY = "*";

        private static boolean takeOne(AtomicInteger left) {
            return left != null && left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }

        void enter(String operation) {
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            if (takeOne(slowDowns.get(operation)) || takeOne(slowDowns.get(ANY))) {
                throw S3Exception.builder()
                        .statusCode(503)
                        .message("Please reduce your request rate.")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown")
                                .errorMessage("Please reduce your request rate.").build())
                        .build();
            }
        }
    }

    /** Passes every call to the real store, after {@link Faults#enter}. */
    private static final class FaultyBlobStore extends ForwardingBlobStore {
        private final Faults faults;

        FaultyBlobStore(BlobStore delegate, Faults faults) {
            super(delegate);
            this.faults = faults;
        }

        @Override
        public long getMinimumMultipartPartSize() {
            return 5L * 1024 * 1024;
        }

        @Override
        public ListObjectsV2Response list(
                ListObjectsV2Request request) {
            faults.enter("list");
            return super.list(request);
        }

        @Override
        public HeadObjectResponse blobMetadata(
                HeadObjectRequest request) {
            faults.enter("blobMetadata");
            return super.blobMetadata(request);
        }

        @Override
        public PutObjectResponse putBlob(
                PutObjectRequest request, InputStream in) {
            faults.enter("putBlob");
            return super.putBlob(request, in);
        }

        @Override
        public UploadPartResponse uploadMultipartPart(
                MultipartUpload upload,
                UploadPartRequest request, InputStream in) {
            faults.enter("uploadMultipartPart");
            return super.uploadMultipartPart(upload, request, in);
        }

        @Override
        public CompleteMultipartUploadResponse completeMultipartUpload(
                MultipartUpload upload,
                CompleteMultipartUploadRequest request) {
            faults.enter("completeMultipartUpload");
            return super.completeMultipartUpload(upload, request);
        }

        @Override
        public CopyObjectResponse copyBlob(
                CopyObjectRequest request) {
            faults.enter("copyBlob");
            return super.copyBlob(request);
        }

        /**
         * One key after the other, deepest first. S3Proxy's stores are file systems underneath and
         * delete a batch on several threads; a directory whose files and marker go at once can then
         * stay behind empty, and a delimited listing shows every directory, so it would appear as a
         * prefix with nothing below it, which S3 never shows (it has no directories).
         */
        @Override
        public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
            faults.enter("removeBlobs");
            List<String> keys = request.delete().objects().stream().map(ObjectIdentifier::key)
                    .sorted(Comparator.reverseOrder()).toList();
            List<DeletedObject> deleted = new java.util.ArrayList<>(keys.size());
            for (String key : keys) {
                delegate().removeBlob(request.bucket(), key);
                deleted.add(DeletedObject.builder().key(key).build());
            }
            return DeleteObjectsResponse.builder().deleted(Boolean.TRUE.equals(request.delete().quiet()) ? List.of() : deleted).build();
        }

        @Override
        public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
            faults.enter("getBlob");
            faults.ranges.add(request.range() == null ? "" : request.range());
            ResponseInputStream<GetObjectResponse> real = super.getBlob(request);
            long cut = faults.cutDownloadAfter.getAndSet(-1);
            if (cut < 0) {
                return real;
            }
            return new ResponseInputStream<>(real.response(), new BreakingInputStream(real, cut));
        }
    }

    /** Fails with an I/O error after a number of bytes, as a connection reset would. */
    private static final class BreakingInputStream extends FilterInputStream {
        private long left;

        BreakingInputStream(InputStream in, long bytes) {
            super(in);
            this.left = bytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("injected fault: download cut");
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
