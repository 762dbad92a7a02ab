package dev.jftp.client.session;

import dev.jftp.client.ftp.FtpClient;
import java.time.Duration;

/** The session's switches: those on the command line and those the commands toggle. */
public final class ClientSettings {
    /** Passive (EPSV/PASV) data connections; --active turns it off. */
    public boolean passive = true;
    /** Binary transfers (TYPE I); "ascii" turns it off. */
    public boolean binary = true;
    /** -v: show the protocol dialogue. */
    public boolean verbose;
    /** "progress" toggles the meter (shown only on a terminal anyway). */
    public boolean progress = true;
    /** -r: get and put recurse without -r. */
    public boolean recursive;
    /** Batch mode: no progress, no "Fetching" lines (as sftp -b). */
    public boolean quiet;
    /** lumask, or null to leave file modes to the process. */
    public Integer umask;
    /** FTPS: none, explicit (--tls: AUTH TLS) or implicit (ftps://). */
    public TlsMode tls = TlsMode.OFF;
    /** --insecure: any certificate is taken. */
    public boolean insecure;
    /**
     * Whether an unknown certificate or SSH host key (and an encrypted key's passphrase) may be put
     * to the person: not in batch mode, not without a terminal.
     */
    public boolean askAboutCertificates;
    /** Where accepted certificates are kept; null for ~/.jftp/known_hosts. */
    public java.nio.file.Path knownHosts;
    /** SFTP (sftp:// or --sftp) instead of FTP. */
    public boolean sftp;
    /** -i: the private keys for SFTP's public-key login; empty for OpenSSH's defaults (~/.ssh/id_*). */
    public java.util.List<java.nio.file.Path> identityFiles = java.util.List.of();
    /** $SSH_AUTH_SOCK: the ssh-agent whose keys SFTP offers first; null for none. */
    public java.nio.file.Path agentSocket;
    /** Where SSH host keys are checked and kept; null for ~/.ssh/known_hosts. */
    public java.nio.file.Path sshKnownHosts;
    /** TLS versions to offer; empty for the JDK's defaults (TLS 1.3 and 1.2). */
    public java.util.List<String> tlsProtocols = java.util.List.of();
    public Duration connectTimeout = Duration.ofSeconds(30);
    public Duration replyTimeout = Duration.ofSeconds(120);
    public Duration dataTimeout = Duration.ofSeconds(120);

    public enum TlsMode { OFF, EXPLICIT, IMPLICIT }

    FtpClient.Settings ftpSettings(java.util.function.Consumer<String> dialogue, dev.jftp.client.ftp.TlsOptions tlsOptions,
                                   java.util.function.Consumer<java.io.Closeable> connecting) {
        return new FtpClient.Settings(connectTimeout, replyTimeout, dataTimeout, passive, verbose ? dialogue : null, tlsOptions, connecting);
    }
}
