package dev.jftp.server.core;

import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.accounts.postgres.PostgresUrl;
import dev.jftp.server.limits.ConnectionLimiter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the services every protocol shares are made from (see {@link Services}): where files are
 * kept, who may log in, how logins are throttled and how many sessions a node takes.
 *
 * @param root                  the server root: the local storage's files; with another storage only
 *                              local state
 * @param storage               which backend keeps users' files
 * @param usersFile             the users file ({@code --users FILE}), or null for none
 * @param usersDatabase         the accounts database ({@code --users postgresql://...}), or null for none;
 *                              never together with a users file
 * @param commandLineAccounts   accounts given directly ({@code --user}, hashed), before the file's
 * @param anonymous             whether "anonymous"/"ftp" may log in (read-only, in the storage's root)
 * @param loginFailureDelay     first delay after a wrong password (it doubles with each failure)
 * @param maxSessions           sessions at once, in total, over all protocols
 * @param maxSessionsPerAddress sessions at once from one client address;
 *                              {@link ConnectionLimiter#NO_LIMIT_PER_ADDRESS} (the default) for no
 *                              limit but maxSessions
 */
public record ServicesConfig(
        Path root,
        StorageChoice storage,
        Path usersFile,
        PostgresUrl usersDatabase,
        List<StoredAccount> commandLineAccounts,
        boolean anonymous,
        Duration loginFailureDelay,
        int maxSessions,
        int maxSessionsPerAddress) {

    public ServicesConfig {
        commandLineAccounts = List.copyOf(commandLineAccounts);
        if (usersFile != null && usersDatabase != null) {
            throw new IllegalArgumentException("accounts come from a users file or a database, not both");
        }
    }

    /** The defaults: local storage below {@code root}, no accounts, no anonymous login, 2000 sessions. */
    public static ServicesConfig defaults(Path root) {
        return new ServicesConfig(root, StorageChoice.LOCAL, null, null, List.of(), false, Duration.ofMillis(250), 2000,
                ConnectionLimiter.NO_LIMIT_PER_ADDRESS);
    }

    public ServicesConfig withStorage(StorageChoice choice) {
        return new ServicesConfig(root, choice, usersFile, usersDatabase, commandLineAccounts, anonymous, loginFailureDelay, maxSessions, maxSessionsPerAddress);
    }

    public ServicesConfig withUsersFile(Path file) {
        return new ServicesConfig(root, storage, file, file == null ? usersDatabase : null, commandLineAccounts, anonymous, loginFailureDelay, maxSessions, maxSessionsPerAddress);
    }

    /** Accounts in PostgreSQL, shared by every node, in place of a users file; null changes nothing. */
    public ServicesConfig withUsersDatabase(PostgresUrl url) {
        return new ServicesConfig(root, storage, url == null ? usersFile : null, url, commandLineAccounts, anonymous, loginFailureDelay,
                maxSessions, maxSessionsPerAddress);
    }

    public ServicesConfig withAccounts(List<StoredAccount> accounts) {
        return new ServicesConfig(root, storage, usersFile, usersDatabase, accounts, anonymous, loginFailureDelay, maxSessions, maxSessionsPerAddress);
    }

    public ServicesConfig withAnonymous(boolean on) {
        return new ServicesConfig(root, storage, usersFile, usersDatabase, commandLineAccounts, on, loginFailureDelay, maxSessions, maxSessionsPerAddress);
    }

    public ServicesConfig withLoginFailureDelay(Duration delay) {
        return new ServicesConfig(root, storage, usersFile, usersDatabase, commandLineAccounts, anonymous, delay, maxSessions, maxSessionsPerAddress);
    }

    public ServicesConfig withLimits(int sessions, int perAddress) {
        return new ServicesConfig(root, storage, usersFile, usersDatabase, commandLineAccounts, anonymous, loginFailureDelay, sessions, perAddress);
    }
}
