package dev.jftp.client;

import dev.jftp.client.login.PasswordLookup;
import dev.jftp.client.session.ClientSession;
import java.util.ArrayList;
import java.util.List;

/**
 * jftp's command line: the options in one table ({@link Option}), parsed and described from it.
 * Written by hand rather than with picocli because picocli's class files are Java 5's, which the
 * JVM cannot keep in the AOT cache: it loaded and verified 171 of them at every start, 0.2 s of
 * the 0.4 s of CPU that a one-shot session cost. Parsing follows picocli's (and POSIX) rules,
 * which the program had before: options and the destination in any order, short options
 * clustered ({@code -rv}), a value attached or not ({@code -P21}, {@code -P=21}, {@code -P 21}),
 * {@code --} ending the options.
 */
final class CommandLineOptions {
    /** Exit status of a usage mistake (picocli's, which scripts may already test for). */
    static final int USAGE_STATUS = 2;
    private static final int WIDTH = 80;
    /** Column where the descriptions start. */
    private static final int DESCRIPTION_COLUMN = 22;

    /** Every option, in the order of the help. */
    enum Option {
        PORT("-P", null, "PORT", "Port to connect to (default 21; 22 with SFTP)."),
        BATCH("-b", null, "BATCHFILE", "Run the commands in BATCHFILE (- for standard input); stop at the first failure; "
                + "never ask for a password."),
        RECURSIVE("-r", null, null, "Recursively copy directories in get and put."),
        VERBOSE("-v", null, null, "Show the FTP dialogue (never the password)."),
        ACTIVE(null, "--active", null, "Active data connections (EPRT/PORT) instead of passive (EPSV/PASV)."),
        TLS(null, "--tls", null, "FTPS with explicit TLS (AUTH TLS, RFC 4217): control and data connections encrypted; "
                + "never logs in without it."),
        INSECURE(null, "--insecure", null, "With --tls or ftps://: take any server certificate without checking it."),
        SFTP(null, "--sftp", null, "SFTP over SSH instead of FTP (as sftp:// does); host keys are checked against ~/.ssh/known_hosts."),
        IDENTITY("-i", null, "IDENTITY_FILE", "With SFTP: log in with this private key (repeatable; default ~/.ssh/id_*)."),
        HELP("-h", "--help", null, "Show this help message and exit."),
        VERSION("-V", "--version", null, "Print version information and exit.");

        final String shortName;
        final String longName;
        /** Name of the value the option takes, or null for a flag. */
        final String valueLabel;
        final String description;

        Option(String shortName, String longName, String valueLabel, String description) {
            this.shortName = shortName;
            this.longName = longName;
            this.valueLabel = valueLabel;
            this.description = description;
        }

        /** How the help and the error messages name it: its short name when it has one. */
        String displayName() {
            return shortName != null ? shortName : longName;
        }

        static Option named(String name) {
            for (Option o : values()) {
                if (name.equals(o.shortName) || name.equals(o.longName)) {
                    return o;
                }
            }
            return null;
        }
    }

    /** A command line that cannot be run; the message says why, as picocli said it. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static final String POSITIONAL_LABEL = "DESTINATION";
    private static final String POSITIONAL_DESCRIPTION = "[user@]host[:dir], ftp://[user@]host[:port]/path, ftps://... "
            + "(implicit TLS, port 990) or sftp://... (SFTP, port 22)";

    Integer port;
    String batchFile;
    boolean recursive;
    boolean verbose;
    boolean active;
    boolean tls;
    boolean insecure;
    boolean sftp;
    final List<String> identityFiles = new ArrayList<>();
    String destination;
    boolean help;
    boolean version;

    private CommandLineOptions() {
    }

    static CommandLineOptions parse(String[] args) throws UsageException {
        CommandLineOptions parsed = new CommandLineOptions();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
                if (parsed.destination != null) {
                    throw new UsageException("Unmatched argument at index " + i + ": '" + arg + "'");
                }
                parsed.destination = arg;
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (arg.startsWith("--")) {
                int equals = arg.indexOf('=');
                Option option = Option.named(equals < 0 ? arg : arg.substring(0, equals));
                if (option == null || option.longName == null) {
                    throw new UsageException("Unknown option: '" + arg + "'");
                }
                if (option.valueLabel == null) {
                    if (equals >= 0) {
                        throw new UsageException("Invalid value for option '" + option.longName + "': '" + arg.substring(equals + 1)
                                + "' takes no value");
                    }
                    parsed.set(option, null);
                } else if (equals >= 0) {
                    parsed.set(option, arg.substring(equals + 1));
                } else {
                    i = parsed.takeValue(option, args, i);
                }
                continue;
            }
            // One or more short options clustered: flags first, then at most one that takes a value.
            for (int at = 1; at < arg.length(); at++) {
                Option option = Option.named("-" + arg.charAt(at));
                if (option == null || option.shortName == null) {
                    throw new UsageException("Unknown option: '" + (at == 1 ? arg : "-" + arg.substring(at)) + "'");
                }
                if (option.valueLabel == null) {
                    parsed.set(option, null);
                    continue;
                }
                String rest = arg.substring(at + 1);
                if (rest.startsWith("=")) {
                    rest = rest.substring(1);
                }
                if (rest.isEmpty()) {
                    i = parsed.takeValue(option, args, i);
                } else {
                    parsed.set(option, rest);
                }
                break;
            }
        }
        return parsed;
    }

    /** The value of {@code option} is the next argument; returns its index. */
    private int takeValue(Option option, String[] args, int i) throws UsageException {
        if (i + 1 >= args.length || Option.named(args[i + 1]) != null) {
            throw new UsageException("Missing required parameter for option '" + option.displayName() + "' (" + option.valueLabel + ")");
        }
        set(option, args[i + 1]);
        return i + 1;
    }

