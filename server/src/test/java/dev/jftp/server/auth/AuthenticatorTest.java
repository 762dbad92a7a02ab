package dev.jftp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.accounts.AccountStore;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.accounts.User;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The cache of verified logins: what may skip the slow hash, and what never may. */
class AuthenticatorTest {
    private static final PasswordHasher HASHER = new PasswordHasher(1000);
    private static final User ALICE = new User("alice", "alice", EnumSet.allOf(Permission.class), false);
    private static final User ANONYMOUS = new User("anonymous", "", EnumSet.of(Permission.READ), true);

    /** A store whose accounts a test changes, telling the listeners as a real store does. */
    private static final class ChangingStore implements AccountStore {
        final Map<String, StoredAccount> accounts = new ConcurrentHashMap<>();
        final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
        int finds;

        void put(String name, String password, String home) {
            accounts.put(name, new StoredAccount(name, HASHER.hash(password.toCharArray()), home, Permission.ALL, List.of()));
            listeners.forEach(l -> l.accept(name));
        }

        @Override
        public Optional<StoredAccount> find(String name) {
            finds++;
            return Optional.ofNullable(accounts.get(name));
        }

        @Override
        public void onChange(Consumer<String> listener) {
            listeners.add(listener);
        }

        @Override
        public String describe() {
            return "test store";
        }
    }

    private final ChangingStore store = new ChangingStore();
    private final Authenticator authenticator;

    AuthenticatorTest() {
        store.put("alice", "secret", "alice");
        authenticator = new Authenticator(store, ANONYMOUS);
    }

    @Test
    void aPasswordIsRememberedOnlyOnceTheFullCheckAcceptedIt() throws Exception {
        assertThat(authenticator.authenticateRemembered("alice", "secret".toCharArray())).isEmpty();
        assertThat(authenticator.authenticate("alice", "secret".toCharArray())).contains(ALICE);
        assertThat(authenticator.authenticateRemembered("alice", "secret".toCharArray())).contains(ALICE);
    }

    @Test
    void wrongPasswordsAndUnknownNamesAreNeverRemembered() throws Exception {
        assertThat(authenticator.authenticate("alice", "secret".toCharArray())).contains(ALICE);
        assertThat(authenticator.authenticate("alice", "guess".toCharArray())).isEmpty();
        assertThat(authenticator.authenticateRemembered("alice", "guess".toCharArray())).isEmpty();
        assertThat(authenticator.authenticateRemembered("alice", "secreT".toCharArray())).isEmpty();
        assertThat(authenticator.authenticate("bob", "secret".toCharArray())).isEmpty();
        assertThat(authenticator.authenticateRemembered("bob", "secret".toCharArray())).isEmpty();
    }

    @Test
    void anonymousNeedsNoCheckAtAll() {
        assertThat(authenticator.authenticateRemembered("anonymous", "me@example.org".toCharArray())).contains(ANONYMOUS);
        assertThat(authenticator.authenticateRemembered("FTP", "".toCharArray())).contains(ANONYMOUS);
    }

    @Test
    void aRememberedLoginAsksTheStoreNothingAndAChangedAccountIsForgotten() throws Exception {
        assertThat(authenticator.authenticate("alice", "secret".toCharArray())).contains(ALICE);
        int finds = store.finds;
        assertThat(authenticator.authenticateRemembered("alice", "secret".toCharArray())).contains(ALICE);
        assertThat(store.finds).as("lookups for a remembered login").isEqualTo(finds);

        store.put("alice", "new password", "elsewhere"); // a password change, on this node or another
        assertThat(authenticator.authenticateRemembered("alice", "secret".toCharArray())).isEmpty();
        assertThat(authenticator.authenticate("alice", "secret".toCharArray())).isEmpty();
        assertThat(authenticator.authenticate("alice", "new password".toCharArray()))
                .contains(new User("alice", "elsewhere", EnumSet.allOf(Permission.class), false));
    }
}
