package dev.jftp.server;

import dev.jftp.server.accounts.AccountAdministration;
import dev.jftp.server.accounts.AccountStore;
import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.accounts.UsersFile;
import dev.jftp.server.accounts.UsersFileAccounts;
import dev.jftp.server.accounts.postgres.PostgresAccountStore;
import dev.jftp.server.accounts.postgres.PostgresUrl;
import dev.jftp.server.core.Services;
import dev.jftp.server.core.ServicesConfig;
import dev.jftp.server.core.StorageChoice;
import dev.jftp.server.ftp.FtpListener;
import dev.jftp.server.ftp.FtpListenerConfig;
import dev.jftp.server.ftp.data.PassivePortRange;
import dev.jftp.server.limits.ConnectionLimiter;
import dev.jftp.server.net.ProxyProtocol;
import dev.jftp.server.net.TrustedProxies;
import dev.jftp.server.sftp.AuthorizedKeys;
import dev.jftp.server.sftp.HostKeys;
import dev.jftp.server.sftp.SftpListener;
import dev.jftp.server.sftp.SftpListenerConfig;
import dev.jftp.server.tls.SelfSignedCertificate;
import dev.jftp.server.tls.TlsConfig;
import dev.jftp.server.tls.TlsContext;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The jftpd command line: starts the server, or manages the accounts ({@code jftpd user add|list|remove|passwd}). */
@Command(name = "jftpd", mixinStandardHelpOptions = true, version = "jftpd 0.1.0",
        description = "A concurrent FTP/FTPS server, and SFTP server with --sftp-port, over one set of accounts and files. "
                + "With no options it serves ./ftp-root over FTP on port 2121.",
        subcommands = {Jftpd.UserCommand.class},
        sortOptions = false)
