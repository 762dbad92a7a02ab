package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import dev.jftp.client.CommandInterruptedException;
import dev.jftp.client.Interruption;
import dev.jftp.client.Problems;
import dev.jftp.client.ftp.FtpClient;
import dev.jftp.client.ftp.TlsOptions;
import dev.jftp.client.glob.Glob;
import dev.jftp.client.glob.LocalGlob;
import dev.jftp.client.glob.RemoteGlob;
import dev.jftp.client.login.LoginFlow;
import dev.jftp.client.login.PasswordLookup;
import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import dev.jftp.client.sftp.SftpLogin;
import dev.jftp.client.tls.CertificateChecker;
import dev.jftp.client.tls.KnownHosts;
import dev.jftp.client.transfer.DataCopy;
import dev.jftp.client.transfer.ProgressMeter;
import dev.jftp.client.transfer.TransferContext;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The client's state between commands (connection, local directory, settings) and the place where
 * a command line becomes a handler call. Every failure ends here as one plain message on the
 * error stream and a false result; the session goes on.
 */
public final class ClientSession implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    private final UserIo io;
    private final ClientSettings settings;
    private final PasswordLookup passwords;
    private final CommandTable commands = CommandTable.standard();
    private final DataCopy copy = new DataCopy();
    private Path localDir;
    private RemoteFiles remote;
    private String host;
    private int port;
    private String user;
    private char[] password;
    private String remoteHome;
    private boolean exitRequested;
    private TransferListener observer = TransferListener.NONE;
    private Runnable afterCommand = () -> { };
    private final Interruption interruption = new Interruption();
    /** Where the session was when its connection was lost, for "open" to return there; null when not lost. */
    private String lostDirectory;

    public ClientSession(UserIo io, ClientSettings settings, PasswordLookup passwords, Path localDir) {
        this.io = io;
        this.settings = settings;
        this.passwords = passwords;
        this.localDir = localDir.toAbsolutePath().normalize();
    }

    // ---- running commands ----

    /** Runs one command line; returns false when it failed (the message has been printed). */
    public boolean execute(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return true;
        }
        String word = trimmed;
        interruption.reset();
        try {
            List<String> args;
            if (trimmed.startsWith("!")) {
                word = "!";
                args = trimmed.length() == 1 ? List.of() : List.of(trimmed.substring(1).strip());
            } else {
                List<String> words = LineParser.split(trimmed);
                word = words.get(0);
                args = words.subList(1, words.size());
            }
            CommandTable.Command command = commands.find(word);
            if (command == null) {
                throw new ClientException("Invalid command \"" + word + "\" (\"help\" lists the commands)");
            }
            command.handler().run(this, args);
            return true;
        } catch (CommandInterruptedException e) {
            io.err().println(word + ": interrupted");
        } catch (ClientException e) {
            io.err().println(interruption.requested() ? word + ": interrupted" : e.getMessage());
        } catch (ConnectionLostException e) {
            io.err().println(connectionLost(e) + " Use \"open\" to reconnect.");
        } catch (IOException e) {
            // after a Ctrl-C, what broke is a consequence of it (a cancelled listing, a closed socket)
            io.err().println(word + ": " + (interruption.requested() ? "interrupted" : Problems.describe(e)));
        } catch (IllegalArgumentException e) {
            io.err().println(word + ": " + e.getMessage());
        } finally {
            io.out().flush();
            io.err().flush();
            afterCommand.run();
        }
        return false;
    }

    /**
     * Ctrl-C while a command runs (from the terminal's signal thread): the command stops as a
     * whole, with the transfer or connection attempt it is in.
     */
    public void interrupt() {
        interruption.request();
        Transfer listing = currentTransfer(); // a listing's transfer has no listener to tell
        if (listing != null) {
            listing.cancel();
        }
    }

    /** Forgets a lost connection, remembering where it was; returns what to tell the user. */
    private String connectionLost(ConnectionLostException e) {
        String dir = remote != null ? remote.knownCwd() : null;
        disconnect();
        lostDirectory = dir;
        return "Connection to " + host + " lost: " + e.getMessage() + ".";
    }

    /**
     * Whether the connection still works (FTP: NOOP), since a server that went away is noticed
     * only by the next command. A dead one is reported and forgotten, as any command would.
     */
    boolean connectionAlive() throws IOException {
        if (remote == null) {
            return false;
        }
        try {
            remote.keepAlive();
            return true;
        } catch (ConnectionLostException e) {
            io.err().println(connectionLost(e));
            return false;
        }
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    void requestExit() {
        exitRequested = true;
    }

    /** The user's Ctrl-C in the command that runs. */
    Interruption interruption() {
        return interruption;
    }

    public CommandTable commands() {
        return commands;
    }

    // ---- the connection ----

    /** Connects and logs in (three tries at the password); replaces nothing: call {@link #disconnect()} first. */
    public void connect(String newHost, int newPort, String newUser, char[] knownPassword) throws IOException, ClientException {
        String name = newUser != null ? newUser : passwords.defaultUser(newHost);
        LoginFlow.Connected connected;
        try {
            // SFTP's classes (and MINA's) load only here: an FTP session never pays for them.
            connected = settings.sftp
                    ? SftpLogin.connect(new SftpLogin.Request(newHost, newPort, name, knownPassword, settings, passwords, io,
                            interruption::connecting, settings.verbose ? this::showDialogue : null))
                    : LoginFlow.connect(newHost, newPort, name, knownPassword, passwords, io::readPassword, io.canAskPassword(),
                            io.err(), settings.ftpSettings(this::showDialogue, tlsOptions(newHost, newPort), interruption::connecting));
        } finally {
            interruption.connected();
        }
        boolean sameServer = newHost.equals(host) && newPort == port && name.equals(user);
        String returnTo = sameServer ? lostDirectory : null;
        lostDirectory = null;
        remote = connected.remote();
        host = newHost;
        port = newPort;
        user = name;
        password = connected.password();
        remoteHome = connected.home();
        if (!settings.binary && remote instanceof FtpClient ftp) {
            ftp.setBinary(false);
        }
        if (!settings.quiet) {
            io.err().println("Connected to " + newHost + ".");
            io.err().flush();
        }
        if (returnTo != null && !returnTo.equals(remoteHome)) {
            try {
                remote.cwd(returnTo);
            } catch (RemoteRefusalException e) {
                io.err().println("Cannot return to \"" + returnTo + "\": " + Problems.describe(e, returnTo));
            }
        }
    }

    /** FTPS as the settings ask for it, with the certificate checked for this host and port; null for plain FTP. */
    private TlsOptions tlsOptions(String newHost, int newPort) {
        if (settings.tls == ClientSettings.TlsMode.OFF) {
            return null;
        }
        SSLContext context;
        if (settings.insecure) {
            context = CertificateChecker.insecureContext();
        } else {
            Path file = settings.knownHosts != null ? settings.knownHosts
                    : Path.of(System.getProperty("user.home"), ".jftp", "known_hosts");
            context = CertificateChecker.context(new CertificateChecker(new KnownHosts(file), newHost, newPort,
                    settings.askAboutCertificates ? io::askLine : null, io.err()));
        }
        return new TlsOptions(settings.tls == ClientSettings.TlsMode.IMPLICIT, context, settings.tlsProtocols);
    }

    private void showDialogue(String line) {
        io.err().println(line);
        io.err().flush();
    }

    /** The connected session, or a plain "Not connected." */
    public RemoteFiles remote() throws ClientException {
        if (remote == null) {
            throw new ClientException("Not connected. Use \"open\" to connect.");
        }
        return remote;
    }

    /** The connected FTP session, for the commands that only FTP has; over SFTP they say so. */
    FtpClient ftp(String command) throws ClientException {
        if (remote() instanceof FtpClient ftp) {
            return ftp;
        }
        throw new ClientException(command + ": an FTP command, not available over " + remote.protocol());
    }

    public boolean isConnected() {
        return remote != null;
    }

    /** Closes the connection without a word to the server (it is gone or going). */
    void disconnect() {
        if (remote != null) {
            remote.close();
            remote = null;
        }
    }

    /** QUIT and close. */
    void quit() {
        lostDirectory = null;
        if (remote != null) {
            remote.quit();
            remote = null;
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String user() {
        return user;
    }

    char[] password() {
        return password;
    }

    void loggedInAs(FtpClient ftp, String name, char[] newPassword) throws IOException {
        user = name;
        password = newPassword;
        remoteHome = ftp.afterLogin();
        if (!settings.binary) {
            ftp.setBinary(false);
        }
    }

    String remoteHome() {
        return remoteHome;
    }

    PasswordLookup passwords() {
        return passwords;
    }

    // ---- what commands share ----

    public UserIo io() {
        return io;
    }

    public ClientSettings settings() {
        return settings;
    }

    /** The user's home directory (~ in local paths). */
    public Path home() {
        return passwords.home();
    }

    public Path localDir() {
        return localDir;
    }

    void setLocalDir(Path dir) {
        localDir = dir.toAbsolutePath().normalize();
    }

    /** The transfer now running, for Ctrl-C; null when none. */
    public Transfer currentTransfer() {
        RemoteFiles c = remote;
        return c == null ? null : c.currentTransfer();
    }

    /** Also tells {@code listener} about every transfer (tests watch and cut transfers with it). */
    public void setTransferObserver(TransferListener listener) {
        observer = listener == null ? TransferListener.NONE : listener;
    }

    /** Runs after every command (the completer drops its cached listings). */
    public void setAfterCommand(Runnable hook) {
        afterCommand = hook;
    }

    TransferContext transferContext() throws ClientException {
        TransferListener listener = TransferListener.both(interruption, observer);
        if (settings.progress && !settings.quiet && io.isTerminal()) {
            listener = TransferListener.both(new ProgressMeter(io.out(), io::width), listener);
        }
        return new TransferContext(remote(), io.out(), io.err(), listener, copy, settings.umask, settings.quiet, interruption);
    }

    /** A local path as typed: escapes removed, ~ expanded, relative to the local directory. */
    Path localPath(String word) {
        return LocalGlob.expandLiteral(localDir, passwords.home(), Glob.unescape(word));
    }

    /** The remote paths a pattern names; a pattern with wildcards must match something. */
    List<RemoteEntry> remoteMatches(String pattern) throws IOException, ClientException {
        List<RemoteEntry> matches = RemoteGlob.expand(remote(), pattern);
        if (matches.isEmpty()) {
            throw new ClientException("File \"" + pattern + "\" not found.");
        }
        return matches;
    }

    /** Exactly one remote path. */
    String oneRemote(String pattern) throws IOException, ClientException {
        List<RemoteEntry> matches = remoteMatches(pattern);
        if (matches.size() > 1) {
            throw new ClientException("\"" + pattern + "\" matches more than one path");
        }
        return matches.get(0).name();
    }

    /** The local paths a pattern names; a pattern with wildcards must match something. */
    List<Path> localMatches(String pattern) throws IOException, ClientException {
        List<Path> matches = LocalGlob.expand(localDir, passwords.home(), pattern);
        if (matches.isEmpty()) {
            throw new ClientException("File \"" + pattern + "\" not found.");
        }
        return matches;
    }

    /** Exactly one local path. */
    Path oneLocal(String pattern) throws IOException, ClientException {
        List<Path> matches = localMatches(pattern);
        if (matches.size() > 1) {
            throw new ClientException("\"" + pattern + "\" matches more than one path");
        }
        return matches.get(0);
    }

    @Override
    public void close() {
        quit();
    }
}
