package dev.jftp.server.sftp;

import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.accounts.User;
import dev.jftp.server.auth.Authenticator;
import dev.jftp.server.auth.LoginThrottle;
import dev.jftp.server.core.Services;
import dev.jftp.server.metrics.JftpdMetrics;
import dev.jftp.server.metrics.JftpdMetrics.LoginMethod;
import dev.jftp.server.limits.ConnectionLimiter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * SFTP logins over the node's shared {@link Services}, checked exactly as FTP's USER/PASS are: the
 * same account store, the authenticator's verified-login cache, one password check at a time per
 * client address with the throttle's growing delay before a refusal, and session permits from the
 * same connection limiter (so {@code --max-sessions} counts FTP and SFTP sessions together).
 *
 * <p>There is no anonymous login over SFTP: "anonymous" and "ftp" are refused like any wrong
 * password (an SSH client has no convention of an e-mail address as password, and read-only public
 * access is an FTP habit).
 */
public final class ServicesLogins implements SftpLogins {
    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final ConnectionLimiter limiter;
    private final Services services;

    public ServicesLogins(Services services) {
        this.services = services;
        this.authenticator = services.authenticator();
        this.throttle = services.loginThrottle();
        this.limiter = services.limiter();
    }

    @Override
    public boolean admit(InetAddress client) {
        return limiter.tryAdmit(client) == ConnectionLimiter.Verdict.ADMITTED;
    }

    @Override
    public void release(InetAddress client) {
        limiter.release(client);
    }

    @Override
    public Optional<SftpUser> checkPassword(String name, char[] password, InetAddress client, BooleanSupplier abandoned)
            throws AccountStoreUnavailableException, InterruptedException {
        boolean anonymousName = authenticator.isAnonymousName(name);
        if (!anonymousName) {
            Optional<User> remembered = authenticator.authenticateRemembered(name, password);
            if (remembered.isPresent()) {
                throttle.recordSuccess(client, name);
                services.metrics().loginSucceeded(LoginMethod.CACHED);
                return remembered.map(ServicesLogins::sftpUser);
            }
        }
        Optional<LoginThrottle.Turn> turn = throttle.awaitTurn(client, abandoned);
        if (turn.isEmpty()) {
            return Optional.empty(); // the client left while waiting: nothing to check
        }
        try (LoginThrottle.Turn ours = turn.get()) {
            Optional<User> user = anonymousName ? Optional.empty() : authenticator.authenticate(name, password);
            if (user.isPresent()) {
                throttle.recordSuccess(client, name); // this account's failures only
                services.metrics().loginSucceeded(LoginMethod.PASSWORD);
                return user.map(ServicesLogins::sftpUser);
            }
            // The delay is served holding the turn, so the next guess from this address waits for it,
            // in full even when the client hangs up meanwhile (as over FTP): else hanging up would skip it.
            String account = !anonymousName && authenticator.isAccount(name) ? name : null;
            Duration delay = throttle.recordFailure(client, account);
            services.metrics().loginFailed(LoginMethod.PASSWORD);
            Thread.sleep(delay);
            return Optional.empty();
        }
    }

    @Override
    public Optional<KeyLogin> keyLogin(String name) throws AccountStoreUnavailableException {
        if (authenticator.isAnonymousName(name)) {
            return Optional.empty();
        }
        Optional<StoredAccount> account = services.accounts().find(name);
        return account.map(a -> new KeyLogin(new SftpUser(a.name(), a.home(), a.permissions()), a.authorizedKeys()));
    }

    @Override
    public JftpdMetrics metrics() {
        return services.metrics();
    }

    /** How many failed logins the throttle holds against {@code client} (for the log line of a refusal). */
    public int failureCount(InetAddress client) {
        return throttle.failureCount(client);
    }

    private static SftpUser sftpUser(User user) {
        return new SftpUser(user.name(), user.home(), user.permissions());
    }
}
