package dev.jftp.client;

import dev.jftp.client.glob.Glob;
import dev.jftp.client.login.Destination;
import dev.jftp.client.login.PasswordLookup;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.client.session.ClientSession;
import dev.jftp.client.session.ClientSettings;
import dev.jftp.client.session.LineParser;
import dev.jftp.client.session.UserIo;
import dev.jftp.client.shell.BatchRunner;
import dev.jftp.client.shell.InteractiveShell;
import dev.jftp.client.shell.JLineUserIo;
import dev.jftp.client.shell.StreamUserIo;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The jftp command line: {@code jftp [-P PORT] [-b BATCHFILE] [-r] [-v] [--active] [--tls] [--sftp] [-i KEY]
 * [user@]HOST[:DIR] | ftp://user@host:port/path | ftps://... | sftp://...}.
 */
@Command(name = "jftp", mixinStandardHelpOptions = true, version = "jftp " + ClientSession.VERSION, sortOptions = false,
        description = {"An FTP, FTPS and SFTP client that works like OpenSSH sftp.",
                "The password comes from " + PasswordLookup.ENVIRONMENT_VARIABLE + ", ~/.netrc, or a prompt (3 tries).",
                "A destination naming a file downloads it and exits."})
public final class Jftp implements Callable<Integer> {
    static final int DEFAULT_PORT = 21;

    @Option(names = "-P", paramLabel = "PORT", description = "Port to connect to (default 21; 22 with SFTP).")
    Integer port;

    @Option(names = "-b", paramLabel = "BATCHFILE", description = "Run the commands in BATCHFILE (- for standard input); stop at the first failure; never ask for a password.")
    String batchFile;

    @Option(names = "-r", description = "Recursively copy directories in get and put.")
    boolean recursive;

    @Option(names = "-v", description = "Show the FTP dialogue (never the password).")
    boolean verbose;

    @Option(names = "--active", description = "Active data connections (EPRT/PORT) instead of passive (EPSV/PASV).")
    boolean active;

    @Option(names = "--tls", description = "FTPS with explicit TLS (AUTH TLS, RFC 4217): control and data connections encrypted; "
            + "never logs in without it.")
    boolean tls;

    @Option(names = "--insecure", description = "With --tls or ftps://: take any server certificate without checking it.")
    boolean insecure;

    @Option(names = "--sftp", description = "SFTP over SSH instead of FTP (as sftp:// does); host keys are checked against ~/.ssh/known_hosts.")
    boolean sftp;

    @Option(names = "-i", paramLabel = "IDENTITY_FILE", description = "With SFTP: log in with this private key (repeatable; default ~/.ssh/id_*).")
    List<String> identityFiles = new ArrayList<>();

    @Parameters(arity = "0..1", paramLabel = "DESTINATION",
            description = "[user@]host[:dir], ftp://[user@]host[:port]/path, ftps://... (implicit TLS, port 990) or sftp://... (SFTP, port 22)")
    String destination;

    private final Environment environment;

    Jftp(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        int status = run(args, Environment.system());
        System.exit(status);
    }

    /** Runs the program; returns its exit status. */
    public static int run(String[] args, Environment environment) {
        CommandLine commandLine = new CommandLine(new Jftp(environment));
        commandLine.setOut(environment.out());
        commandLine.setErr(environment.err());
        int status = commandLine.execute(args);
        environment.out().flush();
        environment.err().flush();
        return status;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = environment.err();
        Destination target;
        try {
            target = destination == null ? null : Destination.parse(destination);
        } catch (ClientException e) {
            err.println("jftp: " + e.getMessage());
            return 1;
        }
        BufferedReader batch = null;
        if (batchFile != null) {
            if (batchFile.equals("-")) {
                batch = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8));
            } else {
                Path file = environment.workingDir().resolve(batchFile);
                if (!Files.isReadable(file)) {
                    err.println("jftp: Couldn't open batch file \"" + batchFile + "\"");
                    return 1;
                }
                batch = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            }
        }
        ClientSettings settings = new ClientSettings();
        settings.passive = !active;
        settings.verbose = verbose;
        settings.recursive = recursive;
        settings.quiet = batch != null;
        settings.tls = target != null && target.implicitTls() ? ClientSettings.TlsMode.IMPLICIT
                : tls ? ClientSettings.TlsMode.EXPLICIT : ClientSettings.TlsMode.OFF;
        settings.insecure = insecure;
        settings.sftp = sftp || (target != null && target.sftp());
        if (settings.sftp && (tls || settings.tls != ClientSettings.TlsMode.OFF)) {
            err.println("jftp: --tls and ftps:// are FTP's; SFTP is encrypted by SSH");
            return 1;
        }
        String agent = environment.variables().get("SSH_AUTH_SOCK");
        settings.agentSocket = agent == null || agent.isBlank() ? null : Path.of(agent);
        settings.identityFiles = identityFiles.stream().map(f -> environment.workingDir().resolve(expandHome(f, environment.home()))).toList();
        // Only a person at a terminal can accept an unknown certificate or host key; a script is refused (ssh's BatchMode).
        settings.askAboutCertificates = batch == null && environment.terminal();
        settings.knownHosts = environment.home().resolve(".jftp").resolve("known_hosts");

        boolean interactive = batch == null && environment.terminal();
        Terminal terminal = null;
        LineReader reader = null;
        UserIo io;
        if (interactive) {
            terminal = TerminalBuilder.builder().system(true).name("jftp").build();
            reader = InteractiveShell.reader(terminal, environment.home());
            io = new JLineUserIo(terminal, reader);
        } else {
            // -b never asks for a password, even on a terminal (sftp -b sets BatchMode): a script must not hang at a prompt.
            io = new StreamUserIo(environment.out(), err, environment.terminal(), environment.width(), environment.passwordPrompt(),
                    batch == null && environment.terminal());
        }
        PasswordLookup passwords = new PasswordLookup(environment.variables(), environment.home(), io.err());
        try (ClientSession session = new ClientSession(io, settings, passwords, environment.workingDir())) {
            if (target != null) {
                int connectPort = port != null ? port : target.port() > 0 ? target.port()
                        : settings.sftp ? Destination.SSH_PORT : target.implicitTls() ? Destination.IMPLICIT_TLS_PORT : DEFAULT_PORT;
                try {
                    session.connect(target.host(), connectPort, target.user(), target.password());
                } catch (ClientException e) {
                    io.err().println(e.getMessage());
                    return 1;
                } catch (IOException e) {
                    io.err().println("Connection to " + target.host() + " port " + connectPort + " failed: " + Problems.describe(e));
                    return 1;
                }
                if (target.path() != null) {
                    Integer done = startAt(session, target.path());
                    if (done != null) {
                        return done;
                    }
                }
            }
            if (batch != null) {
                try (BufferedReader commands = batch) {
                    return BatchRunner.run(commands, session, true);
                }
            }
            if (interactive) {
                return InteractiveShell.run(session, terminal, reader);
            }
            // Commands piped in without -b: run them all, echoed; fail if any failed.
            return BatchRunner.run(new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8)), session, false);
        } finally {
            // The terminal's writer buffers: without this a failed login's last words never show.
            io.out().flush();
            io.err().flush();
            if (terminal != null) {
                terminal.close();
            }
        }
    }

    /** "~/key" as a shell would pass it. */
    private static String expandHome(String path, Path home) {
        return path.equals("~") ? home.toString() : path.startsWith("~/") ? home.resolve(path.substring(2)).toString() : path;
    }

    /**
     * host:path or a URL with a path: a directory becomes the working directory; a file is
     * downloaded into the local directory and the program ends (as {@code sftp host:file}).
     *
     * @return the exit status when the program should end, or null to go on
     */
    private static Integer startAt(ClientSession session, String path) {
        boolean directory = path.endsWith("/");
        if (!directory && !Glob.hasMagic(path)) {
            try {
                RemoteEntry entry = session.remote().stat(path);
                directory = entry.isDirectory();
            } catch (RemoteRefusalException e) {
                directory = false; // get reports what is wrong with it
            } catch (IOException | ClientException e) {
                session.io().err().println("Cannot look at \"" + path + "\": " + e.getMessage());
                return 1;
            }
        }
        if (directory) {
            return session.execute("cd " + LineParser.quote(path)) ? null : 1;
        }
        // host:*.txt fetches every match, as sftp does: the wildcards stay wildcards.
        return session.execute("get " + (Glob.hasMagic(path) ? LineParser.quoteKeepingWildcards(path) : LineParser.quote(path))) ? 0 : 1;
    }
}
