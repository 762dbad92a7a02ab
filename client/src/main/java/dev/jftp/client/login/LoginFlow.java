package dev.jftp.client.login;

import dev.jftp.client.ClientException;
import dev.jftp.client.Problems;
import dev.jftp.client.ftp.FtpClient;
import dev.jftp.client.ftp.LoginFailedException;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.protocol.ReplyCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.UnknownHostException;

/**
 * Connecting and logging in, as sftp does it: at once, with the password from the URL, the
 * environment or ~/.netrc when there is one, else asked for without echo; a wrong password gets
 * "Permission denied, please try again." and another prompt, three tries in all.
 */
public final class LoginFlow {
    public static final int ATTEMPTS = 3;

    /** Asks for a password without echo; returns null when it cannot ask. */
    @FunctionalInterface
    public interface PasswordPrompt {
        char[] ask(String prompt) throws IOException;
    }

    /**
     * A logged-in connection, FTP or SFTP.
     *
     * @param remote   the session
     * @param password the password that worked (kept for "open" to reconnect), or null (a key did)
     * @param home     the directory the server put us in
     */
    public record Connected(RemoteFiles remote, char[] password, String home) {
    }

    private LoginFlow() {
    }

    /**
     * Connects to {@code host:port} and logs in as {@code user}. As ssh does, the host is resolved,
     * connected to and heard from (the greeting, and TLS when asked for) before anyone is asked for
     * a password: a wrong host or port fails at once.
     *
     * @param given a password known already (URL, earlier login), or null
     */
    public static Connected connect(String host, int port, String user, char[] given, PasswordLookup lookup,
                                    PasswordPrompt prompt, boolean canAsk, PrintWriter err, FtpClient.Settings settings)
            throws IOException, ClientException {
        FtpClient ftp = open(host, port, settings);
        boolean done = false;
        try {
            char[] password = given != null ? given : lookup.find(host, user);
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                if (password == null) {
                    if (!canAsk) {
                        throw new ClientException(attempt == 1
                                ? "No password for " + user + "@" + host + ": set " + PasswordLookup.ENVIRONMENT_VARIABLE
                                        + " or put the host in ~/.netrc (jftp asks only on a terminal, never with -b)"
                                : user + "@" + host + ": Permission denied (the stored password was refused and there is no terminal to ask for another).");
                    }
                    password = prompt.ask(user + "@" + host + "'s password: ");
                    if (password == null) {
                        throw new ClientException("No password given for " + user + "@" + host);
                    }
                }
                if (!ftp.isConnected()) {
                    ftp.close();
                    ftp = open(host, port, settings);
                }
                try {
                    try {
                        ftp.login(user, password);
                    } catch (ConnectionLostException e) {
                        // The server hung up while the password was typed, or after a wrong one
                        // (some do): that shows only now. Reconnect once.
                        ftp.close();
                        ftp = open(host, port, settings);
                        ftp.login(user, password);
                    }
                    String home = ftp.afterLogin();
                    done = true;
                    return new Connected(ftp, password, home);
                } catch (LoginFailedException e) {
                    if (!e.reply().is(ReplyCode.NOT_LOGGED_IN)) {
                        // Not "login incorrect" (530, RFC 959 section 4.2) but a refusal another password will not change.
                        throw new ClientException(user + "@" + host + ": login refused: " + e.reply());
                    }
                    if (attempt < ATTEMPTS && canAsk) {
                        err.println("Permission denied, please try again.");
                        err.flush();
                    }
                    password = null;
                } catch (ConnectionLostException e) {
                    throw new ClientException("Connection to " + host + " lost while logging in: " + e.getMessage());
                }
            }
            throw new ClientException(user + "@" + host + ": Permission denied (" + ATTEMPTS + " failed logins).");
        } finally {
            if (!done) {
                ftp.close();
            }
        }
    }

    /** The certificate checker's own words where it refused, else the TLS error. */
    private static String tlsProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return t.getMessage();
            }
        }
        return e.getMessage();
    }

    private static FtpClient open(String host, int port, FtpClient.Settings settings) throws ClientException, IOException {
        try {
            return FtpClient.connect(host, port, settings);
        } catch (dev.jftp.client.ftp.TlsRefusedException e) {
            throw new ClientException(e.getMessage());
        } catch (javax.net.ssl.SSLException e) {
            throw new ClientException("TLS with " + host + " port " + port + " failed: " + tlsProblem(e));
        } catch (UnknownHostException e) {
            throw new ClientException("Could not resolve hostname " + host + ": Name or service not known");
        } catch (ConnectionLostException e) {
            throw new ClientException("Connection to " + host + " port " + port + " failed: " + e.getMessage());
        } catch (java.net.ConnectException e) {
            throw new ClientException("Connection to " + host + " port " + port + " refused");
        } catch (java.net.SocketTimeoutException e) {
            throw new ClientException("Connection to " + host + " port " + port + " timed out");
        } catch (dev.jftp.client.ftp.FtpException e) {
            throw new ClientException(host + " does not greet as an FTP server: " + Problems.describe(e));
        }
    }
}
