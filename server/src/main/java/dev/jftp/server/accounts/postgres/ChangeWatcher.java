package dev.jftp.server.accounts.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the store's listeners about every account changed through any node, within a few seconds.
 *
 * <p>One connection of its own LISTENs on {@link AccountSchema#CHANNEL}; a notification, or
 * {@code pollInterval} without one, makes it read the change log after the last revision it saw.
 * So a change arrives in milliseconds while LISTEN works, and within one poll interval if a
 * notification is ever lost (a proxy such as PgBouncer in transaction mode drops them). When the
 * connection breaks it reconnects every {@code reconnectDelay} and first reads what changed
 * meanwhile; if the log no longer reaches back that far (it keeps a day), every account is
 * reported changed. Removals older than that cannot be reported; sessions and caches do not live
 * that long.
 */
final class ChangeWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeWatcher.class);
    private static final int BATCH = 1000;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final PostgresAccountStore store;
    private final PostgresAccountStore.Settings settings;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;
    /** Where reporting starts: see {@link PostgresAccountStore#ensureSchema}; -1 until then. */
    private volatile long initial = -1;
    /** The last revision read (by the watcher's thread only); -1 before its first connection. */
    private long last = -1;
    private long nextPrune;

    ChangeWatcher(PostgresAccountStore store, PostgresAccountStore.Settings settings) {
        this.store = store;
        this.settings = settings;
        this.thread = Thread.ofPlatform().daemon().name("jftpd-accounts-watch").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** The revision to report changes after, set once by the store's first successful schema check. */
    void startAfter(long revision) {
        if (initial < 0) {
            initial = revision;
        }
    }

    private void run() {
        while (!closed) {
            Connection connection = null;
            try {
                connection = store.connect();
                current = connection;
                if (closed) {
                    break;
                }
                store.ensureSchema(connection);
                try (Statement st = connection.createStatement()) {
                    st.execute("LISTEN " + AccountSchema.CHANNEL);
                }
                if (last < 0) {
                    last = initial; // set: ensureSchema succeeded, here or before
                }
                catchUp(connection);
                store.availability().up();
                watch(connection);
            } catch (SQLException e) {
                if (closed) {
                    break;
                }
                store.availability().down(store.reason(e));
                log.debug("account change watcher: {}", store.reason(e));
                pause(settings.reconnectDelay());
            } catch (RuntimeException e) {
                // a bug must not end the watching for good: say so, and start over
                log.error("account change watcher failed; restarting it", e);
                pause(settings.reconnectDelay());
            } finally {
                current = null;
                if (connection != null) {
                    ConnectionPool.closeQuietly(connection);
                }
            }
        }
    }

    private void watch(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        int waitMillis = (int) Math.max(1, settings.pollInterval().toMillis());
        while (!closed) {
            pruneWhenDue(connection);
            // Returns at the first notification or after waitMillis: either way, read the log.
            pg.getNotifications(waitMillis);
            readChanges(connection);
        }
    }

    static long newestRevision(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(max(revision), 0) FROM jftpd_account_changes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** After a reconnect: what changed meanwhile, or everything if the log lost some of it. */
    private void catchUp(Connection connection) throws SQLException {
        boolean complete;
        try (PreparedStatement st = connection.prepareStatement(last > 0
                ? "SELECT EXISTS (SELECT 1 FROM jftpd_account_changes WHERE revision = ?)"
                : "SELECT coalesce(min(revision), 1) <= 1 FROM jftpd_account_changes WHERE revision > ?")) {
            st.setLong(1, last);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                complete = rs.getBoolean(1);
            }
        }
        if (complete) {
            readChanges(connection);
            return;
        }
        long newest = newestRevision(connection);
        log.warn("account changes since this node last saw the accounts database were pruned; treating every account as changed");
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM jftpd_accounts")) {
            while (rs.next()) {
                store.changed(rs.getString(1));
            }
        }
        last = newest;
    }

    private void readChanges(Connection connection) throws SQLException {
        while (true) {
            Set<String> names = new LinkedHashSet<>();
            int rows = 0;
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT revision, name FROM jftpd_account_changes WHERE revision > ? ORDER BY revision LIMIT " + BATCH)) {
                st.setLong(1, last);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        names.add(rs.getString(2));
                        rows++;
                    }
                }
            }
            names.forEach(store::changed);
            if (rows < BATCH) {
                return;
            }
        }
    }

    /** Keeps a day of changes, and always the newest one (see {@link #catchUp}). */
    private void pruneWhenDue(Connection connection) throws SQLException {
        long now = System.nanoTime();
        if (nextPrune != 0 && now - nextPrune < 0) {
            return;
        }
        nextPrune = now + PRUNE_EVERY.toNanos();
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("DELETE FROM jftpd_account_changes WHERE changed_at < now() - interval '1 day'"
                    + " AND revision < (SELECT max(revision) FROM jftpd_account_changes)");
        }
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            // close() wakes us: the loop checks 'closed'
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection connection = current;
        if (connection != null) {
            try {
                // abort, not close: close would wait for the read in progress (up to a poll interval)
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                // it is going away either way
            }
        }
        thread.interrupt();
        try {
            thread.join(settings.connectTimeout().plus(settings.readTimeout()).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
