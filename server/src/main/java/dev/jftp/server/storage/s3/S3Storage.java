package dev.jftp.server.storage.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageView;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2, B2, Wasabi, S3Proxy), below a key
 * prefix: a user's path {@code /a/b.txt} is the object {@code PREFIX/HOME/a/b.txt}.
 *
 * <p>Built once at start-up by {@link #fromUri}: the synchronous SDK client over Apache HttpClient
 * (its calls block a virtual thread, not a platform one), credentials and region from the standard
 * AWS sources, path-style addressing for a given endpoint. Start-up checks the bucket and fails with
 * one clear reason, and aborts the multipart uploads below the prefix that a crash left behind
 * (then hourly, see {@link S3Settings#staleUploadAge()}). All views share the client, the upload
 * memory budget ({@link UploadMemory}) and the threads that send parts.
 */
public final class S3Storage implements Storage {
    /** No append or resume in place, no modes, no settable times, no links; renames copy, so not atomic. */
    public static final StorageCapabilities CAPABILITIES = new StorageCapabilities(false, false, false, false, true, false, false);
    private static final Logger log = LoggerFactory.getLogger(S3Storage.class);
    private static final Duration SWEEP_EVERY = Duration.ofHours(1);

    private final S3Client client;
    private final S3Location location;
    private final S3Settings settings;
    private final String endpointText;
    private final UploadMemory memory;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final ObjectCopier copier;
    private final ScheduledExecutorService sweeper;

    private S3Storage(S3Client client, S3Location location, S3Settings settings, String endpointText) {
        this.client = client;
        this.location = location;
        this.settings = settings;
        this.endpointText = endpointText;
        this.memory = new UploadMemory(settings);
        this.copier = new ObjectCopier(client, location.bucket(), settings);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "s3-stale-uploads");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The storage for {@code --storage s3://BUCKET/PREFIX [--s3-endpoint URL]}, with the default
     * settings; see {@link #fromUri(String, Optional, S3Settings)}.
     */
    public static S3Storage fromUri(String storageUri, Optional<URI> endpoint) throws IOException {
        return fromUri(storageUri, endpoint, S3Settings.defaults());
    }

    /**
     * Connects to the bucket named by {@code storageUri}, with credentials and region from the AWS
     * SDK's default chains (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_REGION,
     * AWS_PROFILE and ~/.aws, container and instance roles). With an endpoint (any non-AWS service)
     * addressing is path-style and the region defaults to us-east-1, which such services ignore.
     *
     * @throws IllegalArgumentException for a malformed URI or endpoint
     * @throws IOException when the bucket cannot be used, with the reason (never a secret)
     */
    public static S3Storage fromUri(String storageUri, Optional<URI> endpoint, S3Settings settings) throws IOException {
        return fromUri(storageUri, endpoint, settings, RequestListener.NONE);
    }

    /** As {@link #fromUri(String, Optional, S3Settings)}, telling {@code requests} about every S3 API call. */
    public static S3Storage fromUri(String storageUri, Optional<URI> endpoint, S3Settings settings, RequestListener requests) throws IOException {
        S3Location location = S3Location.parse(storageUri);
        endpoint.ifPresent(S3Storage::checkEndpoint);
        return connect(location, endpoint, DefaultCredentialsProvider.builder().build(), region(location, endpoint), settings, requests);
    }

    /**
     * Told about each S3 API call once it ended (after the SDK's retries): its operation name
     * ("GetObject", "PutObject", ...) and whether it succeeded. For metrics; must be quick.
     */
    @FunctionalInterface
    public interface RequestListener {
        RequestListener NONE = (operation, ok) -> {
        };

        void requestEnded(String operation, boolean ok);
    }

    /**
     * For AWS: the SDK's default region chain (AWS_REGION, aws.region, the profile, then the EC2
     * instance's metadata). For another service: the same without the instance metadata, which only
     * an EC2 machine has (elsewhere it costs a timeout and traffic to 169.254.169.254), and us-east-1
     * when none is set.
     */
    private static Region region(S3Location location, Optional<URI> endpoint) throws IOException {
        try {
            return endpoint.isEmpty() ? new DefaultAwsRegionProviderChain().getRegion()
                    : new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()).getRegion();
        } catch (SdkException e) {
            if (endpoint.isEmpty()) {
                throw new IOException("no AWS region for " + location + ": set AWS_REGION (or a region in the AWS profile)");
            }
            return Region.US_EAST_1;
        }
    }

    /** As {@link #fromUri}, with the credentials and region given (tests, embedding). */
    public static S3Storage connect(S3Location location, Optional<URI> endpoint, AwsCredentialsProvider credentials,
                                    Region region, S3Settings settings) throws IOException {
        return connect(location, endpoint, credentials, region, settings, RequestListener.NONE);
    }

    /** As {@link #connect(S3Location, Optional, AwsCredentialsProvider, Region, S3Settings)}, telling {@code requests} about every call. */
    public static S3Storage connect(S3Location location, Optional<URI> endpoint, AwsCredentialsProvider credentials,
                                    Region region, S3Settings settings, RequestListener requests) throws IOException {
        endpoint.ifPresent(S3Storage::checkEndpoint);
        String where = location + endpoint.map(e -> " at " + e).orElse("");
        try {
            credentials.resolveCredentials();
        } catch (SdkException e) {
            throw new IOException("no AWS credentials for " + where + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
        }
        S3Client client = newClient(endpoint, credentials, region, settings, requests);
        S3Storage storage = new S3Storage(client, location, settings, endpoint.map(URI::toString).orElse(null));
        try {
            storage.checkBucket();
            storage.abortStaleUploads();
            storage.sweeper.scheduleWithFixedDelay(storage::sweepQuietly, SWEEP_EVERY.toMinutes(), SWEEP_EVERY.toMinutes(), TimeUnit.MINUTES);
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
        log.info("S3 storage {}: parts of {} MiB, {} MiB of upload memory ({} part buffers, {} small ones)",
                storage.describe(), settings.partSize() >> 20, storage.memory.budget() >> 20,
                storage.memory.partBuffers(), storage.memory.smallBuffers());
        return storage;
    }

    /**
     * An endpoint is http(s)://host[:port]; credentials belong in the AWS sources, not in it.
     *
     * @throws IllegalArgumentException otherwise, without repeating the endpoint (it may hold a secret)
     */
    public static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("the S3 endpoint must be an http:// or https:// URL with a host");
        }
        if (endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the S3 endpoint must not hold credentials: use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
    }

    private static S3Client newClient(Optional<URI> endpoint, AwsCredentialsProvider credentials, Region region, S3Settings settings,
                                      RequestListener requests) {
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .region(region)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(settings.maxConnections())
                        .connectionTimeout(Duration.ofSeconds(10))
                        .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                        .socketTimeout(Duration.ofSeconds(60)))
                // Throttling (503 SlowDown), 5xx, timeouts and broken connections are retried with
                // exponential backoff and jitter (100 ms base, 1 s base when throttled, at most 20 s);
                // what still fails becomes StorageUnavailableException (FTP 451).
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts()).build())
                        .addExecutionInterceptor(new ExecutionInterceptor() {
                            // once per call, after the retries: afterExecution or onExecutionFailure
                            @Override
                            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                                requests.requestEnded(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), true);
                            }

                            @Override
                            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                                requests.requestEnded(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), false);
                            }
                        }));
        endpoint.ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
        return builder.build();
    }

    /** Fails fast with the one reason the bucket cannot be used. */
    private void checkBucket() throws IOException {
        String where = describe();
        try {
            client.headBucket(r -> r.bucket(location.bucket()));
            client.listObjectsV2(r -> r.bucket(location.bucket()).prefix(location.prefix()).maxKeys(1));
        } catch (AwsServiceException e) {
            String reason = switch (e.statusCode()) {
                case 403 -> "access denied: check the credentials and the bucket's policy (list, get, put, delete objects)";
                case 404 -> "no such bucket";
                case 301, 307 -> "the bucket is in another region: set AWS_REGION to it";
                case 400 -> "the service refused the request (HTTP 400): check the region and the endpoint";
                default -> "the service answered HTTP " + e.statusCode();
            };
            throw new IOException("cannot use " + where + ": " + reason);
        } catch (SdkException e) {
            throw new IOException("cannot reach " + where + ": " + e.getMessage());
        }
    }

    /**
     * Aborts the multipart uploads below the prefix started more than {@link S3Settings#staleUploadAge()}
     * ago. An upload of this server that is neither committed nor discarded is aborted at once; what
     * remains is what a crash (a killed process, a lost machine) or a failed abort left, and this
     * removes it: at start and then every hour, so that no orphaned part outlives the age by more than
     * an hour while some node runs. Younger uploads are left alone, as they may be another node's,
     * still running. (On AWS, a lifecycle rule AbortIncompleteMultipartUpload does the same inside
     * the service; the README shows one.)
     *
     * @return how many were aborted
     */
    int abortStaleUploads() throws IOException {
        Instant cutoff = Instant.now().minus(settings.staleUploadAge());
        int aborted = 0;
        try {
            for (MultipartUpload upload : client.listMultipartUploadsPaginator(r -> r.bucket(location.bucket())
                    .prefix(location.prefix())).uploads()) {
                if (!upload.key().startsWith(location.prefix()) || upload.initiated() == null || upload.initiated().isAfter(cutoff)) {
                    continue;
                }
                client.abortMultipartUpload(r -> r.bucket(location.bucket()).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            }
        } catch (AwsServiceException e) {
            if (e.statusCode() == 403) {
                log.warn("S3 storage {}: may not list multipart uploads, so parts left by a crash stay until a lifecycle rule removes them",
                        describe());
                return aborted;
            }
            throw new IOException("cannot clean up stale uploads in " + describe() + ": HTTP " + e.statusCode(), e);
        } catch (SdkException e) {
            throw new IOException("cannot clean up stale uploads in " + describe() + ": " + e.getMessage(), e);
        }
        if (aborted > 0) {
            log.info("S3 storage {}: aborted {} multipart uploads older than {} (left by a crash or a lost connection)",
                    describe(), aborted, settings.staleUploadAge());
        }
        return aborted;
    }

    private void sweepQuietly() {
        try {
            abortStaleUploads();
        } catch (IOException | RuntimeException e) {
            log.warn("S3 storage {}: stale upload clean-up failed, next try in an hour: {}", describe(), e.getMessage());
        }
    }

    @Override
    public StorageCapabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * The files below {@code home} ("" for the prefix itself, "alice" or "/users/alice" for a
     * sub-prefix); the home's marker is made when nothing is below it yet.
     */
    @Override
    public StorageView open(String home) throws IOException {
        S3Location jail;
        try {
            jail = location.below(home);
        } catch (IllegalArgumentException e) {
            throw new FileSystemException(home, null, "not a home below the storage's prefix");
        }
        S3StorageView view = new S3StorageView(this, new ObjectKeys(jail.prefix()));
        view.makeRootIfMissing();
        return view;
    }

    @Override
    public String describe() {
        return endpointText == null ? location.toString() : location + " at " + endpointText;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("S3 storage {}: parts still being sent at close", describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }

    S3Client client() {
        return client;
    }

    String bucket() {
        return location.bucket();
    }

    S3Location location() {
        return location;
    }

    S3Settings settings() {
        return settings;
    }

    UploadMemory memory() {
        return memory;
    }

    ExecutorService senders() {
        return senders;
    }

    ObjectCopier copier() {
        return copier;
    }
}
