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
    public Duration connectTimeout = Duration.ofSeconds(30);
    public Duration replyTimeout = Duration.ofSeconds(120);
    public Duration dataTimeout = Duration.ofSeconds(120);

    FtpClient.Settings ftpSettings(java.util.function.Consumer<String> dialogue) {
        return new FtpClient.Settings(connectTimeout, replyTimeout, dataTimeout, passive, verbose ? dialogue : null);
    }
}