public final class Jftpd implements Callable<Integer> {
    /** Read when no --users is given and it exists, so that 'jftpd user add' needs no further step. */
    static final Path DEFAULT_USERS_FILE = Path.of("jftpd.users");

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: all IPv4 interfaces, 0.0.0.0; :: for IPv6 too).")
    String bind = "0.0.0.0";

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on; 0 takes a free port (default: ${DEFAULT-VALUE}).")
    int port = FtpListenerConfig.DEFAULT_PORT;

    @Option(names = "--root", paramLabel = "DIR", description = "Directory served (created if missing; default: ${DEFAULT-VALUE}); "
            + "with --storage memory or s3:// it serves nothing.")
    Path root = Path.of("ftp-root");

    @Option(names = "--user", paramLabel = "NAME:PASSWORD", description = "A read/write user whose home is the root (repeatable).")
    List<String> users = new ArrayList<>();

    @Option(names = "--users", paramLabel = "FILE|postgresql://USER:PASSWORD@HOST:PORT/DB",
            description = "Where accounts are kept: a users file (name:hash:home:permissions; default ./jftpd.users when it exists),"
                    + " or a PostgreSQL database shared by several nodes (tables made when missing; changes reach every node"
                    + " within seconds). The password may come from PGPASSWORD instead of the URL.")
    String usersSource;

    @Option(names = "--storage", paramLabel = "local|memory|s3://BUCKET/PREFIX",
            description = "Where users' files are kept: local (below --root, the default), memory (in this process, gone when it stops), "
                    + "or an S3 bucket below PREFIX (credentials and region from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
                    + "AWS_REGION or AWS_PROFILE; the bucket is checked at start).")
    String storage = "local";

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "The S3 service when it is not AWS (MinIO, Ceph RGW, R2, B2...), e.g. http://127.0.0.1:9000; path-style addressing.")
    String s3Endpoint;

    @Option(names = "--anonymous", description = "Let 'anonymous' and 'ftp' log in with any password, read-only, in the root.")
    boolean anonymous;

    @Option(names = "--passive-ports", paramLabel = "LO-HI", description = "Port range for passive data connections (default: any free port).")
    String passivePorts;

    @Option(names = "--passive-address", paramLabel = "ADDR", description = "IPv4 address announced in PASV replies (for NAT; behind a load balancer, this node's own address).")
    String passiveAddress;

    @Option(names = "--proxy-protocol",
            description = "Connections from --trusted-proxies start with a PROXY protocol header (v1 or v2, HAProxy's"
                    + " send-proxy[-v2]); the client address it carries is used for logs, limits, the login throttle and"
                    + " the data connection checks. Connections from other addresses are taken as direct ones.")
    boolean proxyProtocol;

    @Option(names = "--trusted-proxies", paramLabel = "CIDR[,CIDR...]", split = ",", hideParamSyntax = true,
            description = "The load balancers allowed to send a PROXY header (e.g. 10.0.0.0/8,192.0.2.7); required by --proxy-protocol.")
    List<String> trustedProxies;

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "Serve Prometheus metrics at http://BIND:N/metrics and a health check at /health (200, 503 when stopping).")
    Integer metricsPort;

    @Option(names = "--sftp-port", paramLabel = "N",
            description = "Also serve SFTP (and scp) on this port, for the same accounts and files; 0 takes a free port (default: no SFTP).")
    Integer sftpPort;

    @Option(names = "--ssh-host-key-dir", paramLabel = "DIR",
            description = "Where the SSH host keys (Ed25519 and RSA) are kept, made on first start, mode 600 (default: ${DEFAULT-VALUE}).")
    Path sshHostKeyDir = HostKeys.DEFAULT_DIRECTORY;

    @Option(names = "--max-sessions", paramLabel = "N", description = "Sessions at once, in total, FTP and SFTP together (default: ${DEFAULT-VALUE}).")
    int maxSessions = 2000;

    @Option(names = "--max-sessions-per-ip", paramLabel = "N",
            description = "Sessions at once from one address (default: no limit but --max-sessions). "
                    + "Set it on a server open to the Internet, so that one address cannot take every session.")
    Integer maxSessionsPerIp;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Close sessions idle this long (default: ${DEFAULT-VALUE}).")
    int idleTimeout = 300;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Certificate chain (PEM) for FTPS: AUTH TLS on --port, and --implicit-tls-port.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Private key of --tls-cert (PEM: PKCS#8, or traditional RSA/EC), unencrypted.")
    Path tlsKey;

    @Option(names = "--tls-self-signed", description = "FTPS with a self-signed certificate, made on first start and kept in --tls-dir.")
    boolean tlsSelfSigned;

    @Option(names = "--tls-dir", paramLabel = "DIR", description = "Where --tls-self-signed keeps cert.pem and key.pem (default: ${DEFAULT-VALUE}).")
    Path tlsDir = Path.of("jftpd-tls");

    @Option(names = "--tls-required", description = "Refuse logins (but anonymous) before AUTH TLS, and clear data connections (PROT C) after it.")
    boolean tlsRequired;

    @Option(names = "--implicit-tls-port", paramLabel = "N", description = "Also listen here for implicit FTPS, TLS from the first byte (usually 990).")
    Integer implicitTlsPort;

    @Option(names = "--tls-session-reuse", paramLabel = "required|optional",
            description = "Whether protected data connections must resume the control connection's TLS session "
                    + "(default: ${DEFAULT-VALUE}); optional admits clients that cannot, such as Python's ftplib.FTP_TLS, "
                    + "and leaves passive ports guarded by the client address check alone.")
    String tlsSessionReuse = "required";

    public static void main(String[] args) {
        int status = new CommandLine(new Jftpd()).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (port < 0 || port > 65535 || maxSessions < 1 || (maxSessionsPerIp != null && maxSessionsPerIp < 1) || idleTimeout < 1) {
            err.println("jftpd: --port must be 0-65535; --max-sessions, --max-sessions-per-ip and --idle-timeout must be positive");
            return 2;
        }
        if (sftpPort != null && (sftpPort < 0 || sftpPort > 65535)) {
            err.println("jftpd: --sftp-port must be 0-65535");
            return 2;
        }
        Path rootDir = root.toAbsolutePath().normalize();
        StorageChoice storageChoice;
        try {
            storageChoice = StorageChoice.parse(storage, s3Endpoint);
        } catch (IllegalArgumentException e) {
            err.println("jftpd: " + e.getMessage());
            return 2;
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            err.println("jftpd: --metrics-port must be 0-65535");
            return 2;
        }
        ProxyProtocol proxy = null;
        if (trustedProxies != null && !proxyProtocol) {
            err.println("jftpd: --trusted-proxies is for --proxy-protocol; add --proxy-protocol or drop --trusted-proxies");
            return 2;
        }
        if (proxyProtocol) {
            if (trustedProxies == null || trustedProxies.isEmpty()) {
                err.println("jftpd: --proxy-protocol needs --trusted-proxies CIDR,... (the balancers' addresses): a PROXY header"
                        + " from anyone else would let a client choose its own address");
                return 2;
            }
            try {
                proxy = new ProxyProtocol(TrustedProxies.parse(String.join(",", trustedProxies)), ProxyProtocol.DEFAULT_HEADER_TIMEOUT);
            } catch (IllegalArgumentException e) {
                err.println("jftpd: --trusted-proxies: " + e.getMessage());
                return 2;
            }
        }
        PostgresUrl database = null;
        Path file = null;
        if (usersSource != null && PostgresUrl.looksLikeUrl(usersSource)) {
            try {
                database = PostgresUrl.parse(usersSource);
            } catch (IllegalArgumentException e) {
                err.println("jftpd: --users: " + e.getMessage());
                return 2;
            }
        } else {
            file = usersSource != null ? Path.of(usersSource) : Files.exists(DEFAULT_USERS_FILE) ? DEFAULT_USERS_FILE : null;
        }
        boolean fileHasAccounts = database != null; // a database's accounts may come at any time
        if (file != null) {
            try {
                fileHasAccounts = !UsersFile.load(file).isEmpty();
            } catch (IOException | IllegalArgumentException e) {
                err.println("jftpd: cannot read users file: " + e.getMessage());
                return 2;
            }
        }
        PasswordHasher hasher = new PasswordHasher();
        List<StoredAccount> commandLine = new ArrayList<>();
        for (String spec : users) {
            int colon = spec.indexOf(':');
            if (colon <= 0 || !UsersFile.isValidName(spec.substring(0, colon))) {
                err.println("jftpd: --user takes NAME:PASSWORD, got '" + spec.replaceAll(":.*", ":****") + "'");
                return 2;
            }
            String name = spec.substring(0, colon);
            char[] password = spec.substring(colon + 1).toCharArray();
            commandLine.add(new StoredAccount(name, hasher.hash(password), "", Permission.ALL, List.of()));
            Arrays.fill(password, '\0');
        }
        String generatedPassword = null;
        if (commandLine.isEmpty() && !fileHasAccounts && !anonymous) {
            generatedPassword = randomPassword();
            commandLine.add(new StoredAccount("jftp", hasher.hash(generatedPassword.toCharArray()), "", Permission.ALL, List.of()));
        }
        TlsConfig tls;
        try {
            tls = tlsConfig(err);
        } catch (IOException | IllegalArgumentException e) {
            err.println("jftpd: TLS: " + e.getMessage());
            return 2;
        }
        NodeConfig config;
        try {
            ServicesConfig services = ServicesConfig.defaults(rootDir)
                    .withStorage(storageChoice)
                    .withUsersFile(file)
                    .withUsersDatabase(database)
                    .withAccounts(commandLine)
                    .withAnonymous(anonymous)
                    .withLimits(maxSessions, maxSessionsPerIp == null ? ConnectionLimiter.NO_LIMIT_PER_ADDRESS : maxSessionsPerIp);
            FtpListenerConfig ftp = FtpListenerConfig.defaults()
                    .withBindAddress(InetAddress.getByName(bind))
                    .withPort(port)
                    .withTimeouts(Duration.ofSeconds(idleTimeout), Duration.ofSeconds(30))
                    .withPassive(passivePorts == null ? PassivePortRange.ANY : PassivePortRange.parse(passivePorts),
                            passiveAddress == null ? null : InetAddress.getByName(passiveAddress))
                    .withTls(tls)
                    .withProxyProtocol(proxy);
            SftpListenerConfig sftp = sftpPort == null ? null
                    : new SftpListenerConfig(bind, sftpPort, sshHostKeyDir, Duration.ofSeconds(idleTimeout), SftpListenerConfig.DEFAULT_LOGIN_TIMEOUT);
            config = new NodeConfig(services, ftp, sftp,
                    metricsPort == null ? null : new InetSocketAddress(InetAddress.getByName(bind), metricsPort));
        } catch (IllegalArgumentException | IOException e) {
            err.println("jftpd: " + e.getMessage());
            return 2;
        }
        Services services;
        try {
            services = Services.start(config.services(), config.newMetrics());
        } catch (IOException | IllegalArgumentException e) {
            err.println("jftpd: cannot start: " + e.getMessage());
            return 1;
        }
        JftpdNode node;
        try {
            node = JftpdNode.start(config, services);
        } catch (IOException | IllegalStateException e) {
            err.println("jftpd: cannot listen on " + bind + ":" + port + (sftpPort == null ? "" : " and " + sftpPort + " (SFTP)")
                    + ": " + e.getMessage());
            return 1;
        }
        FtpListener server = node.ftp();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("jftpd: stopping (running transfers get " + config.ftp().shutdownGrace().toSeconds() + " s to finish)");
            node.close();
            stopped.countDown();
            // A stop we were asked for is a clean exit, whatever signal asked for it.
            org.slf4j.ILoggerFactory factory = org.slf4j.LoggerFactory.getILoggerFactory();
            if (factory instanceof ch.qos.logback.classic.LoggerContext context) {
                context.stop();
            }
            Runtime.getRuntime().halt(0);
        }, "jftpd-shutdown"));
        if (generatedPassword != null) {
            // Printed once bound, so that the example names the real port (also for --port 0).
            InetAddress bound = server.address();
            // A wildcard bind is reachable on the IPv4 loopback address, which reads best in an example.
            String exampleHost = bound.isAnyLocalAddress() ? "127.0.0.1" : hostForUrl(bound);
            err.println("jftpd: no user configured, so one was made for this run:");
            err.println("jftpd:   user 'jftp', password '" + generatedPassword + "'  (home "
                    + switch (storageChoice) {
                        case StorageChoice.Local local -> rootDir;
                        case StorageChoice.Memory memory -> "in memory";
                        case StorageChoice.S3 s3 -> services.storage().describe();
                    } + ")");
            err.println("jftpd:   e.g.  curl ftp://jftp:" + generatedPassword + "@" + exampleHost + ":" + server.port() + "/");
            err.println("jftpd: use --user NAME:PASSWORD, --users FILE or 'jftpd user add NAME' for lasting accounts.");
        }
        if (database != null) {
            err.println("jftpd: accounts in " + database.describe());
        }
        if (proxy != null) {
            err.println("jftpd: PROXY protocol from " + proxy.trusted());
        }
        if (node.metricsPort() >= 0) {
            err.println("jftpd: metrics on http://" + hostForUrl(server.address()) + ":" + node.metricsPort() + "/metrics");
        }
        if (server.implicitTlsPort() >= 0) {
            err.println("jftpd: implicit FTPS on " + hostForUrl(server.address()) + ":" + server.implicitTlsPort());
        }
        if (node.sftp().isPresent()) {
            SftpListener sftp = node.sftp().get();
            // Every start, so that users can compare with what ssh shows them on first contact.
            for (String fingerprint : sftp.hostKeyFingerprints()) {
                err.println("jftpd: SSH host key " + fingerprint);
            }
            System.out.println("jftpd SFTP listening on " + hostForUrl(server.address()) + ":" + sftp.port());
        }
        System.out.println("jftpd listening on " + hostForUrl(server.address()) + ":" + server.port());
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** An address as URLs write it: IPv6 in brackets and in its short form (RFC 5952), e.g. [::1]. */
    static String hostForUrl(InetAddress address) {
        if (!(address instanceof java.net.Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        // RFC 5952 section 4.2: the longest run (the first of equals) of two or more zero groups becomes "::".
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > runLength) {
                runStart = i;
                runLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                sb.append("::");
                i += runLength - 1;
                continue;
            }
            if (sb.charAt(sb.length() - 1) != ':' && sb.length() > 1) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return sb.append(scope >= 0 ? text.substring(scope) : "").append(']').toString();
    }

    /** The FTPS settings from the --tls options; prints the certificate's fingerprint. */
    private TlsConfig tlsConfig(PrintStream err) throws IOException {
        if (tlsSelfSigned && (tlsCert != null || tlsKey != null)) {
            throw new IllegalArgumentException("use either --tls-self-signed or --tls-cert/--tls-key");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (implicitTlsPort != null && (implicitTlsPort < 0 || implicitTlsPort > 65535)) {
            throw new IllegalArgumentException("--implicit-tls-port must be 0-65535");
        }
        boolean sessionReuseRequired = switch (tlsSessionReuse) {
            case "required" -> true;
            case "optional" -> false;
            default -> throw new IllegalArgumentException("--tls-session-reuse takes required or optional");
        };
        Path certificate = tlsCert;
        Path key = tlsKey;
        if (tlsSelfSigned) {
            List<String> names = new ArrayList<>();
            if (!InetAddress.getByName(bind).isAnyLocalAddress()) {
                names.add(bind);
            }
            SelfSignedCertificate.PemPair pair = SelfSignedCertificate.ensure(tlsDir, names);
            if (pair.created()) {
                err.println("jftpd: made a self-signed TLS certificate: " + pair.certificate().toAbsolutePath() + " (key " + pair.key().toAbsolutePath() + ")");
            }
            certificate = pair.certificate();
            key = pair.key();
        }
        if (certificate == null) {
            return new TlsConfig(null, tlsRequired, implicitTlsPort == null ? -1 : implicitTlsPort, TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT,
                    sessionReuseRequired);
        }
        TlsContext context = TlsContext.fromPem(certificate, key);
        err.println("jftpd: TLS certificate " + context.certificate().getSubjectX500Principal().getName()
                + ", SHA-256 fingerprint " + context.fingerprint());
        return TlsConfig.explicit(context)
                .withRequired(tlsRequired)
                .withImplicitPort(implicitTlsPort == null ? -1 : implicitTlsPort)
                .withSessionReuseRequired(sessionReuseRequired);
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Command(name = "user", description = "Manage accounts: in a users file, or in PostgreSQL (--users postgresql://...).",
            subcommands = {UserAddCommand.class, UserListCommand.class, UserRemoveCommand.class, UserPasswdCommand.class},
            mixinStandardHelpOptions = true)
    static final class UserCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("jftpd user: say 'jftpd user add|list|remove|passwd ...' (see 'jftpd user --help')");
            return 2;
        }
    }

    /** The {@code --users} option of the user commands, and the store it names. */
    static final class AccountsOption {
        @Option(names = "--users", paramLabel = "FILE|postgresql://USER:PASSWORD@HOST:PORT/DB",
                description = "The users file, or the PostgreSQL database (its tables are made when missing; default: ${DEFAULT-VALUE}).")
        String source = DEFAULT_USERS_FILE.toString();

        /** The store, open for changes; a database that cannot be reached is an AccountStoreUnavailableException later. */
        Store open() throws IOException {
            if (PostgresUrl.looksLikeUrl(source)) {
                PostgresAccountStore store = PostgresAccountStore.open(PostgresUrl.parse(source));
                return new Store(store, store, store.describe());
            }
            Path file = Path.of(source);
            UsersFileAccounts store = UsersFileAccounts.forWriting(file);
            return new Store(store, store, file.toAbsolutePath().toString());
        }
    }

    /** An account store for a user command, closed when it is done. */
    record Store(AccountStore accounts, AccountAdministration administration, String where) implements AutoCloseable {
        @Override
        public void close() {
            accounts.close();
        }
    }

    /**
     * Runs one user command on the store {@code option} names; a bad URL or name is exit 2, a store
     * that cannot be reached or written exit 1, each with one line that names no password.
     */
    private static int withStore(AccountsOption option, StoreWork work) {
        try (Store store = option.open()) {
            return work.run(store);
        } catch (IllegalArgumentException e) {
            System.err.println("jftpd: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("jftpd: " + e.getMessage());
            return 1;
        }
    }

    @FunctionalInterface
    private interface StoreWork {
        int run(Store store) throws IOException;
    }

    @Command(name = "add", description = "Add a user (or set a new password), asking for the password; stores only a hash. "
            + "The password is read from the terminal (twice), or as one line of standard input when it is not a terminal.",
            mixinStandardHelpOptions = true)
    static final class UserAddCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--home", paramLabel = "DIR", description = "Home directory; relative to the server root (default: the root itself).")
        String home = "";

        @Option(names = "--read-only", description = "Read permission only.")
        boolean readOnly;

        @Option(names = "--permissions", paramLabel = "LIST", description = "Comma list of read,write,delete,mkdir,rename (default: all).")
        String permissions;

        @Option(names = "--authorized-key", paramLabel = "FILE.pub",
                description = "An SSH public key (OpenSSH format: a .pub or authorized_keys file; Ed25519, ECDSA, RSA of 2048 bits or more) "
                        + "this user may log in with over SFTP, added to the user's keys (repeatable).")
        List<Path> authorizedKeyFiles = new ArrayList<>();

        @picocli.CommandLine.Mixin
        AccountsOption accounts = new AccountsOption();

        @Override
        public Integer call() throws IOException {
            if (!UsersFile.isValidName(name)) {
                System.err.println("jftpd: bad user name '" + name + "': use letters, digits, '.', '_', '-' and '@'");
                return 2;
            }
            var perms = readOnly ? Permission.READ_ONLY : permissions != null ? Permission.parseList(permissions) : Permission.ALL;
            List<String> newKeys = new ArrayList<>();
            for (Path keyFile : authorizedKeyFiles) {
                try {
                    newKeys.addAll(readKeys(keyFile));
                } catch (IOException | IllegalArgumentException e) {
                    System.err.println("jftpd: " + keyFile + ": " + e.getMessage() + "; nothing written");
                    return 2;
                }
            }
            if (home.contains(":") || home.contains("\n")) {
                System.err.println("jftpd: a home directory may not contain ':' or a line break");
                return 2;
            }
            String hash = PasswordInput.readHash();
            if (hash == null) {
                return 1;
            }
            return withStore(accounts, store -> {
                // The account's keys stay (a new password does not drop them); new ones are added once.
                java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
                store.accounts().find(name).ifPresent(old -> keys.addAll(old.authorizedKeys()));
                keys.addAll(newKeys);
                store.administration().put(new StoredAccount(name, hash, home, perms, List.copyOf(keys)));
                System.err.println("jftpd: user '" + name + "' saved in " + store.where() + " (" + Permission.format(perms)
                        + (keys.isEmpty() ? "" : ", " + keys.size() + " authorized key(s)") + ")");
                return 0;
            });
        }

        /** The key lines of an OpenSSH public key file, each checked and written as type, Base64 and comment. */
        private static List<String> readKeys(Path file) throws IOException {
            List<String> keys = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    keys.add(AuthorizedKeys.canonical(line));
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("holds no public key");
            }
            return keys;
        }
    }

    @Command(name = "list", description = "List the users: name, permissions and home (never a password or hash).", mixinStandardHelpOptions = true)
    static final class UserListCommand implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        AccountsOption accounts = new AccountsOption();

        @Override
        public Integer call() {
            return withStore(accounts, store -> {
                for (StoredAccount account : store.administration().list()) {
                    System.out.println(account.name() + "\t" + Permission.format(account.permissions()) + "\t"
                            + (account.home().isEmpty() ? "/" : account.home()));
                }
                System.out.flush();
                return 0;
            });
        }
    }

    @Command(name = "remove", description = "Remove a user; its sessions on every node end within seconds.", mixinStandardHelpOptions = true)
    static final class UserRemoveCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @picocli.CommandLine.Mixin
        AccountsOption accounts = new AccountsOption();

        @Override
        public Integer call() {
            return withStore(accounts, store -> {
                if (!store.administration().remove(name)) {
                    System.err.println("jftpd: no user '" + name + "' in " + store.where());
                    return 1;
                }
                System.err.println("jftpd: user '" + name + "' removed from " + store.where());
                return 0;
            });
        }
    }

    @Command(name = "passwd", description = "Set a user's password (asked as for 'add'); home and permissions stay.", mixinStandardHelpOptions = true)
    static final class UserPasswdCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @picocli.CommandLine.Mixin
        AccountsOption accounts = new AccountsOption();

        @Override
        public Integer call() {
            return withStore(accounts, store -> {
                StoredAccount account = store.accounts().find(name).orElse(null);
                if (account == null) {
                    System.err.println("jftpd: no user '" + name + "' in " + store.where() + "; 'jftpd user add' makes one");
                    return 1;
                }
                String hash = PasswordInput.readHash();
                if (hash == null) {
                    return 1;
                }
                store.administration().put(new StoredAccount(account.name(), hash, account.home(), account.permissions(),
                        account.authorizedKeys()));
                System.err.println("jftpd: new password for '" + name + "' saved in " + store.where());
                return 0;
            });
        }
    }

    /** A new password from whoever runs a user command. */
    static final class PasswordInput {
        private PasswordInput() {
        }

        /**
         * The hash of a new password read as {@link #readPassword} reads it (the password itself is
         * wiped at once); null, after saying so, when none was given.
         */
        static String readHash() throws IOException {
            char[] password = readPassword();
            if (password == null || password.length == 0) {
                System.err.println("jftpd: no password given; nothing written");
                return null;
            }
            try {
                return new PasswordHasher().hash(password);
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        /** From the terminal without echo (asked twice), else one line of standard input. */
        static char[] readPassword() throws IOException {
            Console console = System.console();
            if (console != null && isTerminal(console)) {
                char[] first = console.readPassword("Password: ");
                char[] second = console.readPassword("Password again: ");
                if (first == null || !Arrays.equals(first, second)) {
                    System.err.println("jftpd: the passwords differ");
                    return null;
                }
                return first;
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.toCharArray();
        }

        /**
         * JDK 22 to 24 return a Console from System.console() even when standard input is a pipe;
         * Console.isTerminal() (JDK 22+) tells the two apart. On JDK 21 a console is always a terminal.
         */
        private static boolean isTerminal(Console console) {
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }
    }
}
