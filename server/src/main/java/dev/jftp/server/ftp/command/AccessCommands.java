package dev.jftp.server.ftp.command;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.accounts.User;
import dev.jftp.server.auth.Authenticator;
import dev.jftp.server.auth.LoginThrottle;
import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.ftp.session.SessionState;
import dev.jftp.server.metrics.JftpdMetrics.LoginMethod;
import dev.jftp.server.storage.StorageView;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in and out: USER, PASS, ACCT, REIN, QUIT (RFC 959 section 4.1.1), with the rules FTPS
 * adds: {@code --tls-required} refuses USER (but anonymous) before AUTH TLS, and REIN is refused on
 * a TLS connection (RFC 2228 would have it reset the protection as well, which, like CCC, is not offered).
 */
final class AccessCommands {
    private static final Logger log = LoggerFactory.getLogger(AccessCommands.class);
    /** vsftpd's default too: after this many wrong passwords the connection is closed. */
    static final int MAX_FAILED_LOGINS = 3;

    private AccessCommands() {
    }

    static void user(FtpSession s, String name) throws FtpReplyException, IOException {
        SessionState state = s.state();
        Authenticator authenticator = s.context().authenticator();
        if (state.tls() == null && s.context().config().tls().required() && !authenticator.isAnonymousName(name)) {
            throw new FtpReplyException(ReplyCode.NOT_LOGGED_IN, "This server needs TLS to log in: send AUTH TLS first");
        }
        if (state.isLoggedIn()) {
            throw new FtpReplyException(ReplyCode.NOT_LOGGED_IN, "Already logged in; use REIN to change user");
        }
        state.setPendingUser(name);
        if (authenticator.isAnonymousName(name)) {
            s.reply(ReplyCode.NEED_PASSWORD, "Anonymous login ok, send your e-mail address as password");
        } else {
            s.reply(ReplyCode.NEED_PASSWORD, "Password required for " + name);
        }
    }

    static void pass(FtpSession s, String password) throws FtpReplyException, IOException {
        SessionState state = s.state();
        if (state.isLoggedIn()) {
            s.reply(ReplyCode.SUPERFLUOUS, "Already logged in");
            return;
        }
        String name = state.pendingUser();
        if (name == null) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, "Login with USER first");
        }
        // A login verified a moment ago (scripts, parallel connections) needs neither the slow hash nor
        // a turn, so it may run on the reader thread; anything else waits for its turn and may serve a
        // failure delay, which only the worker may do: the reader must stay free to see the
        // client leave.
        Optional<User> user = s.context().authenticator().authenticateRemembered(name, password.toCharArray());
        boolean remembered = user.isPresent();
        if (user.isEmpty()) {
            s.requireWorker();
            state.setPendingUser(null);
            user = checkInTurn(s, name, password);
            if (user.isEmpty()) {
                return;
            }
        }
        state.setPendingUser(null);
        User u = user.get();
        StorageView files;
        try {
            files = s.context().storage().open(u.home()); // makes the home when missing
        } catch (IOException e) {
            // The reason only: no server path in a log line (the users file says where the home is).
            log.error("session {}: the home directory of {} is not usable: {}", s.id(), u.name(), e.getMessage());
            throw FtpReplyException.logged(ReplyCode.NOT_LOGGED_IN, "Home directory not available");
        }
        s.context().loginThrottle().recordSuccess(s.clientAddress(), u.name()); // this account's failures only
        state.loggedIn(u, files);
        s.context().metrics().loginSucceeded(u.anonymous() ? LoginMethod.ANONYMOUS : remembered ? LoginMethod.CACHED : LoginMethod.PASSWORD);
        // One line naming the user and the client (behind a proxy: "from CLIENT via PROXY").
        log.info("session {}: {} logged in from {}{}", s.id(), u.name(), s.origin().describe(), u.anonymous() ? " (anonymous)" : "");
        s.reply(ReplyCode.LOGGED_IN, u.anonymous() ? "Anonymous access granted, restrictions apply" : "User " + u.name() + " logged in");
    }

    /**
     * The full password check, one at a time per client address; a wrong password is refused here
     * (after its delay). Empty when refused, or when the client left while waiting for its turn.
     */
    private static Optional<User> checkInTurn(FtpSession s, String name, String password) throws IOException {
        Optional<LoginThrottle.Turn> turn;
        try {
            turn = s.context().loginThrottle().awaitTurn(s.clientAddress(), s::isClosing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (turn.isEmpty()) {
            return Optional.empty(); // the client left while waiting: nothing to check, nobody to answer
        }
        try (LoginThrottle.Turn ours = turn.get()) {
            Optional<User> user = s.context().authenticator().authenticate(name, password.toCharArray());
            if (user.isEmpty()) {
                refuse(s, name); // serves the failure delay holding the turn: the next guess waits for it
            }
            return user;
        } catch (AccountStoreUnavailableException e) {
            // Neither right nor wrong: the store cannot say now. No failure is counted against the client.
            log.warn("session {}: login of '{}' not checked, the account store is unavailable: {}", s.id(), ControlCharacters.escape(name),
                    e.getMessage());
            s.reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Logins cannot be checked now; try again later");
            s.close();
            return Optional.empty();
        }
    }

    /** A wrong password: wait (longer after each failure from this address), then 530, or 421 and close. */
    private static void refuse(FtpSession s, String name) throws IOException {
        s.context().metrics().loginFailed(LoginMethod.PASSWORD);
        String account;
        try {
            account = s.context().authenticator().isAccount(name) ? name : null;
        } catch (AccountStoreUnavailableException e) {
            account = null; // counted for the address alone
        }
        LoginThrottle throttle = s.context().loginThrottle();
        Duration delay = throttle.recordFailure(s.clientAddress(), account);
        int failures = s.state().countFailedLogin();
        log.info("session {}: login failed for '{}' from {} (failure {} from this address)", s.id(), ControlCharacters.escape(name),
                s.origin().describe(), throttle.failureCount(s.clientAddress()));
        try {
            s.pause(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failures >= MAX_FAILED_LOGINS) {
            s.reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Too many failed logins; closing connection");
            s.close();
        } else {
            s.reply(ReplyCode.NOT_LOGGED_IN, "Login incorrect");
        }
    }

    static void acct(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.SUPERFLUOUS, "No account needed");
    }

    static void rein(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (s.state().tls() != null) {
            throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "REIN is not available on a TLS connection; connect again instead");
        }
        s.state().reset();
        s.reply(ReplyCode.SERVICE_READY, "Service ready for new user");
    }

    static void quit(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.CLOSING_CONTROL, "Goodbye");
        s.close();
    }
}