    private void set(Option option, String value) throws UsageException {
        switch (option) {
            case PORT -> {
                if (port != null) {
                    throw new UsageException("option '-P' (PORT) should be specified only once");
                }
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new UsageException("Invalid value for option '-P': '" + value + "' is not an int");
                }
            }
            case BATCH -> {
                if (batchFile != null) {
                    throw new UsageException("option '-b' (BATCHFILE) should be specified only once");
                }
                batchFile = value;
            }
            case IDENTITY -> identityFiles.add(value);
            case RECURSIVE -> recursive = true;
            case VERBOSE -> verbose = true;
            case ACTIVE -> active = true;
            case TLS -> tls = true;
            case INSECURE -> insecure = true;
            case SFTP -> sftp = true;
            case HELP -> help = true;
            case VERSION -> version = true;
        }
    }

    static String version() {
        return "jftp " + ClientSession.VERSION;
    }

    /** The help: a synopsis, what the program does, then each option, its description wrapped to 80 columns. */
    static String help() {
        StringBuilder help = new StringBuilder();
        StringBuilder synopsis = new StringBuilder("Usage: jftp [-hrvV]");
        for (Option o : Option.values()) {
            if (o.shortName == null) {
                synopsis.append(" [").append(o.longName).append(']');
            }
        }
        for (Option o : Option.values()) {
            if (o.valueLabel != null) {
                synopsis.append(" [").append(o.shortName).append('=').append(o.valueLabel).append(']')
                        .append(o == Option.IDENTITY ? "..." : "");
            }
        }
        synopsis.append(" [").append(POSITIONAL_LABEL).append(']');
        wrap(help, "", synopsis.toString(), "Usage: jftp ".length());
        help.append("An FTP, FTPS and SFTP client that works like OpenSSH sftp.\n")
                .append("The password comes from ").append(PasswordLookup.ENVIRONMENT_VARIABLE)
                .append(", ~/.netrc, or a prompt (3 tries).\n")
                .append("A destination naming a file downloads it and exits.\n");
        wrap(help, "      [" + POSITIONAL_LABEL + "]", POSITIONAL_DESCRIPTION, DESCRIPTION_COLUMN + 2);
        for (Option o : Option.values()) {
            String names = o.shortName == null ? "      " + o.longName
                    : "  " + o.shortName + (o.longName != null ? ", " + o.longName : "");
            wrap(help, names + (o.valueLabel != null ? "=" + o.valueLabel : ""), o.description, DESCRIPTION_COLUMN + 2);
        }
        return help.toString();
    }

    /**
     * Appends {@code head}, then {@code text} from column {@link #DESCRIPTION_COLUMN} (or the
     * whole {@code text} when the head is empty), broken at spaces before column 80, further lines
     * indented to {@code indent}.
     */
    private static void wrap(StringBuilder out, String head, String text, int indent) {
        StringBuilder line = new StringBuilder(head);
        if (!head.isEmpty()) {
            line.append(" ".repeat(Math.max(1, DESCRIPTION_COLUMN - head.length())));
        }
        boolean lineHasWords = false;
        for (String word : text.split(" ")) {
            if (lineHasWords && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line.setLength(0);
                line.append(" ".repeat(indent));
                lineHasWords = false;
            }
            line.append(lineHasWords ? " " : "").append(word);
            lineHasWords = true;
        }
        out.append(line).append('\n');
    }
}
