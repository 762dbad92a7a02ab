package dev.jftp.server.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Renames on S3, which has none: server-side copies (no byte passes through this server) and then
 * deletes. One CopyObject per object up to {@link S3Settings#multipartCopyAbove()} (S3 refuses a
 * single copy above 5 GiB), a multipart copy of ranges (UploadPartCopy, several at once) above.
 *
 * <p>A directory moves object by object: a page of keys below it is copied, then that page is
 * deleted, then the next page; memory holds one page. No object is deleted before its copy exists,
 * so a failure half-way leaves every file under one name or the other (both directories then hold
 * some), and the log says how far it got. Progress is logged every few seconds for long moves.
 */
final class ObjectCopier {
    private static final Logger log = LoggerFactory.getLogger(ObjectCopier.class);
    /** Copies (or part copies) running at once for one rename. */
    private static final int PARALLEL = 8;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final S3Client client;
    private final String bucket;
    private final S3Settings settings;

    ObjectCopier(S3Client client, String bucket, S3Settings settings) {
        this.client = client;
        this.bucket = bucket;
        this.settings = settings;
    }

    /**
     * Copies one object; {@code eTag} pins the source, so that an object replaced meanwhile fails the
     * copy (412) instead of being half copied or copied in a newer version than the one looked at.
     */
    void copy(String from, String to, long size, String eTag, String virtualPath) throws IOException {
        try {
            if (size <= settings.multipartCopyAbove()) {
                client.copyObject(r -> r.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to)
                        .copySourceIfMatch(eTag));
            } else {
                multipartCopy(from, to, size, eTag, virtualPath);
            }
        } catch (SdkException e) {
            throw S3Errors.translate(e, virtualPath, "copy");
        }
    }

    private void multipartCopy(String from, String to, long size, String eTag, String virtualPath) throws IOException {
        long partBytes = Math.max(settings.copyPartSize(), ceilDiv(size, S3Settings.MAX_PARTS));
        int parts = (int) ceilDiv(size, partBytes);
        String uploadId = client.createMultipartUpload(r -> r.bucket(bucket).key(to).checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        boolean completed = false;
        try {
            CompletedPart[] done = new CompletedPart[parts];
            List<IoTask> tasks = new ArrayList<>(parts);
            for (int i = 0; i < parts; i++) {
                int number = i + 1;
                long first = i * partBytes;
                long last = Math.min(size, first + partBytes) - 1;
                tasks.add(() -> {
                    try {
                        UploadPartCopyResponse r = client.uploadPartCopy(c -> c.sourceBucket(bucket).sourceKey(from)
                                .destinationBucket(bucket).destinationKey(to).uploadId(uploadId).partNumber(number)
                                .copySourceRange("bytes=" + first + "-" + last).copySourceIfMatch(eTag));
                        done[number - 1] = CompletedPart.builder().partNumber(number).eTag(r.copyPartResult().eTag())
                                .checksumCRC32(r.copyPartResult().checksumCRC32()).build();
                    } catch (SdkException e) {
                        throw S3Errors.translate(e, virtualPath, "copy of part " + number);
                    }
                });
            }
            inParallel(tasks);
            client.completeMultipartUpload(r -> r.bucket(bucket).key(to).uploadId(uploadId).multipartUpload(m -> m.parts(done)));
            completed = true;
            log.debug("S3 copy of {} ({} bytes) in {} parts", virtualPath, size, parts);
        } finally {
            if (!completed) {
                try {
                    client.abortMultipartUpload(r -> r.bucket(bucket).key(to).uploadId(uploadId));
                } catch (SdkException e) {
                    log.warn("S3 copy of {} failed and its abort too ({}): the stale-upload clean-up removes its parts later",
                            virtualPath, e.getMessage());
                }
            }
        }
    }

    /** Moves every object below {@code fromPrefix} to the same name below {@code toPrefix}. */
    void moveTree(String fromPrefix, String toPrefix, String fromPath, String toPath) throws IOException {
        long started = System.nanoTime();
        long lastReport = started;
        long moved = 0;
        long bytes = 0;
        String token = null;
        try {
            do {
                String after = token;
                ListObjectsV2Response page;
                try {
                    page = client.listObjectsV2(r -> r.bucket(bucket).prefix(fromPrefix)
                            .maxKeys(settings.listPageSize()).continuationToken(after));
                } catch (SdkException e) {
                    throw S3Errors.translate(e, fromPath, "list");
                }
                List<IoTask> copies = new ArrayList<>(page.contents().size());
                List<ObjectIdentifier> sources = new ArrayList<>(page.contents().size());
                for (S3Object object : page.contents()) {
                    String target = toPrefix + object.key().substring(fromPrefix.length());
                    copies.add(() -> copy(object.key(), target, object.size(), object.eTag(), fromPath));
                    sources.add(ObjectIdentifier.builder().key(object.key()).build());
                    bytes += object.size();
                }
                inParallel(copies);
                deleteAll(sources, fromPath);
                moved += sources.size();
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
                if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
                    lastReport = System.nanoTime();
                    log.info("renaming {} to {}: {} objects moved so far", fromPath, toPath, moved);
                }
            } while (token != null);
        } catch (IOException | RuntimeException e) {
            log.warn("renaming {} to {} stopped after {} objects: the files are partly under each name ({})",
                    fromPath, toPath, moved, e.toString());
            throw e;
        }
        log.info("renamed directory {} to {}: {} objects, {} bytes, in {} ms", fromPath, toPath, moved, bytes,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void deleteAll(List<ObjectIdentifier> keys, String virtualPath) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        DeleteObjectsResponse response;
        try {
            response = client.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
        } catch (SdkException e) {
            throw S3Errors.translate(e, virtualPath, "delete");
        }
        if (!response.errors().isEmpty()) {
            throw new FileSystemException(virtualPath, null, response.errors().size()
                    + " objects could not be deleted after their copy (" + response.errors().get(0).code() + ")");
        }
    }

    interface IoTask {
        void run() throws IOException;
    }

    /** Runs the tasks on virtual threads, {@link #PARALLEL} at a time; the first failure is thrown. */
    private static void inParallel(List<IoTask> tasks) throws IOException {
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        Semaphore slots = new Semaphore(PARALLEL);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> running = new ArrayList<>(tasks.size());
            for (IoTask task : tasks) {
                running.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        task.run();
                        return null;
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<Void> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    running.forEach(r -> r.cancel(true));
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("copy failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running.forEach(r -> r.cancel(true));
                    throw new InterruptedIOException("interrupted while copying");
                }
            }
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
