package dev.jftp.server.metrics;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * What jftpd counts for Prometheus ({@code --metrics-port}), as calls the protocol, account and
 * storage code make at the moment something happens. Without {@code --metrics-port} the
 * {@link #disabled()} instance does nothing at all; with it, {@link #prometheus()} counts into its
 * own registry, served by {@link MetricsEndpoint}.
 *
 * <p>Every label is one of a fixed set (the enums here, the known FTP verbs, the reply class):
 * never a user name, a path or an address, so the number of series stays bounded whatever clients
 * send. The calls are meant for the hot path: after the first call for a label set they only
 * increment an adder, without allocating.
 */
public sealed interface JftpdMetrics permits DisabledMetrics, PrometheusMetrics {

    /** Counts nothing; costs a call that does nothing. */
    static JftpdMetrics disabled() {
        return DisabledMetrics.INSTANCE;
    }

    /** Counts into a registry of its own, with the JVM's metrics beside jftpd's. */
    static PrometheusMetrics prometheus() {
        return new PrometheusMetrics();
    }

    /** The listener a session came in through; label {@code protocol}. */
    enum Protocol {
        FTP, SFTP;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** How a login was checked; label {@code method}. {@code CACHED}: a verified-login cache hit. */
    enum LoginMethod {
        PASSWORD, ANONYMOUS, PUBLICKEY, CACHED;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Label {@code direction}: upload (STOR, APPE, STOU, SFTP write) or download (RETR, SFTP read). */
    enum Direction {
        UPLOAD, DOWNLOAD;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Label {@code backend}. */
    enum StorageBackend {
        LOCAL, MEMORY, S3;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Label {@code operation}: the storage contract's operations. */
    enum StorageOperation {
        STAT, LIST, READ, WRITE, DELETE, MKDIR, RMDIR, RENAME, SET_MODIFIED, SET_PERMISSIONS;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Label {@code kind}: S3 API requests, by their API names. */
    enum S3Request {
        GET_OBJECT("GetObject"), HEAD_OBJECT("HeadObject"), PUT_OBJECT("PutObject"), LIST_OBJECTS("ListObjectsV2"),
        DELETE_OBJECT("DeleteObject"), DELETE_OBJECTS("DeleteObjects"), COPY_OBJECT("CopyObject"),
        CREATE_MULTIPART_UPLOAD("CreateMultipartUpload"), UPLOAD_PART("UploadPart"),
        COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload"), ABORT_MULTIPART_UPLOAD("AbortMultipartUpload"), OTHER("other");

        final String label;

        S3Request(String label) {
            this.label = label;
        }

        /** The S3 API's name of the operation, e.g. "GetObject"; "other" for the rest. */
        public String label() {
            return label;
        }
    }

    /** The counter of one FTP verb: get it once (say, per command table entry) and call it per reply. */
    interface CommandCounter {
        /** Counts one reply to this verb, by class (1xx to 5xx). */
        void replied(int replyCode);
    }

    /** A session started ({@code jftpd_sessions_total}) and is open ({@code jftpd_sessions_open}). */
    void sessionOpened(Protocol protocol);

    void sessionClosed(Protocol protocol);

    /** {@code jftpd_logins_total{method, result="ok"}}. */
    void loginSucceeded(LoginMethod method);

    /** {@code jftpd_logins_total{method, result="failed"}}: a wrong password or key, an unknown user. */
    void loginFailed(LoginMethod method);

    /**
     * The counter for {@code verb} (any case); verbs jftpd does not know share the label "other".
     * {@code jftpd_commands_total{verb, reply_class}}.
     */
    CommandCounter command(String verb);

    /** Same as {@code command(verb).replied(replyCode)}, for code that does not keep the counter. */
    default void commandReplied(String verb, int replyCode) {
        command(verb).replied(replyCode);
    }

    /**
     * A transfer ended: {@code jftpd_transfers_total}, {@code jftpd_transfer_bytes_total},
     * {@code jftpd_transfer_duration_seconds} (histogram) and, when it failed,
     * {@code jftpd_transfer_errors_total}, all by direction. Bytes count when the transfer ends,
     * also those of a failed one.
     */
    void transferFinished(Direction direction, long bytes, long nanos, boolean ok);

    /** {@code jftpd_tls_handshakes_total{result}} (control and data connections). */
    void tlsHandshake(boolean ok);

    /** {@code jftpd_storage_operations_total} and, when it failed, {@code jftpd_storage_errors_total}. */
    void storageOperation(StorageBackend backend, StorageOperation operation, boolean ok);

    /** {@code jftpd_s3_requests_total{kind}} and, when it failed, {@code jftpd_s3_request_errors_total{kind}}. */
    void s3Request(S3Request kind, boolean ok);

    /** {@code jftpd_account_store_up}: 1 while {@code available} says so, read at each scrape. */
    void accountStoreAvailability(BooleanSupplier available);
}
