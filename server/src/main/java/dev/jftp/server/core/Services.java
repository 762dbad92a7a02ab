package dev.jftp.server.core;

import dev.jftp.server.accounts.AccountStore;
import dev.jftp.server.accounts.CommandLineAccounts;
import dev.jftp.server.accounts.CompositeAccountStore;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import dev.jftp.server.accounts.UsersFileAccounts;
import dev.jftp.server.accounts.postgres.PostgresAccountStore;
import dev.jftp.server.auth.Authenticator;
import dev.jftp.server.auth.LoginThrottle;
import dev.jftp.server.limits.ConnectionLimiter;
import dev.jftp.server.metrics.JftpdMetrics;
import dev.jftp.server.metrics.MeteredStorage;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.local.LocalStorage;
import dev.jftp.server.storage.memory.MemoryStorage;
import dev.jftp.server.storage.s3.S3Settings;
import dev.jftp.server.storage.s3.S3Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every protocol listener of a node shares, made once when the node starts (by
 * {@link #start}) and handed to each listener (FTP now, SFTP later), which builds none of it: who
 * may log in ({@link #accounts}, checked by the {@link #authenticator} under the
 * {@link #loginThrottle}), how many sessions the node takes ({@link #limiter}, over all
 * protocols), where the files are ({@link #storage}), and what is counted for Prometheus
 * ({@link #metrics}; {@link JftpdMetrics#disabled()} without {@code --metrics-port}).
 */
public record Services(
        AccountStore accounts,
        Authenticator authenticator,
        LoginThrottle loginThrottle,
        ConnectionLimiter limiter,
        Storage storage,
        JftpdMetrics metrics) implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Services.class);

    /** The services {@code config} describes, with the storage it names, counting nothing. */
    public static Services start(ServicesConfig config) throws IOException {
        return start(config, JftpdMetrics.disabled());
    }

    /** The services {@code config} describes, with the storage it names, counting into {@code metrics}. */
    public static Services start(ServicesConfig config, JftpdMetrics metrics) throws IOException {
        Storage storage = openStorage(config, metrics);
        return start(config, MeteredStorage.wrap(storage, backendOf(config.storage()), metrics), metrics);
    }

    /** An S3 operation name ("GetObject") as the bounded label of {@code jftpd_s3_requests_total}. */
    private static JftpdMetrics.S3Request s3Request(String operation) {
        for (JftpdMetrics.S3Request kind : S3_REQUESTS) {
            if (kind.label().equals(operation)) {
                return kind;
            }
        }
        return JftpdMetrics.S3Request.OTHER;
    }

    private static final JftpdMetrics.S3Request[] S3_REQUESTS = JftpdMetrics.S3Request.values();

    private static JftpdMetrics.StorageBackend backendOf(StorageChoice choice) {
        return switch (choice) {
            case StorageChoice.Local local -> JftpdMetrics.StorageBackend.LOCAL;
            case StorageChoice.Memory memory -> JftpdMetrics.StorageBackend.MEMORY;
            case StorageChoice.S3 s3 -> JftpdMetrics.StorageBackend.S3;
        };
    }

    /**
     * The services {@code config} describes, but with {@code storage} (made by the caller: a test's
     * decorated storage, an embedding program's own), which they close when they close.
     */
    public static Services start(ServicesConfig config, Storage storage) throws IOException {
        return start(config, storage, JftpdMetrics.disabled());
    }

    /** As {@link #start(ServicesConfig, Storage)}, counting into {@code metrics}. */
    public static Services start(ServicesConfig config, Storage storage, JftpdMetrics metrics) throws IOException {
        try {
            AccountStore accounts = openAccounts(config, metrics);
            User anonymous = config.anonymous() ? new User("anonymous", "", Permission.READ_ONLY, true) : null;
            return new Services(accounts, new Authenticator(accounts, anonymous), new LoginThrottle(config.loginFailureDelay()),
                    new ConnectionLimiter(config.maxSessions(), config.maxSessionsPerAddress()), storage, metrics);
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private static Storage openStorage(ServicesConfig config, JftpdMetrics metrics) throws IOException {
        return switch (config.storage()) {
            case StorageChoice.Local local -> {
                Files.createDirectories(config.root());
                yield LocalStorage.at(config.root());
            }
            case StorageChoice.Memory memory -> new MemoryStorage();
            // Checks the bucket and fails with one reason (never a secret) when it cannot be used.
            case StorageChoice.S3 s3 -> S3Storage.fromUri(s3.uri(), s3.endpoint(), S3Settings.defaults(),
                    (operation, ok) -> metrics.s3Request(s3Request(operation), ok));
        };
    }

    /**
     * {@code --user} accounts first, so that they win over the users file's (or the database's) for
     * the same name. The database need not be up: the store says so in one log line and keeps
     * trying (see {@link PostgresAccountStore#open}).
     */
    private static AccountStore openAccounts(ServicesConfig config, JftpdMetrics metrics) throws IOException {
        List<AccountStore> stores = new ArrayList<>();
        stores.add(new CommandLineAccounts(config.commandLineAccounts()));
        if (config.usersFile() != null) {
            stores.add(UsersFileAccounts.load(config.usersFile()));
        }
        if (config.usersDatabase() != null) {
            PostgresAccountStore database = PostgresAccountStore.open(config.usersDatabase());
            metrics.accountStoreAvailability(database::isAvailable);
            stores.add(database);
        } else {
            metrics.accountStoreAvailability(() -> true);
        }
        return stores.size() == 1 ? stores.getFirst() : new CompositeAccountStore(stores);
    }

    /** Closes the storage and the account store; after every listener has stopped. */
    @Override
    public void close() {
        try {
            storage.close();
        } catch (IOException e) {
            log.warn("closing the storage: {}", e.toString());
        }
        accounts.close();
    }
}
