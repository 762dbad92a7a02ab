package dev.jftp.server.sftp;

import dev.jftp.server.accounts.Permission;
import java.util.Set;

/**
 * Who logged in over SFTP, as the shared account services describe them.
 *
 * @param name        login name
 * @param home        the home as the account store gives it (relative to the storage's root, or an
 *                    absolute directory on a local storage); opened through {@link dev.jftp.server.storage.Storage#open}
 * @param permissions what the user may do there, the same as over FTP
 */
public record SftpUser(String name, String home, Set<Permission> permissions) {
    public SftpUser {
        permissions = Set.copyOf(permissions);
    }
}
