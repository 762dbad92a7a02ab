package dev.jftp.server.security;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Slows down password guessing: each failed login from an address makes the next reply to that
 * address wait longer (doubling from {@link #BASE_DELAY} up to {@link #MAX_DELAY}). A success
 * clears the address; failures are forgotten after {@link #FORGET_AFTER} of quiet. Other addresses
 * are not affected. The wait costs nothing but a parked virtual thread.
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

    private record Failures(int count, long lastMillis) {
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

    /** Records a failed login and returns how long to wait before answering it. */
    public Duration recordFailure(InetAddress address) {
        long now = System.currentTimeMillis();
        if (failures.size() >= TRACKED_LIMIT) {
            failures.values().removeIf(f -> now - f.lastMillis() > FORGET_AFTER.toMillis());
        }
        Failures f = failures.compute(address, (a, old) ->
                old == null || now - old.lastMillis() > FORGET_AFTER.toMillis()
                        ? new Failures(1, now) : new Failures(Math.min(old.count() + 1, 30), now));
        long delay = baseDelay.toMillis() << Math.min(f.count() - 1, 16);
        return Duration.ofMillis(Math.min(delay, MAX_DELAY.toMillis()));
    }

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

    public void recordSuccess(InetAddress address) {
        failures.remove(address);
    }

    public int failureCount(InetAddress address) {
        Failures f = failures.get(address);
        return f == null ? 0 : f.count();
    }
}
