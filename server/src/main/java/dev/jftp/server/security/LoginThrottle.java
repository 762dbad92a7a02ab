package dev.jftp.server.security;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: each failed login from an address makes the next reply to that
 * address wait longer (doubling from {@link #BASE_DELAY} up to {@link #MAX_DELAY}). A success
 * clears the address; failures are forgotten after {@link #FORGET_AFTER} of quiet. Other addresses
 * are not affected. The wait costs nothing but a parked virtual thread.
 */
public final class LoginThrottle {
    public static final Duration BASE_DELAY = Duration.ofMillis(250);
    public static final Duration MAX_DELAY = Duration.ofSeconds(8);
    public static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int TRACKED_LIMIT = 100_000;

    private record Failures(int count, long lastMillis) {
    }

    private final Map<InetAddress, Failures> failures = new ConcurrentHashMap<>();
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

    public void recordSuccess(InetAddress address) {
        failures.remove(address);
    }

    public int failureCount(InetAddress address) {
        Failures f = failures.get(address);
        return f == null ? 0 : f.count();
    }
}
