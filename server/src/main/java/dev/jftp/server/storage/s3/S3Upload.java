package dev.jftp.server.storage.s3;

import dev.jftp.server.storage.StorageUnavailableException;
import dev.jftp.server.storage.UploadSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An upload streamed to S3 in bounded memory, written on the SDK's low-level calls (the SDK's own
 * multipart client signs {@code x-amz-mp-object-size}, which S3Proxy refuses, and it sizes its
 * buffers itself).
 *
 * <p>Bytes fill a small buffer first; a file that fits in it, or in one part, is sent at
 * {@link #commit()} by a single PutObject. A larger one becomes a multipart upload: each full part
 * buffer is sent by UploadPart on a virtual thread while the next one fills, at most
 * {@link S3Settings#partsPerUpload()} buffers per upload, all drawn from the storage's shared
 * {@link UploadMemory}. The object appears only when {@link #commit()} completes the upload, which
 * is S3's own atomic replace: the old object stays whole until then. {@link #close()} without a
 * commit aborts the multipart upload, after the parts still being sent have ended (a part that
 * lands after an abort would be left behind). Parts are sent with a CRC32 checksum, declared when
 * the upload is created, and the request bodies are read from the buffers again for a retry.
 */
final class S3Upload implements UploadSink {
    private static final Logger log = LoggerFactory.getLogger(S3Upload.class);
    private static final String OCTET_STREAM = "application/octet-stream";

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final String virtualPath;
    private final S3Settings settings;
    private final UploadMemory memory;
    private final ExecutorService senders;
    /** Part buffers this upload holds: the one filling plus those being sent. */
    private final Semaphore ownParts;
    private final Channel channel = new Channel();
    private final List<Future<?>> sending = new ArrayList<>();
    private final List<CompletedPart> sent = new ArrayList<>();
    private byte[] buffer;
    private boolean bufferIsPart;
    private int filled;
    private String uploadId;
    private int partsStarted;
    private volatile IOException failure;
    private boolean committed;
    private boolean closed;

    S3Upload(S3Client client, String bucket, String key, String virtualPath, S3Settings settings,
             UploadMemory memory, ExecutorService senders) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.virtualPath = virtualPath;
        this.settings = settings;
        this.memory = memory;
        this.senders = senders;
        this.ownParts = new Semaphore(settings.partsPerUpload());
    }

    @Override
    public WritableByteChannel channel() {
        return channel;
    }

    private int write(ByteBuffer src) throws IOException {
        if (closed || committed) {
            throw new ClosedChannelException();
        }
        throwIfFailed();
        int written = src.remaining();
        while (src.hasRemaining()) {
            if (buffer == null) {
                if (partsStarted == 0) {
                    buffer = memory.takeSmall(settings.memoryWait());
                } else {
                    buffer = takePartBuffer();
                    bufferIsPart = true;
                }
                filled = 0;
            } else if (filled == buffer.length) {
                if (!bufferIsPart) {
                    growToPart();
                } else {
                    sendPart(); // full, and more bytes follow: it is not the last part
                    continue;
                }
            }
            int n = Math.min(src.remaining(), buffer.length - filled);
            src.get(buffer, filled, n);
            filled += n;
        }
        return written;
    }

    /** The small buffer is full: its bytes move to a part buffer, and the small one goes back. */
    private void growToPart() throws IOException {
        byte[] part = takePartBuffer();
        System.arraycopy(buffer, 0, part, 0, filled);
        memory.give(buffer);
        buffer = part;
        bufferIsPart = true;
    }

    private byte[] takePartBuffer() throws IOException {
        try {
            if (!ownParts.tryAcquire(settings.memoryWait().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StorageUnavailableException("the storage does not take the upload's parts, try again later", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part to be sent");
        }
        try {
            return memory.takePart(settings.memoryWait());
        } catch (IOException | RuntimeException e) {
            ownParts.release();
            throw e;
        }
    }

    /** Hands the full (or, at commit, last) part buffer to a sender; the buffer is lent, not kept. */
    private void sendPart() throws IOException {
        if (uploadId == null) {
            try {
                uploadId = client.createMultipartUpload(r -> r.bucket(bucket).key(key)
                        .contentType(OCTET_STREAM).checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
            } catch (SdkException e) {
                throw S3Errors.translate(e, virtualPath, "upload");
            }
        }
        if (partsStarted == S3Settings.MAX_PARTS) {
            throw new FileSystemException(virtualPath, null, "too large for the storage: at most "
                    + S3Settings.MAX_PARTS + " parts of " + (settings.partSize() >> 20) + " MiB");
        }
        int number = ++partsStarted;
        byte[] part = buffer;
        int length = filled;
        buffer = null;
        filled = 0;
        sending.removeIf(Future::isDone);
        try {
            sending.add(senders.submit(() -> upload(number, part, length)));
        } catch (RuntimeException e) { // rejected: the storage is closing
            memory.give(part);
            ownParts.release();
            throw new StorageUnavailableException("the storage is shutting down", e);
        }
    }

    private void upload(int number, byte[] part, int length) {
        try {
            UploadPartResponse response = client.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(number).contentLength((long) length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                    body(part, length));
            CompletedPart done = CompletedPart.builder().partNumber(number).eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32()).build();
            synchronized (sent) {
                sent.add(done);
            }
        } catch (SdkException e) {
            fail(S3Errors.translate(e, virtualPath, "upload of part " + number));
        } catch (RuntimeException | Error e) {
            fail(new IOException("part " + number + " of " + virtualPath + " failed", e));
        } finally {
            memory.give(part);
            ownParts.release();
        }
    }

    /** A body the SDK can read as often as it sends it (a retry reads it again). */
    private static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, OCTET_STREAM);
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void throwIfFailed() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void commit() throws IOException {
        if (closed || committed) {
            throw new ClosedChannelException();
        }
        throwIfFailed();
        try {
            if (uploadId == null) {
                putWhole(); // no part was sent: all of it is in the buffer
            } else {
                if (buffer != null && filled > 0) {
                    sendPart();
                }
                awaitSending();
                throwIfFailed();
                complete();
            }
        } catch (SdkException e) {
            throw S3Errors.translate(e, virtualPath, "upload");
        }
        committed = true;
        releaseBuffer();
    }

    /** Up to one part: a single PutObject, which replaces the object atomically. */
    private void putWhole() {
        int length = buffer == null ? 0 : filled;
        RequestBody body = length == 0 ? RequestBody.empty() : body(buffer, length);
        client.putObject(r -> r.bucket(bucket).key(key).contentType(OCTET_STREAM).contentLength((long) length), body);
    }

    private void complete() {
        List<CompletedPart> parts;
        synchronized (sent) {
            parts = new ArrayList<>(sent);
        }
        parts.sort(Comparator.comparingInt(CompletedPart::partNumber));
        client.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        log.debug("S3 upload {} completed in {} parts", virtualPath, parts.size());
    }

    /** Waits for every part being sent; an interrupt is kept for later, as the parts must end first. */
    private void awaitSending() {
        boolean interrupted = false;
        for (Future<?> f : sending) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    fail(new IOException("a part of " + virtualPath + " failed", e.getCause()));
                    break;
                }
            }
        }
        sending.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseBuffer() {
        if (buffer != null) {
            memory.give(buffer);
            if (bufferIsPart) {
                ownParts.release();
            }
            buffer = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        channel.open = false;
        if (!committed) {
            awaitSending();
            if (uploadId != null) {
                try {
                    client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
                    log.debug("S3 upload {} aborted after {} parts", virtualPath, partsStarted);
                } catch (RuntimeException e) { // SdkException, or a client already closed
                    log.warn("S3 upload {} not committed and its abort failed ({}): the stale-upload clean-up removes its parts later",
                            virtualPath, e.getMessage());
                }
            }
        }
        releaseBuffer();
    }

    /** What the transfer writes to; closing it only ends the writing, commit or discard is the sink's. */
    private final class Channel implements WritableByteChannel {
        private volatile boolean open = true;

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            return S3Upload.this.write(src);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
