package dev.jftp.server.accounts.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A few JDBC connections kept open and shared, with a hard bound on how many exist.
 *
 * <p>Why not HikariCP: the store asks one-row questions by primary key (well under a millisecond
 * each), so a handful of connections serve thousands of logins a second, and what it needs of a
 * pool is only this: reuse, a bound (many concurrent logins must not open many connections), a
 * bounded wait, and dropping connections that died with the database. That is a semaphore and a
 * deque. HikariCP would add a dependency with its own housekeeping thread, metrics and leak
 * detection that jftpd does not use. (pgjdbc 42.6+ takes no monitor locks on I/O, so callers on
 * virtual threads are fine.)
 */
final class ConnectionPool implements AutoCloseable {
    /** Opens one new connection, bounded in time by the driver's connect and socket timeouts. */
    @FunctionalInterface
    interface Connector {
        Connection open() throws SQLException;
    }

    /** One piece of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Connector connector;
    private final int size;
    private final Duration acquireTimeout;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    ConnectionPool(Connector connector, int size, Duration acquireTimeout) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1");
        }
        this.connector = connector;
        this.size = size;
        this.acquireTimeout = acquireTimeout;
        this.permits = new Semaphore(size, true);
    }

    /**
     * Runs {@code work} on a pooled connection. A kept connection that turns out dead (the
     * database restarted since) is dropped with every other idle one, and the work is tried once
     * more on a new connection, so that the first login after a restart does not fail.
     */
    <T> T run(Work<T> work) throws SQLException {
        if (closed) {
            throw new SQLException("the account store is closed", "08003");
        }
        try {
            if (!permits.tryAcquire(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("all " + size + " database connections stayed busy for "
                        + acquireTimeout.toMillis() + " ms", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", "08001", e);
        }
        try {
            Connection kept = idle.pollFirst();
            if (kept != null) {
                try {
                    return runAndKeep(kept, work);
                } catch (SQLException e) {
                    if (!isConnectionLost(e, kept)) {
                        throw e;
                    }
                    drainIdle();
                }
            }
            return runAndKeep(connector.open(), work);
        } finally {
            permits.release();
        }
    }

    private <T> T runAndKeep(Connection connection, Work<T> work) throws SQLException {
        T result;
        try {
            result = work.run(connection);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException sql && isConnectionLost(sql, connection)) {
                closeQuietly(connection);
            } else {
                keep(connection);
            }
            throw e;
        }
        keep(connection);
        return result;
    }

    private void keep(Connection connection) {
        if (closed) {
            closeQuietly(connection);
            return;
        }
        try {
            // Work that failed inside a transaction must not leave it open for the next user.
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            return;
        }
        idle.offerFirst(connection);
        if (closed) {
            drainIdle();
        }
    }

    /**
     * True when the failure says the connection itself is gone: SQLSTATE class 08 (connection
     * exception), 57P (operator intervention: the server shutting down or restarting), or a
     * connection the driver already closed.
     */
    static boolean isConnectionLost(SQLException e, Connection connection) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return true;
        }
        try {
            return connection.isClosed();
        } catch (SQLException ignored) {
            return true;
        }
    }

    private void drainIdle() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            closeQuietly(c);
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // a connection that cannot even be closed is gone anyway
        }
    }

    /** Connections open and idle now (for tests). */
    int idleCount() {
        return idle.size();
    }

    @Override
    public void close() {
        closed = true;
        drainIdle();
    }
}
