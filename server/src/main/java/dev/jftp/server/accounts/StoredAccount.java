package dev.jftp.server.accounts;

import java.util.List;
import java.util.Set;

/**
 * One account as a store keeps it.
 *
 * @param name           login name
 * @param passwordHash   the password's hash in {@link dev.jftp.server.accounts.PasswordHasher}'s format
 *                       (never the password)
 * @param home           the home as the store gives it: relative to the storage's root ("" is the root)
 *                       or, for a local storage, an absolute directory
 * @param permissions    what the user may do there
 * @param authorizedKeys SSH public keys in OpenSSH {@code authorized_keys} line format (SFTP); may be empty
 */
public record StoredAccount(String name, String passwordHash, String home, Set<Permission> permissions,
        List<String> authorizedKeys) {
    public StoredAccount {
        permissions = Set.copyOf(permissions);
        authorizedKeys = List.copyOf(authorizedKeys);
    }
}
