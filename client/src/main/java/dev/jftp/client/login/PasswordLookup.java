package dev.jftp.client.login;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where a password comes from without asking: {@code JFTP_PASSWORD} (for scripts), then
 * {@code ~/.netrc}; anonymous logins get the customary e-mail-like password.
 */
public final class PasswordLookup {
    public static final String ENVIRONMENT_VARIABLE = "JFTP_PASSWORD";

    private final Map<String, String> environment;
    private final Path home;
    private final PrintWriter warnings;
    private Netrc netrc;

    public PasswordLookup(Map<String, String> environment, Path home, PrintWriter warnings) {
        this.environment = environment;
        this.home = home;
        this.warnings = warnings;
    }

    private Netrc netrc() {
        if (netrc == null) {
            netrc = Netrc.load(home.resolve(".netrc"), warnings);
        }
        return netrc;
    }

    /** The password for {@code user} on {@code host}, or null when none is stored. */
    public char[] find(String host, String user) {
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        Netrc.Entry entry = netrc().find(host, user);
        if (entry != null && entry.password() != null) {
            return entry.password().toCharArray();
        }
        if (isAnonymous(user)) {
            return "jftp@".toCharArray();
        }
        return null;
    }

    /** The login name when none was given: the .netrc one for the host, else the local user's. */
    public String defaultUser(String host) {
        Netrc.Entry entry = netrc().find(host, null);
        if (entry != null && entry.login() != null) {
            return entry.login();
        }
        String local = environment.getOrDefault("USER", System.getProperty("user.name", "anonymous"));
        return local == null || local.isBlank() ? "anonymous" : local;
    }

    public static boolean isAnonymous(String user) {
        String u = user.toLowerCase(Locale.ROOT);
        return u.equals("anonymous") || u.equals("ftp");
    }

    public Path home() {
        return home;
    }
}
