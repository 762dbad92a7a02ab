package dev.jftp.server.accounts;

import java.util.List;

/** What {@code jftpd user add|list|remove|passwd} needs of a store that can be changed. */
public interface AccountAdministration {
    /** Adds the account, or replaces the one of the same name. */
    void put(StoredAccount account) throws AccountStoreUnavailableException;

    /** Removes the account; false when there was none. */
    boolean remove(String name) throws AccountStoreUnavailableException;

    /** Every account, by name. */
    List<StoredAccount> list() throws AccountStoreUnavailableException;
}
