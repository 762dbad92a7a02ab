package dev.jftp.server.sftp;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The SFTP listener's own settings (the services it shares with FTP come separately).
 *
 * @param bindAddress      address to listen on ("0.0.0.0", "127.0.0.1", "::")
 * @param port             TCP port (0 picks a free one)
 * @param hostKeyDirectory where the host keys are kept, made on the first start
 * @param idleTimeout      a session with no traffic for this long is closed
 * @param loginTimeout     a connection not logged in after this long is closed
 */
public record SftpListenerConfig(String bindAddress, int port, Path hostKeyDirectory, Duration idleTimeout, Duration loginTimeout) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofMinutes(1);

    /** Listening on {@code bindAddress:port} with the host keys in {@code hostKeyDirectory} and default timeouts. */
    public static SftpListenerConfig of(String bindAddress, int port, Path hostKeyDirectory) {
        return new SftpListenerConfig(bindAddress, port, hostKeyDirectory, DEFAULT_IDLE_TIMEOUT, DEFAULT_LOGIN_TIMEOUT);
    }
}
