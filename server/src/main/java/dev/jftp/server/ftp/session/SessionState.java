package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import dev.jftp.server.ftp.data.DataChannel;
import dev.jftp.server.ftp.data.PassiveDataChannel;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.tls.TlsSession;

/**
 * What one FTP session remembers between commands: who is logged in and their files, the working
 * directory, the transfer parameters (TYPE, REST, the data connection asked for), a pending rename,
 * and the protection of the connections (RFC 4217). {@link #reset()} is REIN.
 *
 * <p>Touched by one thread at a time, the session's reader or its worker (see {@link SessionThreads});
 * the hand-over between the two orders their writes.
 */
public final class SessionState {
    /** Algorithm names for HASH, as draft-bryan-ftpext-hash gives them; SHA-256 by default. */
    public static final String DEFAULT_HASH_ALGORITHM = "SHA-256";

    /** Volatile: the listener reads it from another thread to end the sessions of a removed account. */
    private volatile User user;
    private StorageView files;
    private VirtualPath cwd = VirtualPath.ROOT;
    private String pendingUser;
    private int failedLogins;
    private boolean ascii = true; // RFC 959 section 3.1.1.1: ASCII is the default type
    private long restartOffset;
    private VirtualPath renameFrom;
    private DataChannel dataChannel;
    private boolean epsvAll;
    private String hashAlgorithm = DEFAULT_HASH_ALGORITHM;
    private TlsSession tls;
    private boolean protectionBufferSizeSet;
    private boolean protectData;

    // ---- login ----

    /** The logged-in user, or null. */
    public User user() {
        return user;
    }

    public boolean isLoggedIn() {
        return user != null;
    }

    /** The user's name for logs, "-" before a login. */
    public String userName() {
        return user == null ? "-" : user.name();
    }

    /** The user's files; null before a login. */
    public StorageView files() {
        return files;
    }

    /** The name USER gave, waiting for PASS; null when none. */
    public String pendingUser() {
        return pendingUser;
    }

    public void setPendingUser(String name) {
        pendingUser = name;
    }

    /** A login succeeded: the user, their files, the home as working directory; failures forgotten. */
    public void loggedIn(User newUser, StorageView newFiles) {
        user = newUser;
        files = newFiles;
        cwd = VirtualPath.ROOT;
        pendingUser = null;
        failedLogins = 0;
    }

    /** Counts a wrong password of this session; returns how many there were. */
    public int countFailedLogin() {
        return ++failedLogins;
    }

    /** The user may do {@code permission}, else 550. */
    public void require(Permission permission) throws FtpReplyException {
        if (user == null || !user.may(permission)) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, "Permission denied (" + permission.word() + ")");
        }
    }

    // ---- paths ----

    public VirtualPath cwd() {
        return cwd;
    }

    public void changeDirectory(VirtualPath directory) {
        cwd = directory;
    }

    /** Resolves a client path against the working directory; 501 for one that cannot be a path. */
    public VirtualPath resolve(String argument) throws FtpReplyException {
        try {
            return cwd.resolve(argument);
        } catch (VirtualPath.InvalidPathException e) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Bad path: " + e.getMessage());
        }
    }

    /** RNFR: what RNTO renames. */
    public void setRenameFrom(VirtualPath path) {
        renameFrom = path;
    }

    /** Takes what RNFR named (null when none); it serves one RNTO only. */
    public VirtualPath takeRenameFrom() {
        VirtualPath from = renameFrom;
        renameFrom = null;
        return from;
    }

    /** RNFR must be followed directly by RNTO (RFC 959 section 4.1.3): any other command forgets it. */
    void forgetRename() {
        renameFrom = null;
    }

    // ---- transfer parameters ----

    public boolean ascii() {
        return ascii;
    }

    public void setAscii(boolean on) {
        ascii = on;
    }

    /** REST n: where the next RETR or STOR starts. */
    public void setRestartOffset(long offset) {
        restartOffset = offset;
    }

    /** The REST offset the next transfer will take; 0 when none. */
    long restartOffset() {
        return restartOffset;
    }

    /** Takes the REST offset; it applies to the next transfer only. */
    public long takeRestartOffset() {
        long offset = restartOffset;
        restartOffset = 0;
        return offset;
    }

    /** Puts back an offset taken by a command that is handed to the worker to run again from its start. */
    void restoreRestartOffset(long offset) {
        restartOffset = offset;
    }

    /** REST must come right before the transfer it restarts (RFC 3659 section 5.3): other commands forget it. */
    void forgetRestartOffset() {
        restartOffset = 0;
    }

    /** The data connection asked for with PORT, EPRT, PASV or EPSV, not yet used; null when none. */
    public DataChannel dataChannel() {
        return dataChannel;
    }

    /** A new data connection asked for; one asked for before is closed. */
    public void setDataChannel(DataChannel channel) {
        closeDataChannel();
        dataChannel = channel;
    }

    /** Takes the data connection asked for: it serves one transfer. */
    DataChannel takeDataChannel() {
        DataChannel channel = dataChannel;
        dataChannel = null;
        return channel;
    }

    public void closeDataChannel() {
        if (dataChannel != null) {
            dataChannel.close();
            dataChannel = null;
        }
    }

    /**
     * A download that may be quick enough for the reader thread to run (see SessionThreads): binary,
     * over a passive data connection, in the clear.
     */
    public boolean mayBeQuickDownload() {
        return !ascii && !protectData && dataChannel instanceof PassiveDataChannel;
    }

    /** EPSV ALL (RFC 2428 section 4): from now on only EPSV prepares data connections. */
    public boolean epsvAll() {
        return epsvAll;
    }

    public void setEpsvAll() {
        epsvAll = true;
    }

    public String hashAlgorithm() {
        return hashAlgorithm;
    }

    public void setHashAlgorithm(String algorithm) {
        hashAlgorithm = algorithm;
    }

    // ---- protection (RFC 4217) ----

    /** TLS on the control connection, once AUTH TLS or implicit FTPS set it up; else null. */
    public TlsSession tls() {
        return tls;
    }

    void setTls(TlsSession session) {
        tls = session;
    }

    /** PBSZ was given (RFC 4217 section 8: PROT needs it first). */
    public boolean protectionBufferSizeSet() {
        return protectionBufferSizeSet;
    }

    public void setProtectionBufferSize() {
        protectionBufferSizeSet = true;
    }

    /** PROT P: data connections speak TLS (RFC 4217 section 9). */
    public boolean protectData() {
        return protectData;
    }

    public void setProtectData(boolean on) {
        protectData = on;
    }

    /**
     * REIN (RFC 959 section 4.1.1): as at connect, logged out with the default transfer parameters;
     * the connection's protection stays as it is (REIN is refused under TLS, see AccessCommands).
     */
    public void reset() {
        user = null;
        files = null;
        pendingUser = null;
        cwd = VirtualPath.ROOT;
        ascii = true;
        restartOffset = 0;
        renameFrom = null;
        epsvAll = false;
        closeDataChannel();
    }
}
