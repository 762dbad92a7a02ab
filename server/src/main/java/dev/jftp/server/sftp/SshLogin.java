package dev.jftp.server.sftp;

import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.ftp.control.ControlCharacters;
import java.net.InetAddress;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SSH user authentication over the shared accounts: passwords (for the {@code password} and
 * {@code keyboard-interactive} methods alike; MINA asks this for the answer to its one "Password:"
 * prompt) and public keys from the account's authorized keys.
 *
 * <p>A password check takes a slow hash and, when wrong, the throttle's delay; MINA would run it on
 * one of its few I/O threads, which would stall every other connection meanwhile. So the check runs
 * on a virtual thread of its own and answers MINA later through an {@link AsyncAuthException}.
 * A public key is looked up at once (an account lookup, no hashing): MINA checks the signature only
 * after this answered yes, which it cannot do for an answer given later.
 */
final class SshLogin implements PasswordAuthenticator, PublickeyAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(SshLogin.class);

    private final SftpLogins logins;
    private final Executor checks;

    SshLogin(SftpLogins logins, Executor checks) {
        this.logins = logins;
        this.checks = checks;
    }

    @Override
    public boolean authenticate(String username, String password, ServerSession session) throws AsyncAuthException {
        AsyncAuthException answer = new AsyncAuthException();
        InetAddress client = SshSessions.client(session);
        long id = SshSessions.id(session);
        checks.execute(() -> answer.setAuthed(checkPassword(username, password, client, id, session)));
        throw answer;
    }

    private boolean checkPassword(String name, String password, InetAddress client, long id, ServerSession session) {
        try {
            Optional<SftpUser> user = logins.checkPassword(name, password.toCharArray(), client, () -> !session.isOpen());
            if (user.isEmpty()) {
                if (session.isOpen()) {
                    log.info("sftp session {}: login failed for '{}' from {}", id, ControlCharacters.escape(name), client.getHostAddress());
                }
                return false;
            }
            SshSessions.loggingInAs(session, user.get(), "password");
            return true;
        } catch (AccountStoreUnavailableException e) {
            log.warn("sftp session {}: login of '{}' refused for now: {}", id, ControlCharacters.escape(name), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            log.error("sftp session {}: the password check of '{}' failed", id, ControlCharacters.escape(name), e);
            return false;
        }
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        long id = SshSessions.id(session);
        Optional<SftpLogins.KeyLogin> account;
        try {
            account = logins.keyLogin(username);
        } catch (AccountStoreUnavailableException e) {
            log.warn("sftp session {}: key login of '{}' refused for now: {}", id, ControlCharacters.escape(username), e.getMessage());
            return false;
        }
        if (account.isEmpty() || !AuthorizedKeys.contains(username, account.get().authorizedKeys(), key)) {
            // Clients offer each of their keys in turn: a key that is not this account's is no guess.
            log.debug("sftp session {}: key {} is not one of '{}'", id, HostKeys.fingerprint(key), ControlCharacters.escape(username));
            return false;
        }
        SshSessions.loggingInAs(session, account.get().user(), "key " + HostKeys.fingerprint(key));
        return true;
    }
}
