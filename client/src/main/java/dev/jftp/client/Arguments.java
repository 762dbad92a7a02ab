package dev.jftp.client;

import dev.jftp.client.login.PasswordLookup;
import java.util.List;

/**
 * The parsed command line: {@code jftp [-hrvV] [--active] [--insecure] [--tls] [-b BATCHFILE] [-P PORT] [DESTINATION]}.
 * Hand-written rather than a library's: picocli (Java 5 class files, which the class-data archive
 * cannot hold, and annotation proxies made at run time) took 0.1-0.3 s of every start, more than
 * the whole rest of a one-shot transfer's start. Option values come as {@code -P 21}, {@code -P21}
 * or {@code -P=21}; one-letter options cluster ({@code -rv}); {@code --} ends the options.
 *
 * @param port        -P, or null when not given
 * @param batchFile   -b, or null
 * @param destination the operand, or null
 */
public record Arguments(Integer port, String batchFile, boolean recursive, boolean verbose, boolean active, boolean tls,
                        boolean insecure, boolean help, boolean version, String destination) {

    static final String USAGE = """
            Usage: jftp [-hrvV] [--active] [--insecure] [--tls] [-b=BATCHFILE] [-P=PORT]
                        [DESTINATION]
            An FTP client that works like OpenSSH sftp.
            The password comes from %s, ~/.netrc, or a prompt (3 tries).
            A destination naming a file downloads it and exits.
                  [DESTINATION]   [user@]host[:dir], ftp://[user@]host[:port]/path or ftps:
                                    //... (implicit TLS, port 990)
              -P=PORT             Port to connect to (default 21).
              -b=BATCHFILE        Run the commands in BATCHFILE (- for standard input);
                                    stop at the first failure.
              -r                  Recursively copy directories in get and put.
              -v                  Show the FTP dialogue (never the password).
                  --active        Active data connections (EPRT/PORT) instead of passive
                                    (EPSV/PASV).
                  --tls           FTPS with explicit TLS (AUTH TLS, RFC 4217): control and
                                    data connections encrypted; never logs in without it.
                  --insecure      With --tls or ftps://: take any server certificate
                                    without checking it.
              -h, --help          Show this help message and exit.
              -V, --version       Print version information and exit.
            """.formatted(PasswordLookup.ENVIRONMENT_VARIABLE);

    /** A command line that cannot be parsed; the message says why, in picocli's words. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** Parses {@code args}. */
    static Arguments parse(String[] args) throws Invalid {
        Builder b = new Builder();
        List<String> list = List.of(args);
        boolean optionsEnded = false;
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
                if (b.destination != null) {
                    throw new Invalid("Unmatched argument at index " + i + ": '" + arg + "'");
                }
                b.destination = arg;
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.startsWith("--")) {
                switch (arg) {
                    case "--active" -> b.active = true;
                    case "--tls" -> b.tls = true;
                    case "--insecure" -> b.insecure = true;
                    case "--help" -> b.help = true;
                    case "--version" -> b.version = true;
                    default -> throw new Invalid("Unknown option: '" + arg + "'");
                }
            } else {
                i = b.shortOptions(list, i);
            }
        }
        return new Arguments(b.port, b.batchFile, b.recursive, b.verbose, b.active, b.tls, b.insecure, b.help, b.version, b.destination);
    }

    private static final class Builder {
        Integer port;
        String batchFile;
        boolean recursive;
        boolean verbose;
        boolean active;
        boolean tls;
        boolean insecure;
        boolean help;
        boolean version;
        String destination;

        /** One cluster of one-letter options at {@code list[i]}; returns the index of the last argument it used. */
        int shortOptions(List<String> list, int i) throws Invalid {
            String arg = list.get(i);
            for (int at = 1; at < arg.length(); at++) {
                char letter = arg.charAt(at);
                switch (letter) {
                    case 'r' -> recursive = true;
                    case 'v' -> verbose = true;
                    case 'h' -> help = true;
                    case 'V' -> version = true;
                    case 'P', 'b' -> {
                        String value;
                        if (at + 1 < arg.length()) {
                            value = arg.substring(arg.charAt(at + 1) == '=' ? at + 2 : at + 1);
                        } else if (i + 1 < list.size()) {
                            value = list.get(++i);
                        } else {
                            throw new Invalid("Missing required parameter for option '-" + letter + "' (" + (letter == 'P' ? "PORT" : "BATCHFILE") + ")");
                        }
                        if (letter == 'P') {
                            port = parsePort(value);
                        } else {
                            batchFile = value;
                        }
                        return i;
                    }
                    default -> throw new Invalid("Unknown option: '" + (at == 1 ? arg : "-" + letter) + "'");
                }
            }
            return i;
        }

        private static Integer parsePort(String value) throws Invalid {
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw new Invalid("Invalid value for option '-P': '" + value + "' is not an int");
            }
        }
    }
}
