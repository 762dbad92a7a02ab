package dev.jftp.server.limits;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Caps sessions in total and, when asked to, per client address. A permit is taken before a session
 * starts.
 */
public final class ConnectionLimiter {
    /** A per-address limit of this means none: only the total counts. */
    public static final int NO_LIMIT_PER_ADDRESS = 0;

    private final Semaphore total;
    private final int perAddress;
    private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    /** @param maxPerAddress sessions at once from one address, or {@link #NO_LIMIT_PER_ADDRESS} */
    public ConnectionLimiter(int maxSessions, int maxPerAddress) {
        this.total = new Semaphore(maxSessions);
        this.perAddress = maxPerAddress;
    }

    public enum Verdict { ADMITTED, SERVER_FULL, ADDRESS_FULL }

    public Verdict tryAdmit(InetAddress address) {
        if (!total.tryAcquire()) {
            return Verdict.SERVER_FULL;
        }
        if (perAddress == NO_LIMIT_PER_ADDRESS) {
            return Verdict.ADMITTED;
        }
        boolean[] admitted = {false};
        byAddress.compute(address, (a, count) -> {
            int c = count == null ? 0 : count;
            if (c >= perAddress) {
                return count;
            }
            admitted[0] = true;
            return c + 1;
        });
        if (!admitted[0]) {
            total.release();
            return Verdict.ADDRESS_FULL;
        }
        return Verdict.ADMITTED;
    }

    public void release(InetAddress address) {
        if (perAddress != NO_LIMIT_PER_ADDRESS) {
            byAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
        }
        total.release();
    }

    public int available() {
        return total.availablePermits();
    }
}
