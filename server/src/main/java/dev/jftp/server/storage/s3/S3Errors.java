package dev.jftp.server.storage.s3;

import dev.jftp.server.storage.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What the service's failures mean for a user, once the SDK's retries are spent: the standard
 * {@link FileSystemException}s for answers about a file (404 is NoSuchFile, 403 AccessDenied), and
 * {@link StorageUnavailableException} (FTP 451) for a service that is slow, down or unreachable.
 * Messages name the virtual path and the service's error code, never a key, a bucket or a secret;
 * the log line adds the request id, which the service's operator can look up.
 */
final class S3Errors {
    private static final Logger log = LoggerFactory.getLogger(S3Errors.class);

    private S3Errors() {
    }

    static IOException translate(SdkException e, String virtualPath, String action) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if (status == 404 && "NoSuchBucket".equals(code)) {
                log.warn("S3 {} {}: the bucket is gone (request {})", action, virtualPath, service.requestId());
                return new StorageUnavailableException("the storage's bucket is gone", e);
            }
            if (status == 404) {
                return new NoSuchFileException(virtualPath);
            }
            if (status == 403) {
                log.warn("S3 {} {}: access denied by the service ({}, request {})", action, virtualPath, code, service.requestId());
                return new AccessDeniedException(virtualPath, null, "access denied by the storage");
            }
            if (status == 412) {
                return new FileSystemException(virtualPath, null, "changed by someone else meanwhile, try again");
            }
            if ("KeyTooLongError".equals(code)) {
                return new FileSystemException(virtualPath, null, "File name too long");
            }
            if (status >= 500 || status == 429 || status == 409 || "SlowDown".equals(code) || "RequestTimeout".equals(code)) {
                log.warn("S3 {} {} failed after retries: HTTP {} {} (request {})", action, virtualPath, status, code, service.requestId());
                return new StorageUnavailableException("storage unavailable (" + describe(status, code) + "), try again later", e);
            }
            log.warn("S3 {} {} refused: HTTP {} {} (request {})", action, virtualPath, status, code, service.requestId());
            return new FileSystemException(virtualPath, null, "refused by the storage (" + describe(status, code) + ")");
        }
        // Client side: connection refused or reset, timeouts, no credentials. The SDK's messages
        // name the endpoint and the cause, never a secret.
        log.warn("S3 {} {} failed: {}", action, virtualPath, e.getMessage());
        return new StorageUnavailableException("storage unreachable, try again later", e);
    }

    private static String describe(int status, String code) {
        return code == null || code.isEmpty() ? "HTTP " + status : "HTTP " + status + " " + code;
    }
}
