package dev.jftp.server.auth;

import dev.jftp.server.accounts.Account;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.User;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks logins against the configured accounts.
 *
 * <p>Stored hashes are deliberately slow (PBKDF2, hundreds of milliseconds). So that a client that
 * logs in again and again (scripts, FileZilla's parallel connections, benchmarks) does not pay that
 * each time, a successful login is remembered for a short while as an HMAC of name and password
 * under a key that exists only in this process's memory. The cache holds no password and nothing
 * that could be attacked offline once the process is gone; a wrong password never enters it.
 */
public final class Authenticator {
    public static final long CACHE_MILLIS = 10 * 60 * 1000;
    private static final int CACHE_LIMIT = 10_000;

    private final Map<String, Account> accounts;
    private final User anonymous;
    private final byte[] cacheKey = new byte[32];
    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    /**
     * @param accounts  accounts by login name
     * @param anonymous the anonymous user, or null when anonymous login is off
     */
    public Authenticator(Map<String, Account> accounts, User anonymous) {
        this.accounts = Map.copyOf(accounts);
        this.anonymous = anonymous;
        new SecureRandom().nextBytes(cacheKey);
    }

    public boolean isAnonymousName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return anonymous != null && (n.equals("anonymous") || n.equals("ftp"));
    }

    /** True when {@code name} is a configured account (not the anonymous user). */
    public boolean isAccount(String name) {
        return accounts.containsKey(name);
    }

    public boolean hasUsers() {
        return !accounts.isEmpty() || anonymous != null;
    }

    /**
     * The user when no slow check is needed: the anonymous user, or a name and password verified
     * within {@link #CACHE_MILLIS}; else empty (then {@link #authenticate} decides). A wrong
     * password never gets past this, so it costs a guesser nothing but one HMAC.
     */
    public Optional<User> authenticateRemembered(String name, char[] password) {
        if (isAnonymousName(name)) {
            return Optional.of(anonymous);
        }
        Account account = accounts.get(name);
        if (account == null) {
            return Optional.empty();
        }
        Long until = verified.get(fingerprint(name, password));
        return until != null && until > System.currentTimeMillis() ? Optional.of(account.user()) : Optional.empty();
    }

    /** The user for a correct name and password, else empty. Constant work for unknown names. */
    public Optional<User> authenticate(String name, char[] password) {
        if (isAnonymousName(name)) {
            return Optional.of(anonymous);
        }
        Account account = accounts.get(name);
        String cacheEntry = account == null ? null : fingerprint(name, password);
        if (cacheEntry != null) {
            Long until = verified.get(cacheEntry);
            if (until != null && until > System.currentTimeMillis()) {
                return Optional.of(account.user());
            }
        }
        // Unknown users cost a full hash too, so timing does not tell which names exist.
        String hash = account != null ? account.passwordHash() : DUMMY_HASH;
        boolean ok = PasswordHasher.verify(password, hash) && account != null;
        if (ok) {
            remember(cacheEntry);
            return Optional.of(account.user());
        }
        return Optional.empty();
    }

    private void remember(String entry) {
        long now = System.currentTimeMillis();
        if (verified.size() >= CACHE_LIMIT) {
            verified.values().removeIf(until -> until <= now);
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
        }
        verified.put(entry, now + CACHE_MILLIS);
    }

    private String fingerprint(String name, char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] pw = PasswordHasher.utf8(password);
            try {
                return Base64.getEncoder().encodeToString(mac.doFinal(pw));
            } finally {
                Arrays.fill(pw, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static final String DUMMY_HASH = new PasswordHasher().hash("no such user".toCharArray());
}
