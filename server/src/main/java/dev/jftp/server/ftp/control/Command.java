package dev.jftp.server.ftp.control;

import java.util.Locale;

/**
 * A parsed command line: the verb in upper case and its argument, which is everything after the
 * first space, kept exactly (file names may begin or end with spaces).
 */
public record Command(String verb, String argument) {
    public static Command parse(String line) {
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        return new Command(verb.toUpperCase(Locale.ROOT), argument);
    }

    public boolean hasArgument() {
        return !argument.isEmpty();
    }

    /** The line as it may be logged: never a password, control characters escaped (see ControlCharacters). */
    public String forLog() {
        return verb.equals("PASS") ? "PASS ****" : ControlCharacters.escape(hasArgument() ? verb + " " + argument : verb);
    }
}
