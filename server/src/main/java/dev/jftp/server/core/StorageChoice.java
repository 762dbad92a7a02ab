package dev.jftp.server.core;

import dev.jftp.server.storage.s3.S3Location;
import dev.jftp.server.storage.s3.S3Storage;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Which backend keeps users' files ({@code --storage}, with {@code --s3-endpoint} for S3). */
public sealed interface StorageChoice {
    /** The local disk, below the server root (the default). */
    record Local() implements StorageChoice {
    }

    /** This process's memory: gone when the server stops (tests, demos). */
    record Memory() implements StorageChoice {
    }

    /**
     * An S3-compatible bucket below a key prefix; credentials and region from the AWS SDK's default
     * chains.
     *
     * @param uri      {@code s3://BUCKET/PREFIX} as given (checked by {@link S3Location#parse})
     * @param endpoint the service's URL when it is not AWS (MinIO, Ceph RGW, R2...): path-style
     *                 addressing then
     */
    record S3(String uri, Optional<URI> endpoint) implements StorageChoice {
        public S3 {
            S3Location.parse(uri);
        }
    }

    StorageChoice LOCAL = new Local();
    StorageChoice MEMORY = new Memory();

    /** From the {@code --storage} value: "local" or "memory". */
    static StorageChoice parse(String text) {
        return parse(text, null);
    }

    /**
     * From the {@code --storage} value ("local", "memory" or "s3://BUCKET/PREFIX") and the
     * {@code --s3-endpoint} value (null when not given; only with an s3:// storage).
     *
     * @throws IllegalArgumentException with a message for the operator (no secret: an endpoint
     *                                  holding user info is refused without being repeated)
     */
    static StorageChoice parse(String text, String s3Endpoint) {
        if (text.regionMatches(true, 0, "s3:", 0, 3)) {
            return new S3(text, Optional.ofNullable(s3Endpoint).map(StorageChoice::endpoint));
        }
        if (s3Endpoint != null) {
            throw new IllegalArgumentException("--s3-endpoint goes with --storage s3://BUCKET/PREFIX");
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "local" -> LOCAL;
            case "memory" -> MEMORY;
            default -> throw new IllegalArgumentException("--storage takes local, memory or s3://BUCKET/PREFIX, got '" + text + "'");
        };
    }

    /** http(s)://host[:port], without credentials (those come from the AWS sources). */
    private static URI endpoint(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the S3 endpoint must be an http:// or https:// URL with a host");
        }
        S3Storage.checkEndpoint(uri);
        return uri;
    }
}
