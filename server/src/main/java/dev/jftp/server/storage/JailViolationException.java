package dev.jftp.server.storage;

import java.nio.file.AccessDeniedException;

/** A path that would leave the user's jail (for example through a symbolic link). */
public final class JailViolationException extends AccessDeniedException {
    public JailViolationException(String virtualPath) {
        super(virtualPath, null, "outside the home directory");
    }
}
