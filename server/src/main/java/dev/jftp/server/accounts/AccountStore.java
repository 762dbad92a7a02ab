package dev.jftp.server.accounts;

import java.util.Optional;
import java.util.function.Consumer;

/** Where accounts are looked up at login, by every protocol and on every node. */
public interface AccountStore extends AutoCloseable {
    /**
     * The account of this name, or empty when there is none.
     *
     * @throws AccountStoreUnavailableException when the store cannot be asked now (a database down);
     *         the protocol then refuses the login for now (FTP: 421) instead of calling it wrong
     */
    Optional<StoredAccount> find(String name) throws AccountStoreUnavailableException;

    /**
     * Asks to be told the name of every account that changes (password, home, permissions, keys) or
     * disappears, also through another node, within a few seconds. The listener must be quick.
     */
    void onChange(Consumer<String> listener);

    /** For logs and the start-up line: "users file jftpd.users", "postgresql://host:port/db". Never a secret. */
    String describe();

    @Override
    default void close() {
    }
}
