package dev.jftp.server.accounts;

import java.nio.file.Path;
import java.util.Set;

/**
 * An account that may log in.
 *
 * @param name        login name
 * @param home        the directory the user is jailed in
 * @param permissions what the user may do there
 * @param anonymous   true for the anonymous account, which accepts any password
 */
public record User(String name, Path home, Set<Permission> permissions, boolean anonymous) {
    public boolean may(Permission permission) {
        return permissions.contains(permission);
    }
}
