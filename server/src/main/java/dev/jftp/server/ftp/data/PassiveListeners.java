package dev.jftp.server.ftp.data;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The passive listeners of one server that wait for their transfer command. The server's watchdog
 * thread sweeps them a few times a second ({@link #sweep}), so that a stranger's connection to a
 * passive port is dropped when it comes rather than when the transfer command does (see
 * {@link PassiveDataChannel}). One thread for all sessions; a session pays one set insertion and
 * one removal per PASV.
 */
public final class PassiveListeners {
    /** How often the server's watchdog calls {@link #sweep}. */
    public static final long SWEEP_MILLIS = 100;

    private final Set<PassiveDataChannel> waiting = ConcurrentHashMap.newKeySet();

    void add(PassiveDataChannel channel) {
        waiting.add(channel);
    }

    void remove(PassiveDataChannel channel) {
        waiting.remove(channel);
    }

    /** Accepts what waits on each listener: strangers are dropped, the client's connection kept. */
    public void sweep() {
        for (PassiveDataChannel channel : waiting) {
            channel.sweep();
        }
    }

    /** Listeners now waiting for their transfer command (for tests). */
    public int size() {
        return waiting.size();
    }
}
