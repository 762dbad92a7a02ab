package dev.jftp.server.filesystem;

import dev.jftp.server.accounts.User;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes the file system a user sees once logged in: by default the local disk, jailed in the home.
 * The server that is given a factory closes it when it stops.
 */
@FunctionalInterface
public interface FileSystemFactory extends AutoCloseable {
    /** The local disk: homes below {@code root} (an existing directory), each jailed in itself. */
    static FileSystemFactory local(Path root) throws IOException {
        return LocalHomes.open(root);
    }

    FileSystemView open(User user) throws IOException;

    /** Releases what the factory holds (open directories); the default holds nothing. */
    @Override
    default void close() {
    }
}
