package dev.jftp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;

/**
 * Starts Apache FtpServer (the Java peer) for the benchmark: one listener on 127.0.0.1, one user
 * with a plain-text password (as its users.properties allows), writable home. Everything else is
 * the library's default, except the login limits, raised so the concurrency figure can ask for
 * 10,000 sessions (its worker pool size follows maxLogins by default), and the idle timeout, which
 * the benchmark sets as for every server. Stops on SIGTERM.
 *
 * <p>Usage: {@code ApacheFtpLauncher --port N --root DIR --user NAME --password PW [--max-logins N]
 * [--idle-timeout SECONDS]}
 */
public final class ApacheFtpLauncher {
    private ApacheFtpLauncher() {
    }

    public static void main(String[] args) throws IOException, FtpException {
        int port = 0;
        int maxLogins = 10;
        int idleTimeout = 300;
        Path root = null;
        String user = null;
        String password = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--root" -> root = Path.of(args[i + 1]).toAbsolutePath();
                case "--user" -> user = args[i + 1];
                case "--password" -> password = args[i + 1];
                case "--max-logins" -> maxLogins = Integer.parseInt(args[i + 1]);
                case "--idle-timeout" -> idleTimeout = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (root == null || user == null || password == null) {
            System.err.println("usage: ApacheFtpLauncher --port N --root DIR --user NAME --password PW [--max-logins N]"
                    + " [--idle-timeout SECONDS]");
            System.exit(2);
        }
        Path users = Files.createTempFile("apache-ftpserver-users", ".properties");
        users.toFile().deleteOnExit();
        String prefix = "ftpserver.user." + user + ".";
        Files.writeString(users, String.join("\n",
                prefix + "userpassword=" + password,
                prefix + "homedirectory=" + root,
                prefix + "enableflag=true",
                prefix + "writepermission=true",
                prefix + "maxloginnumber=0",
                prefix + "maxloginperip=0",
                prefix + "idletime=0",
                prefix + "uploadrate=0",
                prefix + "downloadrate=0",
                ""));

        PropertiesUserManagerFactory userManager = new PropertiesUserManagerFactory();
        userManager.setFile(users.toFile());
        userManager.setPasswordEncryptor(new ClearTextPasswordEncryptor());

        ConnectionConfigFactory connections = new ConnectionConfigFactory();
        connections.setMaxLogins(maxLogins);
        connections.setAnonymousLoginEnabled(false);

        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(port);
        listener.setIdleTimeout(idleTimeout);

        FtpServerFactory factory = new FtpServerFactory();
        factory.setUserManager(userManager.createUserManager());
        factory.setConnectionConfig(connections.createConnectionConfig());
        factory.addListener("default", listener.createListener());
        FtpServer server = factory.createServer();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "apache-ftpserver-stop"));
        System.out.println("Apache FtpServer " + version() + " listening on 127.0.0.1:" + port);
        System.out.flush();
    }

    /** The ftpserver-core version this jar was built with (bench.properties, filtered by Maven). */
    static String version() {
        try (InputStream in = ApacheFtpLauncher.class.getResourceAsStream("/bench.properties")) {
            if (in == null) {
                return "(version unknown)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("ftpserver.version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }
}
