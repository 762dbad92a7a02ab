package dev.jftp.server.storage;

import java.io.IOException;

/**
 * One storage backend (local disk, memory, S3), made once when the server starts and shared by
 * every protocol and session.
 */
public interface Storage extends AutoCloseable {
    /** What this backend can do; the same for every view it opens. */
    StorageCapabilities capabilities();

    /**
     * The files of one user, jailed in {@code home}; the home is made when missing.
     *
     * @param home the user's home as the account gives it: relative to the storage's root ("" is the
     *             root itself). A local storage also accepts an absolute directory, set by the operator.
     */
    StorageView open(String home) throws IOException;

    /** For logs and the start-up line: "local", "memory", "s3://bucket/prefix". Never a secret. */
    String describe();

    @Override
    default void close() throws IOException {
    }
}
