package dev.jftp.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * jftpd's metrics in a Prometheus registry of their own (Prometheus Java client 1.x), with the
 * JVM's ({@code jvm_*}, {@code process_*}) beside them.
 *
 * <p>Data points whose labels are few and always meaningful (sessions, logins, transfers, TLS) are
 * made up front, so that they read 0 rather than being absent; those of commands, storage and S3
 * are made on first use (a node without S3 shows no S3 series) and kept in arrays, so that after
 * that a call is an array load and an adder increment.
 */
public final class PrometheusMetrics implements JftpdMetrics {
    /**
     * The verbs with a label of their own: those jftpd implements (RFC 959, 2228, 2389, 2428,
     * 3659) and a few common ones it refuses. Anything else counts as "other".
     */
    static final List<String> KNOWN_VERBS = List.of("ABOR", "ACCT", "ADAT", "ALLO", "APPE", "AUTH", "CCC", "CDUP", "CONF", "CWD",
            "DELE", "ENC", "EPRT", "EPSV", "FEAT", "HASH", "HELP", "HOST", "LANG", "LIST", "MDTM", "MFCT", "MFF", "MFMT", "MIC",
            "MKD", "MLSD", "MLST", "MODE", "NLST", "NOOP", "OPTS", "PASS", "PASV", "PBSZ", "PORT", "PROT", "PWD", "QUIT", "REIN",
            "REST", "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE", "SMNT", "STAT", "STOR", "STOU", "STRU", "SYST", "TYPE", "USER",
            "XCUP", "XCWD", "XMKD", "XPWD", "XRMD");
    private static final String OTHER_VERB = "other";
    /** values().length copies the array at each call: keep the number. */
    private static final int STORAGE_OPERATIONS = StorageOperation.values().length;
    private static final String[] REPLY_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    /** Seconds: from a small file on a LAN to an hour-long upload. */
    private static final double[] DURATION_BUCKETS = {0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

    private final PrometheusRegistry registry = new PrometheusRegistry();

    private final GaugeDataPoint[] sessionsOpen = new GaugeDataPoint[Protocol.values().length];
    private final CounterDataPoint[] sessionsStarted = new CounterDataPoint[Protocol.values().length];
    private final CounterDataPoint[] loginsOk = new CounterDataPoint[LoginMethod.values().length];
    private final CounterDataPoint[] loginsFailed = new CounterDataPoint[LoginMethod.values().length];
    private final CounterDataPoint[] transfers = new CounterDataPoint[Direction.values().length];
    private final CounterDataPoint[] transferErrors = new CounterDataPoint[Direction.values().length];
    private final CounterDataPoint[] transferBytes = new CounterDataPoint[Direction.values().length];
    private final DistributionDataPoint[] transferSeconds = new DistributionDataPoint[Direction.values().length];
    private final CounterDataPoint tlsOk;
    private final CounterDataPoint tlsFailed;

    private final Counter commands;
    private final Map<String, VerbCounter> verbs = new HashMap<>();
    private final VerbCounter otherVerb;

    private final Counter storageOperations;
    private final Counter storageErrors;
    // Made on first use; racing threads get the same data point from the counter, so no lock.
    private final CounterDataPoint[] storageOperationPoints =
            new CounterDataPoint[StorageBackend.values().length * STORAGE_OPERATIONS];
    private final CounterDataPoint[] storageErrorPoints = new CounterDataPoint[storageOperationPoints.length];

    private final Counter s3Requests;
    private final Counter s3Errors;
    private final CounterDataPoint[] s3RequestPoints = new CounterDataPoint[S3Request.values().length];
    private final CounterDataPoint[] s3ErrorPoints = new CounterDataPoint[S3Request.values().length];

    private volatile BooleanSupplier accountStoreAvailable;

    PrometheusMetrics() {
        Gauge open = Gauge.builder().name("jftpd_sessions_open").help("Sessions open now").labelNames("protocol")
                .withoutExemplars().register(registry);
        Counter started = Counter.builder().name("jftpd_sessions_total").help("Sessions started").labelNames("protocol")
                .withoutExemplars().register(registry);
        for (Protocol p : Protocol.values()) {
            sessionsOpen[p.ordinal()] = open.labelValues(p.label);
            sessionsStarted[p.ordinal()] = started.labelValues(p.label);
        }

        Counter logins = Counter.builder().name("jftpd_logins_total").help("Logins, by how they were checked and whether they succeeded")
                .labelNames("method", "result").withoutExemplars().register(registry);
        for (LoginMethod m : LoginMethod.values()) {
            loginsOk[m.ordinal()] = logins.labelValues(m.label, "ok");
            loginsFailed[m.ordinal()] = logins.labelValues(m.label, "failed");
        }

        commands = Counter.builder().name("jftpd_commands_total").help("FTP commands, by verb and reply class")
                .labelNames("verb", "reply_class").withoutExemplars().register(registry);
        for (String verb : KNOWN_VERBS) {
            verbs.put(verb, new VerbCounter(verb));
        }
        otherVerb = new VerbCounter(OTHER_VERB);

        Counter transferCount = Counter.builder().name("jftpd_transfers_total").help("File transfers ended, failed ones included")
                .labelNames("direction").withoutExemplars().register(registry);
        Counter transferErrorCount = Counter.builder().name("jftpd_transfer_errors_total").help("File transfers that failed")
                .labelNames("direction").withoutExemplars().register(registry);
        Counter bytes = Counter.builder().name("jftpd_transfer_bytes_total").unit(Unit.BYTES)
                .help("Bytes of file data transferred, counted when each transfer ends").labelNames("direction")
                .withoutExemplars().register(registry);
        Histogram duration = Histogram.builder().name("jftpd_transfer_duration_seconds").unit(Unit.SECONDS)
                .help("How long file transfers took").labelNames("direction").classicOnly().classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars().register(registry);
        for (Direction d : Direction.values()) {
            transfers[d.ordinal()] = transferCount.labelValues(d.label);
            transferErrors[d.ordinal()] = transferErrorCount.labelValues(d.label);
            transferBytes[d.ordinal()] = bytes.labelValues(d.label);
            transferSeconds[d.ordinal()] = duration.labelValues(d.label);
        }

        Counter tls = Counter.builder().name("jftpd_tls_handshakes_total").help("TLS handshakes, control and data connections")
                .labelNames("result").withoutExemplars().register(registry);
        tlsOk = tls.labelValues("ok");
        tlsFailed = tls.labelValues("failed");

        storageOperations = Counter.builder().name("jftpd_storage_operations_total").help("Storage operations, by backend")
                .labelNames("backend", "operation").withoutExemplars().register(registry);
        storageErrors = Counter.builder().name("jftpd_storage_errors_total").help("Storage operations that failed, by backend")
                .labelNames("backend", "operation").withoutExemplars().register(registry);
        s3Requests = Counter.builder().name("jftpd_s3_requests_total").help("Requests to the S3 API, by kind")
                .labelNames("kind").withoutExemplars().register(registry);
        s3Errors = Counter.builder().name("jftpd_s3_request_errors_total").help("Requests to the S3 API that failed, by kind")
                .labelNames("kind").withoutExemplars().register(registry);

        GaugeWithCallback.builder().name("jftpd_account_store_up")
                .help("1 while the account store answers (a database reachable), 0 while it does not")
                .callback(callback -> {
                    BooleanSupplier available = accountStoreAvailable;
                    if (available != null) {
                        callback.call(available.getAsBoolean() ? 1 : 0);
                    }
                }).register(registry);

        JvmMetrics.builder().register(registry);
    }

    /** The registry, for {@link MetricsEndpoint} (and tests). */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void sessionOpened(Protocol protocol) {
        sessionsStarted[protocol.ordinal()].inc();
        sessionsOpen[protocol.ordinal()].inc();
    }

    @Override
    public void sessionClosed(Protocol protocol) {
        sessionsOpen[protocol.ordinal()].dec();
    }

    @Override
    public void loginSucceeded(LoginMethod method) {
        loginsOk[method.ordinal()].inc();
    }

    @Override
    public void loginFailed(LoginMethod method) {
        loginsFailed[method.ordinal()].inc();
    }

    @Override
    public CommandCounter command(String verb) {
        VerbCounter counter = verbs.get(verb);
        if (counter == null && verb.length() <= 4) {
            counter = verbs.get(verb.toUpperCase(Locale.ROOT));
        }
        return counter == null ? otherVerb : counter;
    }

    /** One verb's data points, one per reply class, made on the first reply of each class. */
    private final class VerbCounter implements CommandCounter {
        private final String verb;
        private final CounterDataPoint[] byClass = new CounterDataPoint[REPLY_CLASSES.length];

        VerbCounter(String verb) {
            this.verb = verb;
        }

        @Override
        public void replied(int replyCode) {
            int index = replyCode / 100 - 1;
            if (index < 0 || index >= byClass.length) {
                return; // not a reply code (RFC 959 section 4.2: 1xx to 5xx)
            }
            CounterDataPoint point = byClass[index];
            if (point == null) {
                // racing threads get the same data point from the counter: no lock needed
                point = commands.labelValues(verb, REPLY_CLASSES[index]);
                byClass[index] = point;
            }
            point.inc();
        }
    }

    @Override
    public void transferFinished(Direction direction, long bytes, long nanos, boolean ok) {
        int d = direction.ordinal();
        transfers[d].inc();
        if (!ok) {
            transferErrors[d].inc();
        }
        if (bytes > 0) {
            transferBytes[d].inc(bytes);
        }
        transferSeconds[d].observe(Unit.nanosToSeconds(Math.max(0, nanos)));
    }

    @Override
    public void tlsHandshake(boolean ok) {
        (ok ? tlsOk : tlsFailed).inc();
    }

    @Override
    public void storageOperation(StorageBackend backend, StorageOperation operation, boolean ok) {
        int index = backend.ordinal() * STORAGE_OPERATIONS + operation.ordinal();
        CounterDataPoint point = storageOperationPoints[index];
        if (point == null) {
            point = storageOperations.labelValues(backend.label, operation.label);
            storageOperationPoints[index] = point;
        }
        point.inc();
        if (!ok) {
            CounterDataPoint error = storageErrorPoints[index];
            if (error == null) {
                error = storageErrors.labelValues(backend.label, operation.label);
                storageErrorPoints[index] = error;
            }
            error.inc();
        }
    }

    @Override
    public void s3Request(S3Request kind, boolean ok) {
        CounterDataPoint point = s3RequestPoints[kind.ordinal()];
        if (point == null) {
            point = s3Requests.labelValues(kind.label);
            s3RequestPoints[kind.ordinal()] = point;
        }
        point.inc();
        if (!ok) {
            CounterDataPoint error = s3ErrorPoints[kind.ordinal()];
            if (error == null) {
                error = s3Errors.labelValues(kind.label);
                s3ErrorPoints[kind.ordinal()] = error;
            }
            error.inc();
        }
    }

    @Override
    public void accountStoreAvailability(BooleanSupplier available) {
        this.accountStoreAvailable = available;
    }
}
