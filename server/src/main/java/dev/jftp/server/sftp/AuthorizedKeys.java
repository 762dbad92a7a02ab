package dev.jftp.server.sftp;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public keys in OpenSSH's {@code authorized_keys} line format ({@code ssh-ed25519 AAAA… comment}),
 * as accounts carry them for SFTP logins. Only Ed25519, ECDSA (NIST P-256, P-384, P-521) and RSA of
 * at least 2048 bits are accepted. Lines with options ({@code from="…"}, {@code command="…"}) are
 * refused rather than half obeyed: jftpd could not honour a {@code from=} restriction, and a key
 * that silently ignored it would let in what its owner meant to keep out.
 */
public final class AuthorizedKeys {
    private static final Logger log = LoggerFactory.getLogger(AuthorizedKeys.class);

    public static final int MIN_RSA_BITS = 2048;
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");

    private AuthorizedKeys() {
    }

    /**
     * The key of one line.
     *
     * @throws IllegalArgumentException saying what is wrong with the line, for {@code jftpd user add}
     */
    public static PublicKey parse(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            throw new IllegalArgumentException("not a key line");
        }
        String type = text.split("\\s+", 2)[0];
        if (!TYPES.contains(type)) {
            if (type.startsWith("sk-") || type.equals("ssh-dss") || type.contains("-cert-")) {
                throw new IllegalArgumentException(type + " keys are not supported (Ed25519, ECDSA or RSA of at least "
                        + MIN_RSA_BITS + " bits are)");
            }
            throw new IllegalArgumentException("key options are not supported; the line must start with the key type"
                    + " (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa)");
        }
        PublicKey key;
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(String.join(" ", text.split("\\s+")));
            if (entry == null) {
                throw new IllegalArgumentException("not a key line");
            }
            key = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid " + type + " key: " + e.getMessage(), e);
        }
        if (key == null) {
            throw new IllegalArgumentException("not a valid " + type + " key");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA key of " + rsa.getModulus().bitLength() + " bits is too short (at least "
                    + MIN_RSA_BITS + ")");
        }
        return key;
    }

    /** The line as stored: type, Base64 and comment, single spaces; checked by {@link #parse}. */
    public static String canonical(String line) {
        parse(line);
        return String.join(" ", line.strip().split("\\s+"));
    }

    /**
     * True when one of {@code lines} is {@code key}. A line that cannot be parsed (a store edited by
     * hand) is skipped with a log line naming the account, never the key material.
     */
    public static boolean contains(String account, List<String> lines, PublicKey key) {
        for (String line : lines) {
            PublicKey allowed;
            try {
                allowed = parse(line);
            } catch (IllegalArgumentException e) {
                log.warn("an authorized key of {} is skipped: {}", account, e.getMessage());
                continue;
            }
            if (KeyUtils.compareKeys(allowed, key)) {
                return true;
            }
        }
        return false;
    }
}
