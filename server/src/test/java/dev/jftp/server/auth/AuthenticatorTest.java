package dev.jftp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.accounts.Account;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache of verified logins: what may skip the slow hash, and what never may. */
class AuthenticatorTest {
    private static final User ALICE = new User("alice", "alice", EnumSet.allOf(Permission.class), false);
    private static final User ANONYMOUS = new User("anonymous", "", EnumSet.of(Permission.READ), true);

    private final Authenticator authenticator = new Authenticator(
            Map.of("alice", new Account(ALICE, new PasswordHasher(1000).hash("secret".toCharArray()))), ANONYMOUS);

    @Test
    void aPasswordIsRememberedOnlyOnceTheFullCheckAcceptedIt() {
        assertThat(authenticator.authenticateRemembered("alice", "secret".toCharArray())).isEmpty();
        assertThat(authenticator.authenticate("alice", "secret".toCharArray())).contains(ALICE);
        assertThat(authenticator.authenticateRemembered("alice", "secret".toCharArray())).contains(ALICE);
    }

    @Test
    void wrongPasswordsAndUnknownNamesAreNeverRemembered() {
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
}
