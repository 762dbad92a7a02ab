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
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The jftp program: {@code jftp [-P PORT] [-b BATCHFILE] [-r] [-v] [--active] [--tls] [--sftp] [-i KEY]
 * [user@]HOST[:DIR] | ftp://user@host:port/path | ftps://... | sftp://...} (the options: {@link CommandLineOptions}).
 */
public final class Jftp {
    static final int DEFAULT_PORT = 21;

    private final CommandLineOptions options;
    private final Environment environment;

    private Jftp(CommandLineOptions options, Environment environment) {
        this.options = options;
        this.environment = environment;
    }

    public static void main(String[] args) {
        ChannelProviders.skipServiceLookup();
        int status = run(args, Environment.system());
        if (TrainingRun.active()) {
            try {
                TrainingRun.loadOwnClasses();
            } catch (IOException | LinkageError e) {
                // Only the cache is poorer for it: later starts load those classes from the jar.
                System.err.println("jftp: the start-up cache will miss some classes: " + e);
            }
        }
        // halt, not exit: System.exit first asks for a System.Logger to log the exit (JDK 17+), and
        // finding one scans the class path, which opens and indexes this 9,000-entry jar that the
        // AOT cache otherwise never opens: 5-15 ms of a 55-70 ms one-shot session. Nothing needs
        // the shutdown hooks it would run: run() has closed the session and the terminal (JLine
        // removes its hook on close) and flushed its writers; the streams under them are flushed here.
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /** Runs the program; returns its exit status. */
    public static int run(String[] args, Environment environment) {
        int status;
        try {
            CommandLineOptions options = CommandLineOptions.parse(args);
            if (options.help) {
                environment.out().print(CommandLineOptions.help());
                status = 0;
            } else if (options.version) {
                environment.out().println(CommandLineOptions.version());
                status = 0;
            } else {
                status = new Jftp(options, environment).call();
            }
        } catch (CommandLineOptions.UsageException e) {
            environment.err().println(e.getMessage());
            environment.err().print(CommandLineOptions.help());
            status = CommandLineOptions.USAGE_STATUS;
        } catch (IOException e) {
            environment.err().println("jftp: " + Problems.describe(e));
            status = 1;
        }
        environment.out().flush();
        environment.err().flush();
        return status;
    }

    private int call() throws IOException {
        PrintWriter err = environment.err();
        Destination target;
        try {
            target = options.destination == null ? null : Destination.parse(options.destination);
        } catch (ClientException e) {
            err.println("jftp: " + e.getMessage());
            return 1;
        }
        BufferedReader batch = null;
        if (options.batchFile != null) {
            if (options.batchFile.equals("-")) {
                batch = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8));
            } else {
                Path file = environment.workingDir().resolve(options.batchFile);
                if (!Files.isReadable(file)) {
                    err.println("jftp: Couldn't open batch file \"" + options.batchFile + "\"");
                    return 1;
                }
                batch = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            }
        }
        ClientSettings settings = new ClientSettings();
        settings.passive = !options.active;
        settings.verbose = options.verbose;
        settings.recursive = options.recursive;
        settings.quiet = batch != null;
        settings.tls = target != null && target.implicitTls() ? ClientSettings.TlsMode.IMPLICIT
                : options.tls ? ClientSettings.TlsMode.EXPLICIT : ClientSettings.TlsMode.OFF;
        settings.insecure = options.insecure;
        settings.sftp = options.sftp || (target != null && target.sftp());
        if (settings.sftp && (options.tls || settings.tls != ClientSettings.TlsMode.OFF)) {
            err.println("jftp: --tls and ftps:// are FTP's; SFTP is encrypted by SSH");
            return 1;
        }
        String agent = environment.variables().get("SSH_AUTH_SOCK");
        settings.agentSocket = agent == null || agent.isBlank() ? null : Path.of(agent);
        settings.identityFiles = options.identityFiles.stream().map(f -> environment.workingDir().resolve(expandHome(f, environment.home()))).toList();
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
                int connectPort = options.port != null ? options.port : target.port() > 0 ? target.port()
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
