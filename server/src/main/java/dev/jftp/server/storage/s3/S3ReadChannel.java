package dev.jftp.server.storage.s3;

import dev.jftp.server.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * One object read as a stream: the first read sends one GET from the current position
 * ({@code Range: bytes=n-} after {@code position(n)}, the way FTP's REST n + RETR asks), and the
 * bytes go from the HTTP response to the caller's buffer, never through a file or a whole-object
 * buffer. Every GET carries {@code If-Match} with the ETag seen at open, so that the bytes all come
 * from the one object that was opened: a replacement meanwhile fails the read instead of mixing two
 * versions. A response that breaks off is resumed from where it stopped (that is safe for a read,
 * and the SDK does not retry a body it has handed over), a few times.
 */
final class S3ReadChannel implements SeekableByteChannel {
    private static final Logger log = LoggerFactory.getLogger(S3ReadChannel.class);
    /** Resumes of a broken response per read call before the read fails. */
    private static final int MAX_RESUMES = 3;
    /** Bytes copied at a time into a direct buffer, which an InputStream cannot fill itself. */
    private static final int SCRATCH_SIZE = 64 * 1024;

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final String virtualPath;
    private final long size;
    private final String eTag;
    private long position;
    private ResponseInputStream<GetObjectResponse> body;
    private byte[] scratch;
    private boolean open = true;

    S3ReadChannel(S3Client client, String bucket, String key, String virtualPath, long size, String eTag) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.virtualPath = virtualPath;
        this.size = size;
        this.eTag = eTag;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        for (int resumes = 0; ; resumes++) {
            if (body == null) {
                body = get(position);
            }
            try {
                int n = readBody(dst);
                if (n < 0) {
                    throw new IOException("response ended at byte " + position + " of " + size);
                }
                position += n;
                return n;
            } catch (InterruptedIOException e) {
                abortBody();
                throw e;
            } catch (IOException e) {
                abortBody();
                if (resumes >= MAX_RESUMES) {
                    log.warn("S3 download {} broke off at byte {} of {}, {} resumes failed: {}", virtualPath, position, size, resumes, e.toString());
                    throw new StorageUnavailableException("download from the storage broke off, try again later", e);
                }
                log.debug("S3 download {} broke off at byte {}: {}; resuming", virtualPath, position, e.toString());
                pause(resumes);
            }
        }
    }

    private ResponseInputStream<GetObjectResponse> get(long from) throws IOException {
        try {
            return client.getObject(r -> {
                r.bucket(bucket).key(key).ifMatch(eTag);
                if (from > 0) {
                    r.range("bytes=" + from + "-");
                }
            });
        } catch (SdkException e) {
            throw S3Errors.translate(e, virtualPath, "download");
        }
    }

    private int readBody(ByteBuffer dst) throws IOException {
        if (dst.hasArray()) {
            int n = body.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        if (scratch == null) {
            scratch = new byte[SCRATCH_SIZE];
        }
        int n = body.read(scratch, 0, Math.min(scratch.length, dst.remaining()));
        if (n > 0) {
            dst.put(scratch, 0, n);
        }
        return n;
    }

    private static void pause(int resumes) throws InterruptedIOException {
        try {
            Thread.sleep(100L << resumes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while resuming a download");
        }
    }

    /**
     * Drops the response without reading it to its end: closing it would drain the rest of the
     * object (the HTTP client's way to keep the connection), which for a large object is most of it.
     */
    private void abortBody() {
        if (body != null) {
            body.abort();
            try {
                body.close();
            } catch (IOException ignored) {
                // aborted already: nothing left to release
            }
            body = null;
        }
    }

    @Override
    public long position() {
        return position;
    }

    /** A new position takes effect at the next read, with a GET from there. */
    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        if (newPosition != position) {
            abortBody();
            position = newPosition;
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            if (body != null && position >= size) {
                try {
                    body.close(); // read to its end: the connection can be reused
                } catch (IOException e) {
                    log.debug("closing S3 response of {}: {}", virtualPath, e.toString());
                }
                body = null;
            }
            abortBody();
        }
    }
}
