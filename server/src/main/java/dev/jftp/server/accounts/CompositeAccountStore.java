package dev.jftp.server.accounts;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Several stores asked in turn, the first that knows a name answering for it: {@code --user}
 * accounts before those of {@code --users}, so that the command line wins for a name in both (as it
 * always has).
 */
public final class CompositeAccountStore implements AccountStore {
    private final List<AccountStore> stores;

    public CompositeAccountStore(List<AccountStore> stores) {
        this.stores = List.copyOf(stores);
    }

    @Override
    public Optional<StoredAccount> find(String name) throws AccountStoreUnavailableException {
        for (AccountStore store : stores) {
            Optional<StoredAccount> account = store.find(name);
            if (account.isPresent()) {
                return account;
            }
        }
        return Optional.empty();
    }

    @Override
    public void onChange(Consumer<String> listener) {
        stores.forEach(store -> store.onChange(listener));
    }

    @Override
    public String describe() {
        return stores.stream().map(AccountStore::describe).collect(Collectors.joining(" and "));
    }

    @Override
    public void close() {
        stores.forEach(AccountStore::close);
    }
}
