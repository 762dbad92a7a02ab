package dev.jftp.server.accounts;

import java.util.Set;

/**
 * An account that may log in.
 *
 * @param name        login name
 * @param home        where the user is jailed, as the account gives it: "" for the storage's root, a
 *                    path relative to it, or (local storage only) an absolute directory
 * @param permissions what the user may do there
 * @param anonymous   true for the anonymous account, which accepts any password
 */
public record User(String name, String home, Set<Permission> permissions, boolean anonymous) {
    public boolean may(Permission permission) {
        return permissions.contains(permission);
    }
}
