package dev.jftp.server.accounts.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables jftpd keeps in PostgreSQL, and how they are brought to the version this jftpd knows.
 *
 * <p>{@code jftpd_schema_version} lists the migrations applied. Whoever comes first (a node
 * starting, {@code jftpd user add}) applies the missing ones in one transaction under a
 * transaction-scoped advisory lock, so that nodes starting together wait for each other instead of
 * racing on {@code CREATE TABLE} (which, even with {@code IF NOT EXISTS}, can fail with a unique
 * violation on the catalog when two sessions create the same table at once). A later jftpd adds a
 * migration at the end of {@link #MIGRATIONS}; nothing already applied is ever edited. Quotas, for
 * example, will be a migration adding nullable columns.
 *
 * <p>Every change to {@code jftpd_accounts}, also one made by hand with {@code psql}, is recorded by
 * triggers in {@code jftpd_account_changes} (a revision number and the account's name) and
 * announced with {@code NOTIFY jftpd_account_changes}; nodes read the changes after their last
 * revision. Writers first take an exclusive lock on the change table (a statement trigger, before
 * any row is touched, so that two writers cannot deadlock), which makes revisions become visible in
 * the order they are numbered: a node reading "after revision N" never misses a smaller revision
 * committed later.
 */
final class AccountSchema {
    /** The channel of LISTEN/NOTIFY. */
    static final String CHANNEL = "jftpd_account_changes";
    /** pg_advisory_xact_lock key: "jftp" in ASCII, a constant every jftpd version shares. */
    private static final long MIGRATION_LOCK = 0x6A667470L;

    /** Migration i + 1 is MIGRATIONS.get(i). Append only. */
    static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE jftpd_accounts (
                name            text PRIMARY KEY,
                password_hash   text NOT NULL,
                home            text NOT NULL,
                permissions     text NOT NULL,
                authorized_keys text[] NOT NULL DEFAULT '{}',
                changed_at      timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE jftpd_account_changes (
                revision   bigserial PRIMARY KEY,
                name       text NOT NULL,
                changed_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE OR REPLACE FUNCTION jftpd_lock_account_changes() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                LOCK TABLE jftpd_account_changes IN EXCLUSIVE MODE;
                RETURN NULL;
            END $$;
            CREATE OR REPLACE FUNCTION jftpd_record_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    INSERT INTO jftpd_account_changes (name) VALUES (OLD.name);
                END IF;
                IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.name <> OLD.name) THEN
                    INSERT INTO jftpd_account_changes (name) VALUES (NEW.name);
                END IF;
                PERFORM pg_notify('jftpd_account_changes', '');
                RETURN NULL;
            END $$;
            CREATE TRIGGER jftpd_accounts_lock BEFORE INSERT OR UPDATE OR DELETE ON jftpd_accounts
                FOR EACH STATEMENT EXECUTE FUNCTION jftpd_lock_account_changes();
            CREATE TRIGGER jftpd_accounts_changed AFTER INSERT OR UPDATE OR DELETE ON jftpd_accounts
                FOR EACH ROW EXECUTE FUNCTION jftpd_record_account_change();
            """);

    static final int LATEST = MIGRATIONS.size();

    private AccountSchema() {
    }

    /** The schema is newer than this jftpd: a later version migrated it. */
    static final class TooNewException extends SQLException {
        TooNewException(int found) {
            super("the accounts schema is at version " + found + ", newer than this jftpd knows (" + LATEST
                    + "): run a jftpd at least as new as the one that upgraded it", "55000");
        }
    }

    /**
     * Brings the schema to {@link #LATEST}; returns the version found before (0: there was none).
     * Safe to call from several processes at once.
     */
    static int ensure(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            st.execute("CREATE TABLE IF NOT EXISTS jftpd_schema_version ("
                    + "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            int found;
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM jftpd_schema_version")) {
                rs.next();
                found = rs.getInt(1);
            }
            if (found > LATEST) {
                throw new TooNewException(found);
            }
            for (int version = found + 1; version <= LATEST; version++) {
                st.execute(MIGRATIONS.get(version - 1));
                st.execute("INSERT INTO jftpd_schema_version (version) VALUES (" + version + ")");
            }
            connection.commit();
            return found;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the caller drops it
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // as above
            }
        }
    }
}
