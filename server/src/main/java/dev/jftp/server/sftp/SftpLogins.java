package dev.jftp.server.sftp;

import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.metrics.JftpdMetrics;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the SFTP listener needs of the services it shares with FTP: the account store, the
 * authenticator with its cache of verified logins, the login throttle and the connection limits.
 * The assembly that builds those services once provides this; SFTP never builds its own, so that a
 * password guessed over SFTP slows down guesses over FTP from the same address and the other way
 * round, and a session limit counts both protocols.
 */
public interface SftpLogins {
    /** Takes a session permit for a new connection from {@code client}; false when the server or that address is full. */
    boolean admit(InetAddress client);

    /** Gives back the permit of an admitted connection. */
    void release(InetAddress client);

    /**
     * Checks a password exactly as FTP's PASS does: a login verified a moment ago passes at once;
     * otherwise passwords from one address are checked one at a time, and a wrong one is answered
     * only after the throttle's delay (which grows with the failures from that address). Blocks for
     * the slow hash and the delay, so it is called on a thread of its own, never on an I/O thread.
     *
     * @param abandoned says when the client has gone, so that waiting for a turn stops
     * @return the user, or empty for a wrong name or password (after the delay) or a client gone
     * @throws AccountStoreUnavailableException when the accounts cannot be asked now
     */
    Optional<SftpUser> checkPassword(String name, char[] password, InetAddress client, BooleanSupplier abandoned)
            throws AccountStoreUnavailableException, InterruptedException;

    /**
     * The account of {@code name} with the public keys it may log in with (OpenSSH
     * {@code authorized_keys} lines), or empty when there is no such account. Quick: called while
     * the client waits for the answer to a key it offers.
     */
    Optional<KeyLogin> keyLogin(String name) throws AccountStoreUnavailableException;

    /** What SFTP sessions, logins and transfers are counted into (the node's metrics; nothing by default). */
    default JftpdMetrics metrics() {
        return JftpdMetrics.disabled();
    }

    /** An account that may log in with a public key. */
    record KeyLogin(SftpUser user, List<String> authorizedKeys) {
        public KeyLogin {
            authorizedKeys = List.copyOf(authorizedKeys);
        }
    }
}
