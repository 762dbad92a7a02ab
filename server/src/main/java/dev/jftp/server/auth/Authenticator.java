package dev.jftp.server.auth;

import dev.jftp.server.accounts.AccountStore;
import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.StoredAccount;
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
 * Checks logins against the account store, for every protocol.
 *
 * <p>Stored hashes are deliberately slow (PBKDF2, hundreds of milliseconds). So that a client that
 * logs in again and again (scripts, FileZilla's parallel connections, benchmarks) does not pay that
 * each time, a successful login is remembered for a short while as an HMAC of name and password
 * under a key that exists only in this process's memory, together with the user it proved. The cache
 * holds no password and nothing that could be attacked offline once the process is gone; a wrong
 * password never enters it. When the store says an account changed (a new password, other
 * permissions, removed; see {@link AccountStore#onChange}), that name's entries are dropped, so the
 * next login is checked against the store again.
 */
public final class Authenticator {
    public static final long CACHE_MILLIS = 10 * 60 * 1000;
    private static final int CACHE_LIMIT = 10_000;

    private final AccountStore accounts;
    private final User anonymous;
    private final byte[] cacheKey = new byte[32];
    /** Verified logins by the HMAC of name and password. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(User user, long until) {
    }

    /**
     * @param accounts  where accounts are looked up; this authenticator listens to its changes
     * @param anonymous the anonymous user, or null when anonymous login is off
     */
    public Authenticator(AccountStore accounts, User anonymous) {
        this.accounts = accounts;
        this.anonymous = anonymous;
        new SecureRandom().nextBytes(cacheKey);
        accounts.onChange(this::forget);
    }

    public boolean isAnonymousName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return anonymous != null && (n.equals("anonymous") || n.equals("ftp"));
    }

    /** True when {@code name} is an account of the store (not the anonymous user). */
    public boolean isAccount(String name) throws AccountStoreUnavailableException {
        return accounts.find(name).isPresent();
    }

    /**
     * The user when no slow check is needed: the anonymous user, or a name and password verified
     * within {@link #CACHE_MILLIS} and not changed since; else empty (then {@link #authenticate}
     * decides). A wrong password never gets past this, so it costs a guesser nothing but one HMAC;
     * nor does it ask the account store, so verified logins go on while the store is unreachable.
     */
    public Optional<User> authenticateRemembered(String name, char[] password) {
        if (isAnonymousName(name)) {
            return Optional.of(anonymous);
        }
        Verified entry = verified.get(fingerprint(name, password));
        return entry != null && entry.until() > System.currentTimeMillis() && entry.user().name().equals(name)
                ? Optional.of(entry.user()) : Optional.empty();
    }

    /**
     * The user for a correct name and password, else empty. Constant work for unknown names.
     *
     * @throws AccountStoreUnavailableException when the store cannot be asked now
     */
    public Optional<User> authenticate(String name, char[] password) throws AccountStoreUnavailableException {
        Optional<User> remembered = authenticateRemembered(name, password);
        if (remembered.isPresent()) {
            return remembered;
        }
        StoredAccount account = accounts.find(name).orElse(null);
        // Unknown users cost a full hash too, so timing does not tell which names exist.
        String hash = account != null ? account.passwordHash() : DUMMY_HASH;
        boolean ok = PasswordHasher.verify(password, hash) && account != null;
        if (!ok) {
            return Optional.empty();
        }
        User user = new User(account.name(), account.home(), account.permissions(), false);
        remember(fingerprint(name, password), user);
        return Optional.of(user);
    }

    /** Drops what is remembered of {@code name}: its account changed or went away. */
    private void forget(String name) {
        verified.values().removeIf(v -> v.user().name().equals(name));
    }

    private void remember(String entry, User user) {
        long now = System.currentTimeMillis();
        if (verified.size() >= CACHE_LIMIT) {
            verified.values().removeIf(v -> v.until() <= now);
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
        }
        verified.put(entry, new Verified(user, now + CACHE_MILLIS));
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
