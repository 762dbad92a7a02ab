package dev.jftp.server.accounts.postgres;

import dev.jftp.server.accounts.AccountAdministration;
import dev.jftp.server.accounts.AccountStore;
import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.accounts.UsersFile;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts kept in PostgreSQL, shared by every node of a cluster (issue 14).
 *
 * <ul>
 * <li>The schema ({@link AccountSchema}) is created or migrated by whichever comes first, a node or
 *     the command line, the first time it reaches the database.</li>
 * <li>Lookups use a small bounded {@link ConnectionPool}; every connection has bounded connect and
 *     read timeouts, so that with the database down {@link #find} throws
 *     {@link AccountStoreUnavailableException} within seconds rather than hanging logins, and works
 *     again by itself once the database is back.</li>
 * <li>Changes made through any node (or by hand in SQL) reach {@link #onChange} listeners through
 *     a {@link ChangeWatcher}: LISTEN/NOTIFY, with a short poll of the change log as a fallback.</li>
 * <li>No message, log line or {@link #describe()} ever contains the password.</li>
 * </ul>
 */
public final class PostgresAccountStore implements AccountStore, AccountAdministration {
    private static final Logger log = LoggerFactory.getLogger(PostgresAccountStore.class);
    /** Used directly rather than through DriverManager: no service lookup, no global registry. */
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    /**
     * Bounds and intervals. The defaults: 4 connections, 2 s to connect, 3 s for any read from the
     * database, a poll of the change log every 2 s, a reconnect attempt every second.
     */
    public record Settings(int poolSize, Duration connectTimeout, Duration readTimeout, Duration pollInterval,
            Duration reconnectDelay) {
        public static Settings defaults() {
            return new Settings(4, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1));
        }

        public Settings withPollInterval(Duration interval) {
            return new Settings(poolSize, connectTimeout, readTimeout, interval, reconnectDelay);
        }
    }

    private final PostgresUrl url;
    private final Settings settings;
    private final ConnectionPool pool;
    private final ChangeWatcher watcher;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock schemaLock = new ReentrantLock();
    private volatile boolean schemaReady;
    private volatile boolean closed;
    private final Availability availability;

    private PostgresAccountStore(PostgresUrl url, Settings settings) {
        this.url = url;
        this.settings = settings;
        this.availability = new Availability(url.describe());
        this.pool = new ConnectionPool(this::connect, settings.poolSize(), settings.readTimeout());
        this.watcher = new ChangeWatcher(this, settings);
    }

    /**
     * Opens the store and starts watching for changes. The database need not be reachable yet:
     * when it is not, one warning is logged, lookups throw {@link AccountStoreUnavailableException},
     * and everything resumes once it is back.
     */
    public static PostgresAccountStore open(PostgresUrl url) {
        return open(url, Settings.defaults());
    }

    public static PostgresAccountStore open(PostgresUrl url, Settings settings) {
        PostgresAccountStore store = new PostgresAccountStore(url, settings);
        try {
            store.pool.run(connection -> {
                store.ensureSchema(connection);
                return null;
            });
            store.availability.up();
        } catch (SQLException e) {
            store.availability.down(store.reason(e));
        }
        store.watcher.start();
        return store;
    }

    Connection connect() throws SQLException {
        return openConnection(url, settings);
    }

    /** Opens one connection; user and password go in the properties, never in the URL. */
    static Connection openConnection(PostgresUrl url, Settings settings) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", Long.toString(seconds(settings.connectTimeout())));
        properties.setProperty("socketTimeout", Long.toString(seconds(settings.readTimeout())));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "jftpd");
        properties.putAll(url.parameters());
        properties.setProperty("user", url.user());
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        Connection connection = DRIVER.connect(url.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not take the URL", "08001");
        }
        return connection;
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** Creates or migrates the schema once per store; cheap afterwards. */
    void ensureSchema(Connection connection) throws SQLException {
        if (schemaReady) {
            return;
        }
        schemaLock.lock();
        try {
            if (!schemaReady) {
                int before = AccountSchema.ensure(connection);
                if (before < AccountSchema.LATEST) {
                    log.info("accounts schema in {} {} (version {})", url.describe(),
                            before == 0 ? "created" : "migrated from version " + before, AccountSchema.LATEST);
                }
                // Changes are reported from here on: before the first lookup that can succeed, so
                // that no change to an account this node looked up is ever missed, however late
                // the watcher's own connection comes (the database may be down at start).
                watcher.startAfter(ChangeWatcher.newestRevision(connection));
                schemaReady = true;
            }
        } finally {
            schemaLock.unlock();
        }
    }

    private <T> T run(String what, ConnectionPool.Work<T> work) throws AccountStoreUnavailableException {
        if (closed) {
            throw new AccountStoreUnavailableException("the account store " + url.describe() + " is closed", null);
        }
        try {
            T result = pool.run(connection -> {
                ensureSchema(connection);
                return work.run(connection);
            });
            availability.up();
            return result;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("22") || state.startsWith("23")) {
                // data the database refuses (SQLSTATE classes 22, 23): the caller's input, not an outage
                availability.up();
                throw new IllegalArgumentException("the accounts database refused to " + what + ": " + reason(e), e);
            }
            // Anything else means the store cannot answer now: a connection lost or refused, a
            // timeout, a refused database login, a missing database, a schema too new or broken.
            String reason = reason(e);
            availability.down(reason);
            throw new AccountStoreUnavailableException("accounts database " + url.describe() + " unavailable (" + what
                    + "): " + reason, e);
        }
    }

    @Override
    public Optional<StoredAccount> find(String name) throws AccountStoreUnavailableException {
        if (!UsersFile.isValidName(name)) {
            return Optional.empty(); // no such account can exist; no need to ask
        }
        return run("look up an account", connection -> {
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT name, password_hash, home, permissions, authorized_keys FROM jftpd_accounts WHERE name = ?")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? readAccount(rs) : Optional.<StoredAccount>empty();
                }
            }
        });
    }

    @Override
    public List<StoredAccount> list() throws AccountStoreUnavailableException {
        return run("list accounts", connection -> {
            List<StoredAccount> accounts = new ArrayList<>();
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT name, password_hash, home, permissions, authorized_keys FROM jftpd_accounts ORDER BY name")) {
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        readAccount(rs).ifPresent(accounts::add);
                    }
                }
            }
            return accounts;
        });
    }

    /**
     * One row as an account; a row someone edited by hand into something jftpd cannot read (an
     * unknown permission, a hash of another format) is no account: the login fails, one line says why.
     */
    private static Optional<StoredAccount> readAccount(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        String hash = rs.getString(2);
        Set<Permission> permissions;
        try {
            permissions = Permission.parseList(rs.getString(4));
        } catch (IllegalArgumentException e) {
            log.warn("account '{}' in the accounts database is not usable: {}", name, e.getMessage());
            return Optional.empty();
        }
        if (!PasswordHasher.isValidHash(hash)) {
            log.warn("account '{}' in the accounts database is not usable: its password is not a {} hash", name,
                    PasswordHasher.SCHEME);
            return Optional.empty();
        }
        Array keys = rs.getArray(5);
        List<String> authorizedKeys = keys == null ? List.of() : Arrays.asList((String[]) keys.getArray());
        return Optional.of(new StoredAccount(name, hash, rs.getString(3), permissions, authorizedKeys));
    }

    /** Adds or replaces the account. The name and hash are checked as for the users file. */
    @Override
    public void put(StoredAccount account) throws AccountStoreUnavailableException {
        if (!UsersFile.isValidName(account.name())) {
            throw new IllegalArgumentException("bad user name '" + account.name() + "': use letters, digits, '.', '_', '-' and '@'");
        }
        if (!PasswordHasher.isValidHash(account.passwordHash())) {
            throw new IllegalArgumentException("the password must be a " + PasswordHasher.SCHEME + " hash");
        }
        run("store an account", connection -> {
            try (PreparedStatement st = connection.prepareStatement("""
                    INSERT INTO jftpd_accounts (name, password_hash, home, permissions, authorized_keys, changed_at)
                    VALUES (?, ?, ?, ?, ?, now())
                    ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, home = excluded.home,
                        permissions = excluded.permissions, authorized_keys = excluded.authorized_keys, changed_at = now()
                    """)) {
                st.setString(1, account.name());
                st.setString(2, account.passwordHash());
                st.setString(3, account.home());
                st.setString(4, Permission.format(account.permissions()));
                st.setArray(5, connection.createArrayOf("text", account.authorizedKeys().toArray()));
                return st.executeUpdate();
            }
        });
    }

    @Override
    public boolean remove(String name) throws AccountStoreUnavailableException {
        return run("remove an account", connection -> {
            try (PreparedStatement st = connection.prepareStatement("DELETE FROM jftpd_accounts WHERE name = ?")) {
                st.setString(1, name);
                return st.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Tells every listener; one that throws is logged and does not stop the others. */
    void changed(String name) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(name);
            } catch (RuntimeException e) {
                log.warn("an account change listener failed for '{}': {}", name, e.toString());
            }
        }
    }

    /** False while the database could not be reached: the last lookup or the watcher failed. */
    public boolean isAvailable() {
        return availability.isUp();
    }

    Availability availability() {
        return availability;
    }

    /** A failure's reason for a message or a log line: the driver's words, without the password. */
    String reason(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String password = url.password();
        if (password != null && password.length() >= 3) {
            message = message.replace(password, "***");
        }
        message = message.strip();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    @Override
    public String describe() {
        return url.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() {
        closed = true;
        watcher.close();
        pool.close();
    }

    /**
     * Whether the database answers, logged on every change of state only: one line when it goes,
     * one when it comes back, however many lookups fail in between.
     */
    static final class Availability {
        private final String where;
        private final AtomicBoolean up = new AtomicBoolean(true);

        Availability(String where) {
            this.where = where;
        }

        void up() {
            if (!up.get() && up.compareAndSet(false, true)) {
                log.info("accounts database {} reachable again; logins resume", where);
            }
        }

        void down(String reason) {
            if (up.get() && up.compareAndSet(true, false)) {
                log.warn("accounts database {} unreachable: {}; new logins are refused until it is back", where, reason);
            }
        }

        boolean isUp() {
            return up.get();
        }
    }
}
