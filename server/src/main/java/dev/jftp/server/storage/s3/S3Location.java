package dev.jftp.server.storage.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the files live: a bucket and a key prefix, from {@code s3://BUCKET/PREFIX}. The prefix is
 * kept normalised, either "" (the whole bucket) or segments each followed by "/" ("data/ftp/"), so
 * that a key belongs to it exactly when it starts with it: "data/ftp-sibling.txt" does not.
 */
public record S3Location(String bucket, String prefix) {
    /**
     * Bucket names as S3 and its look-alikes accept them (3-63 characters for new AWS buckets; older
     * ones and other services allow more, so only the characters are checked).
     */
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    public S3Location {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not a bucket name: " + bucket);
        }
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//"))) {
            throw new IllegalArgumentException("prefix must be empty or end with one '/': " + prefix);
        }
    }

    /**
     * Parses {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}. Empty segments of the prefix are
     * dropped ("a//b/" is "a/b/"); "." and ".." are refused, since S3 keys would keep them literally
     * while a reader of the URI expects them resolved.
     *
     * @throws IllegalArgumentException with a message fit for the operator
     */
    public static S3Location parse(String uri) {
        String scheme = "s3://";
        if (uri == null || !uri.regionMatches(true, 0, scheme, 0, scheme.length())) {
            throw new IllegalArgumentException("storage must look like s3://BUCKET/PREFIX");
        }
        String rest = uri.substring(scheme.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("storage must name a bucket: s3://BUCKET/PREFIX");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not a bucket name: " + bucket);
        }
        return new S3Location(bucket, slash < 0 ? "" : normalisedPrefix(rest.substring(slash + 1)));
    }

    /** "a/b" and "/a//b/" become "a/b/"; "" stays "". */
    static String normalisedPrefix(String raw) {
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("'.' and '..' are not allowed in an S3 prefix: " + raw);
            }
            segments.add(segment);
        }
        return segments.isEmpty() ? "" : String.join("/", segments) + "/";
    }

    /** The location of a sub-prefix (a user's home) below this one. */
    public S3Location below(String relative) {
        return new S3Location(bucket, prefix + normalisedPrefix(relative));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
