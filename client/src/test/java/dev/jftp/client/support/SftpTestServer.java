package dev.jftp.client.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH sshd (Debian's openssh-server, fetched into peers/ by bin/lib/fetch-sshd.sh) on a
 * free loopback port, with a temporary configuration and Ed25519 host key, serving SFTP only
 * (internal-sftp, started in {@link #root}) to the account "jftp-sftp": by password
 * ({@link #password()}) or by the key {@link #clientKey} (authorized for it). Needs root (sshd's
 * privilege separation); without it, or without the package, a test using it is skipped and says so.
 */
public final class SftpTestServer implements AutoCloseable {
    public static final String USER = "jftp-sftp";
    private static final Duration STARTUP = Duration.ofSeconds(20);

    public final Path dir;
    public final Path root;
    /** An unencrypted Ed25519 key whose public half the server authorizes. */
    public final Path clientKey;
    public final Path hostKey;
    private final int port;
    private final String password;
    private final Process sshd;

    private SftpTestServer(Path dir, Path root, Path clientKey, Path hostKey, int port, String password, Process sshd) {
        this.dir = dir;
        this.root = root;
        this.clientKey = clientKey;
        this.hostKey = hostKey;
        this.port = port;
        this.password = password;
        this.sshd = sshd;
    }

    /** The project's root, found from the module's directory (Maven runs tests there). */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/lib/fetch-sshd.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no bin/lib/fetch-sshd.sh above " + dir);
    }

    /** Starts sshd with its files in {@code dir} (a fresh directory). */
    public static SftpTestServer start(Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED: sshd's privilege separation needs root; the SFTP client was not tested against OpenSSH");
        Assumptions.assumeTrue(onPath("ssh-keygen"),
                "SKIPPED: ssh-keygen is not installed (bin/lib/install-peers.sh installs openssh-client); the SFTP client was not tested against OpenSSH");
        Path script = projectRoot().resolve("bin/lib/fetch-sshd.sh");
        Process fetch = new ProcessBuilder(script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String sshdPath = new String(fetch.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean fetched = fetch.waitFor(600, TimeUnit.SECONDS) && fetch.exitValue() == 0;
        Assumptions.assumeTrue(fetched, "SKIPPED: bin/lib/fetch-sshd.sh could not provide sshd; the SFTP client was not tested against OpenSSH");
        Path passwordFile = Path.of(sshdPath).resolveSibling("test-password");
        String password = Files.readString(passwordFile).strip();

        // sshd runs the session as jftp-sftp, which must reach the root through the temporary directories.
        for (Path p = dir; p != null && p.startsWith(System.getProperty("java.io.tmpdir")) && !p.toString().equals(System.getProperty("java.io.tmpdir")); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }
        Path root = Files.createDirectories(dir.resolve("root"));
        UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        Files.setOwner(root, owner);
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        keygen(hostKey, "ed25519");
        Path clientKey = dir.resolve("id_ed25519");
        keygen(clientKey, "ed25519");
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(clientKey.resolveSibling("id_ed25519.pub"), authorized);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));

        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "ListenAddress 127.0.0.1",
                    "Port " + port,
                    "HostKey " + hostKey,
                    "PidFile none",
                    "UsePAM no",
                    "StrictModes no",
                    "PasswordAuthentication yes",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "AuthorizedKeysFile " + authorized,
                    "AllowUsers " + USER,
                    "MaxAuthTries 10",
                    "Subsystem sftp internal-sftp",
                    "ForceCommand internal-sftp -d " + root,
                    "LogLevel VERBOSE",
                    ""));
            Process sshd = new ProcessBuilder(sshdPath, "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
                    .start();
            if (waitForPort(port, sshd)) {
                return new SftpTestServer(dir, root, clientKey, hostKey, port, password, sshd);
            }
            sshd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            if (attempt >= 3) {
                throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
            }
        }
    }

    /** Makes a key pair without a passphrase (or with {@code passphrase}) by OpenSSH's ssh-keygen. */
    public static void keygen(Path file, String type, String passphrase) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "jftp-test", "-f", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen failed: " + output);
        }
    }

    private static void keygen(Path file, String type) throws Exception {
        keygen(file, type, "");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static boolean waitForPort(int port, Process sshd) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline && sshd.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** The known_hosts line for this server as ssh writes it: "[127.0.0.1]:port ssh-ed25519 AAAA...". */
    public String knownHostsLine() throws IOException {
        String[] publicKey = Files.readString(hostKey.resolveSibling(hostKey.getFileName() + ".pub")).strip().split("\\s+");
        return "[127.0.0.1]:" + port + " " + publicKey[0] + " " + publicKey[1];
    }

    /** Writes a known_hosts file that knows this server; returns it. */
    public Path knownHosts(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, knownHostsLine() + "\n");
    }

    /** The server's log so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The file as it is on the server's disk. */
    public Path file(String relative) {
        return root.resolve(relative);
    }

    /** Writes a file on the server's disk, owned (with the directories made for it) by the account, as an upload would be. */
    public Path remoteFile(String relative, byte[] content) throws IOException {
        Path file = root.resolve(relative);
        UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        for (Path dir = file.getParent(); !Files.isDirectory(dir); dir = file.getParent()) {
            Path missing = dir;
            while (!Files.isDirectory(missing.getParent())) {
                missing = missing.getParent();
            }
            Files.createDirectory(missing);
            Files.setOwner(missing, owner);
        }
        Files.write(file, content);
        Files.setOwner(file, owner);
        return file;
    }

    /** Empties the root (between tests). */
    public void clean() throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(root)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Arguments for the whole program: "-P port sftp://jftp-sftp@127.0.0.1". */
    public List<String> destination() {
        return List.of("sftp://" + USER + "@127.0.0.1:" + port);
    }

    @Override
    public void close() throws InterruptedException {
        sshd.destroy();
        if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
            sshd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
