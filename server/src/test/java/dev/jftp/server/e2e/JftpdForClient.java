package dev.jftp.server.e2e;

import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real bin/jftpd on 127.0.0.1 for all tests of a class that drive one real client program
 * against it. The class is skipped unless the program is installed; the server serves
 * {@link #root()} to one user, and is stopped (and {@link #work()} deleted) after the class.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final JftpdForClient jftpd = new JftpdForClient("lftp", "lftp", "lf:tp");
 * </pre>
 */
final class JftpdForClient implements BeforeAllCallback, AfterAllCallback {
    private final String program;
    private final String debianPackage;
    private final String user;
    private Path work;
    private Path root;
    private JftpdProcess process;

    /**
     * @param program       the client program the tests run (skipped without it)
     * @param debianPackage the package that installs it, for the skip message
     * @param user          {@code NAME:PASSWORD}, as {@code --user} takes it
     */
    JftpdForClient(String program, String debianPackage, String user) {
        this.program = program;
        this.debianPackage = debianPackage;
        this.user = user;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        ExternalCommand.assumeInstalled(program, debianPackage);
        work = Files.createTempDirectory("jftp-e2e-" + program + "-");
        root = Files.createDirectories(work.resolve("root"));
        process = JftpdProcess.start(work, "--bind", "127.0.0.1", "--port", "0", "--root", root.toString(), "--user", user);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        if (process != null) {
            process.close();
        }
        if (work != null) {
            try (Stream<Path> tree = Files.walk(work)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** A directory for the class's own files (local copies, scripts); holds {@link #root()}. */
    Path work() {
        return work;
    }

    /** The directory the server serves; the user's home. */
    Path root() {
        return root;
    }

    int port() {
        return process.port();
    }

    /** The running server, for what it printed. */
    JftpdProcess process() {
        return process;
    }

}
