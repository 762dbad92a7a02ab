package dev.jftp.server.storage.s3;

import java.time.Duration;

/**
 * The tunables of the S3 backend. {@link #defaults()} suits a server; tests shrink the sizes to
 * reach multipart uploads, pagination and multipart copies with small data.
 *
 * @param partSize            bytes per multipart part (S3: at least 5 MiB; at most 10,000 parts, so
 *                            this also caps an upload at 10,000 x partSize: 78 GiB at 8 MiB)
 * @param uploadMemory        bytes of upload buffers for all uploads together; uploads wait for
 *                            memory beyond this (see {@link UploadMemory})
 * @param smallBufferSize     the first buffer of every upload; a file that fits is sent by one
 *                            PutObject from it without ever taking a whole part's memory
 * @param partsPerUpload      part buffers one upload may hold: one being filled, the others being
 *                            sent at the same time
 * @param memoryWait          how long an upload waits for a buffer before it fails (451, try later)
 * @param listPageSize        keys per ListObjectsV2 page (S3 sends at most 1,000)
 * @param multipartCopyAbove  objects larger than this are copied part by part (UploadPartCopy), as S3
 *                            refuses a single CopyObject above 5 GiB
 * @param copyPartSize        bytes per part of such a copy (grown when 10,000 parts would not do)
 * @param staleUploadAge      multipart uploads below the prefix older than this are aborted at
 *                            start and then hourly: left by a crash, or by a node that lost its
 *                            connection; younger ones may belong to another node still uploading
 * @param maxConnections      HTTP connections to the service; each download holds one for its
 *                            whole length and each part being sent one
 * @param maxAttempts         attempts per request (the SDK's standard retry strategy with backoff)
 */
public record S3Settings(
        int partSize,
        long uploadMemory,
        int smallBufferSize,
        int partsPerUpload,
        Duration memoryWait,
        int listPageSize,
        long multipartCopyAbove,
        long copyPartSize,
        Duration staleUploadAge,
        int maxConnections,
        int maxAttempts) {

    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int MAX_PARTS = 10_000;
    public static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

    public S3Settings {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size below S3's minimum of 5 MiB: " + partSize);
        }
        if (smallBufferSize < 1 || smallBufferSize >= partSize) {
            throw new IllegalArgumentException("small buffer size must be 1.." + (partSize - 1) + ": " + smallBufferSize);
        }
        if (partsPerUpload < 1) {
            throw new IllegalArgumentException("parts per upload must be at least 1: " + partsPerUpload);
        }
        if (uploadMemory < (long) partSize + smallBufferSize) {
            throw new IllegalArgumentException("upload memory must hold at least one part and one small buffer ("
                    + ((long) partSize + smallBufferSize) + " bytes): " + uploadMemory);
        }
        if (listPageSize < 1 || listPageSize > 1000) {
            throw new IllegalArgumentException("list page size must be 1..1000: " + listPageSize);
        }
        if (multipartCopyAbove < 1 || multipartCopyAbove > MAX_SINGLE_COPY) {
            throw new IllegalArgumentException("multipart copy threshold must be 1..5 GiB: " + multipartCopyAbove);
        }
        if (copyPartSize < MIN_PART_SIZE || copyPartSize > MAX_SINGLE_COPY) {
            throw new IllegalArgumentException("copy part size must be 5 MiB..5 GiB: " + copyPartSize);
        }
        if (maxConnections < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("connections and attempts must be at least 1");
        }
    }

    /**
     * Parts of 8 MiB, three per upload (one filling, two sending), upload memory a quarter of the heap
     * up to 256 MiB (the buffers are on the heap; -Xmx160m gives 40 MiB: three parts and 40 small
     * buffers), small buffers of 256 KiB, 512 connections.
     */
    public static S3Settings defaults() {
        long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
        int partSize = 8 * 1024 * 1024;
        int small = 256 * 1024;
        long memory = Math.max((long) partSize + 4L * small, Math.min(256L * 1024 * 1024, quarterHeap));
        return new S3Settings(partSize, memory, small, 3, Duration.ofMinutes(2), 1000,
                MAX_SINGLE_COPY, 512L * 1024 * 1024, Duration.ofHours(24), 512, 5);
    }

    public S3Settings withPartSize(int bytes) {
        return new S3Settings(bytes, uploadMemory, smallBufferSize, partsPerUpload, memoryWait, listPageSize,
                multipartCopyAbove, copyPartSize, staleUploadAge, maxConnections, maxAttempts);
    }

    public S3Settings withUploadMemory(long bytes, int smallBytes, int parts) {
        return new S3Settings(partSize, bytes, smallBytes, parts, memoryWait, listPageSize,
                multipartCopyAbove, copyPartSize, staleUploadAge, maxConnections, maxAttempts);
    }

    public S3Settings withMemoryWait(Duration wait) {
        return new S3Settings(partSize, uploadMemory, smallBufferSize, partsPerUpload, wait, listPageSize,
                multipartCopyAbove, copyPartSize, staleUploadAge, maxConnections, maxAttempts);
    }

    public S3Settings withListPageSize(int keys) {
        return new S3Settings(partSize, uploadMemory, smallBufferSize, partsPerUpload, memoryWait, keys,
                multipartCopyAbove, copyPartSize, staleUploadAge, maxConnections, maxAttempts);
    }

    public S3Settings withMultipartCopy(long above, long partBytes) {
        return new S3Settings(partSize, uploadMemory, smallBufferSize, partsPerUpload, memoryWait, listPageSize,
                above, partBytes, staleUploadAge, maxConnections, maxAttempts);
    }

    public S3Settings withStaleUploadAge(Duration age) {
        return new S3Settings(partSize, uploadMemory, smallBufferSize, partsPerUpload, memoryWait, listPageSize,
                multipartCopyAbove, copyPartSize, age, maxConnections, maxAttempts);
    }

    public S3Settings withMaxAttempts(int attempts) {
        return new S3Settings(partSize, uploadMemory, smallBufferSize, partsPerUpload, memoryWait, listPageSize,
                multipartCopyAbove, copyPartSize, staleUploadAge, maxConnections, attempts);
    }
}
