package dev.jftp.server.security;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** Caps sessions in total and per client address. A permit is taken before a session starts. */
public final class ConnectionLimiter {
    private final Semaphore total;
    private final int perAddress;
    private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxSessions, int maxPerAddress) {
        this.total = new Semaphore(maxSessions);
        this.perAddress = maxPerAddress;
    }

    public enum Verdict { ADMITTED, SERVER_FULL, ADDRESS_FULL }

    public Verdict tryAdmit(InetAddress address) {
        if (!total.tryAcquire()) {
            return Verdict.SERVER_FULL;
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
        byAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
        total.release();
    }

    public int available() {
        return total.availablePermits();
    }
}
