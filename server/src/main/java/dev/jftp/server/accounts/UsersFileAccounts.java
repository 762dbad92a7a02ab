package dev.jftp.server.accounts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The accounts of a users file ({@code --users FILE}, {@link UsersFile} format), read once when the
 * server starts; a change made to the file afterwards takes a restart, as it always has. Changes made
 * through this object ({@code jftpd user add}) write the file and tell the listeners.
 */
public final class UsersFileAccounts implements AccountStore, AccountAdministration {
    private final Path file;
    private final Map<String, StoredAccount> accounts = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    private UsersFileAccounts(Path file) {
        this.file = file;
    }

    /** Reads {@code file}; a malformed line is an IllegalArgumentException that names it. */
    public static UsersFileAccounts load(Path file) throws IOException {
        UsersFileAccounts store = new UsersFileAccounts(file);
        for (StoredAccount account : UsersFile.load(file)) {
            store.accounts.put(account.name(), account);
        }
        return store;
    }

    /** A users file that need not exist yet: for adding its first account. */
    public static UsersFileAccounts forWriting(Path file) throws IOException {
        return java.nio.file.Files.exists(file) ? load(file) : new UsersFileAccounts(file);
    }

    @Override
    public Optional<StoredAccount> find(String name) {
        return Optional.ofNullable(accounts.get(name));
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    @Override
    public String describe() {
        return "users file " + file;
    }

    @Override
    public void put(StoredAccount account) throws AccountStoreUnavailableException {
        try {
            UsersFile.put(file, account.name(), account.passwordHash(), account.home(), account.permissions());
        } catch (IOException e) {
            throw new AccountStoreUnavailableException("cannot write the users file: " + e.getMessage(), e);
        }
        accounts.put(account.name(), account);
        listeners.forEach(l -> l.accept(account.name()));
    }

    @Override
    public boolean remove(String name) throws AccountStoreUnavailableException {
        boolean removed;
        try {
            removed = UsersFile.remove(file, name);
        } catch (IOException e) {
            throw new AccountStoreUnavailableException("cannot write the users file: " + e.getMessage(), e);
        }
        accounts.remove(name);
        listeners.forEach(l -> l.accept(name));
        return removed;
    }

    @Override
    public List<StoredAccount> list() {
        return accounts.values().stream().sorted(java.util.Comparator.comparing(StoredAccount::name)).toList();
    }
}
