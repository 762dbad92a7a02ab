package dev.jftp.server.sftp;

import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.accounts.Permission;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for the shared login services, for the SFTP listener's tests: accounts with plain
 * passwords and authorized keys, a fixed delay before each refusal, and a count of the sessions
 * admitted at once with an optional limit. The real services (with the PBKDF2 authenticator and
 * the growing throttle) come from the assembly.
 */
final class TestSftpLogins implements SftpLogins {
    record Account(String password, SftpUser user, List<String> keys) {
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int maxSessions = Integer.MAX_VALUE;
    private volatile Duration refusalDelay = Duration.ofMillis(10);
    private volatile boolean storeDown;

    TestSftpLogins add(String name, String password, String home, Set<Permission> permissions, String... keys) {
        accounts.put(name, new Account(password, new SftpUser(name, home, permissions), List.of(keys)));
        return this;
    }

    void maxSessions(int max) {
        maxSessions = max;
    }

    void refusalDelay(Duration delay) {
        refusalDelay = delay;
    }

    void storeDown(boolean down) {
        storeDown = down;
    }

    int sessionsNow() {
        return sessions.get();
    }

    int failures() {
        return failures.get();
    }

    @Override
    public boolean admit(InetAddress client) {
        if (sessions.incrementAndGet() > maxSessions) {
            sessions.decrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public void release(InetAddress client) {
        sessions.decrementAndGet();
    }

    @Override
    public Optional<SftpUser> checkPassword(String name, char[] password, InetAddress client, BooleanSupplier abandoned)
            throws AccountStoreUnavailableException, InterruptedException {
        if (storeDown) {
            throw new AccountStoreUnavailableException("test store down", null);
        }
        Account account = accounts.get(name);
        if (account != null && account.password().equals(new String(password))) {
            return Optional.of(account.user());
        }
        failures.incrementAndGet();
        Thread.sleep(refusalDelay);
        return Optional.empty();
    }

    @Override
    public Optional<KeyLogin> keyLogin(String name) throws AccountStoreUnavailableException {
        if (storeDown) {
            throw new AccountStoreUnavailableException("test store down", null);
        }
        Account account = accounts.get(name);
        return account == null ? Optional.empty() : Optional.of(new KeyLogin(account.user(), account.keys()));
    }
}
