package dev.jftp.server.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Slows down password guessing: each failed login from an address makes the next reply to that
 * address wait longer (doubling from {@link #BASE_DELAY} up to {@link #MAX_DELAY}), whatever names
 * the guesses were for, so that trying many names costs as much as trying one. Failures are
 * forgotten after {@link #FORGET_AFTER} of quiet. Other addresses are not affected. The wait costs
 * nothing but a parked virtual thread.
 *
 * <p>A successful login proves one account only, so it clears only the failures from its address
 * for that account (a user who mistyped their own password starts afresh); the address's failures
 * for other names stay. Otherwise a guesser could reset the schedule with an anonymous login, or a
 * login of their own, between guesses. Failures for a name that is no account count for the address
 * but are kept apart from any account's, and no success clears them.
 *
 * <p>Passwords from one address are also checked one at a time ({@link #awaitTurn}), and a failed
 * check keeps the turn through its delay. Otherwise parallel connections would defeat the delay
 * (each sleeping in parallel) and, worse, each would cost a deliberately slow password hash at once:
 * fifty connections guessing unknown names kept both cores busy and every other client waiting.
 */
public final class LoginThrottle {
    public static final Duration BASE_DELAY = Duration.ofMillis(250);
    public static final Duration MAX_DELAY = Duration.ofSeconds(8);
    public static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int TRACKED_LIMIT = 100_000;

    /** Failures kept apart per account from one address; beyond this, in the shared count. */
    static final int ACCOUNTS_PER_ADDRESS = 16;
    /** Enough to reach {@link #MAX_DELAY} with any base delay of 1 ms or more; keeps the shift small. */
    private static final int COUNT_LIMIT = 30;

    /**
     * The failures from one address: per account tried ({@code byAccount}, which a success for that
     * account clears), and the rest ({@code shared}: names that are no account, or accounts past
     * {@link #ACCOUNTS_PER_ADDRESS}).
     */
    private record Failures(int shared, Map<String, Integer> byAccount, long lastMillis) {
        int count() {
            int total = shared;
            for (int n : byAccount.values()) {
                total += n;
            }
            return Math.min(total, COUNT_LIMIT);
        }

        Failures plusOne(String account, long now) {
            if (account == null || (!byAccount.containsKey(account) && byAccount.size() >= ACCOUNTS_PER_ADDRESS)) {
                return new Failures(Math.min(shared + 1, COUNT_LIMIT), byAccount, now);
            }
            Map<String, Integer> more = new HashMap<>(byAccount);
            more.merge(account, 1, (a, b) -> Math.min(a + b, COUNT_LIMIT));
            return new Failures(shared, Map.copyOf(more), now);
        }

        /** Without the account's failures; null when nothing is left. */
        Failures without(String account) {
            if (!byAccount.containsKey(account)) {
                return this;
            }
            Map<String, Integer> rest = new HashMap<>(byAccount);
            rest.remove(account);
            return shared == 0 && rest.isEmpty() ? null : new Failures(shared, Map.copyOf(rest), lastMillis);
        }
    }

    private final Map<InetAddress, Failures> failures = new ConcurrentHashMap<>();
    private final Map<InetAddress, TurnQueue> turns = new ConcurrentHashMap<>();
    private final Duration baseDelay;

    public LoginThrottle() {
        this(BASE_DELAY);
    }

    /** A throttle with another base delay (tests use a short one). */
    public LoginThrottle(Duration baseDelay) {
        this.baseDelay = baseDelay;
    }

    /**
     * Records a failed login and returns how long to wait before answering it: the longer the more
     * failures came from this address, for any name.
     *
     * @param account the account the password was tried for, or null when the name is no account
     */
    public Duration recordFailure(InetAddress address, String account) {
        long now = System.currentTimeMillis();
        if (failures.size() >= TRACKED_LIMIT) {
            failures.values().removeIf(f -> now - f.lastMillis() > FORGET_AFTER.toMillis());
        }
        Failures f = failures.compute(address, (a, old) ->
                (old == null || now - old.lastMillis() > FORGET_AFTER.toMillis() ? NONE : old).plusOne(account, now));
        long delay = baseDelay.toMillis() << Math.min(f.count() - 1, 16);
        return Duration.ofMillis(Math.min(delay, MAX_DELAY.toMillis()));
    }

    private static final Failures NONE = new Failures(0, Map.of(), 0);

    /** The right to check one password from an address; {@link #close()} passes it on. */
    public interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    private static final class TurnQueue {
        final ReentrantLock lock = new ReentrantLock(true);
        int waiting;
    }

    /**
     * Waits until no other password from {@code address} is being checked (or serving its failure
     * delay). Gives up, returning empty, once {@code abandoned} says the client has gone, so that a
     * queue of hung-up connections costs no hashing.
     */
    public Optional<Turn> awaitTurn(InetAddress address, BooleanSupplier abandoned) throws InterruptedException {
        TurnQueue queue = turns.compute(address, (a, q) -> {
            TurnQueue result = q == null ? new TurnQueue() : q;
            result.waiting++;
            return result;
        });
        boolean locked = false;
        try {
            while (!(locked = queue.lock.tryLock(100, TimeUnit.MILLISECONDS))) {
                if (abandoned.getAsBoolean()) {
                    return Optional.empty();
                }
            }
            return Optional.of(() -> {
                queue.lock.unlock();
                leave(address);
            });
        } finally {
            if (!locked) {
                leave(address);
            }
        }
    }

    private void leave(InetAddress address) {
        turns.computeIfPresent(address, (a, q) -> --q.waiting == 0 ? null : q);
    }

    /**
     * A login to {@code account} from {@code address} succeeded: that account's failures from this
     * address are forgiven (they were most likely its owner's typing); all others stay.
     */
    public void recordSuccess(InetAddress address, String account) {
        failures.computeIfPresent(address, (a, f) -> f.without(account));
    }

    public int failureCount(InetAddress address) {
        Failures f = failures.get(address);
        return f == null ? 0 : f.count();
    }
}
