package dev.jftp.server.accounts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The accounts given on the command line ({@code --user NAME:PASSWORD}, hashed at start) or by a
 * program that embeds the server: fixed for the life of the process, so they never change.
 */
public final class CommandLineAccounts implements AccountStore {
    private final Map<String, StoredAccount> accounts = new LinkedHashMap<>();

    /** The accounts by name; a later one of the same name replaces an earlier one. */
    public CommandLineAccounts(List<StoredAccount> accounts) {
        for (StoredAccount account : accounts) {
            this.accounts.put(account.name(), account);
        }
    }

    public boolean isEmpty() {
        return accounts.isEmpty();
    }

    @Override
    public Optional<StoredAccount> find(String name) {
        return Optional.ofNullable(accounts.get(name));
    }

    @Override
    public void onChange(Consumer<String> listener) {
        // nothing here ever changes
    }

    @Override
    public String describe() {
        return accounts.size() + " account(s) from the command line";
    }
}
