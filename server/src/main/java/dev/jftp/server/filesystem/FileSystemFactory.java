package dev.jftp.server.filesystem;

import dev.jftp.server.security.User;
import java.io.IOException;

/** Makes the file system a user sees once logged in: by default the local disk, jailed in the home. */
@FunctionalInterface
public interface FileSystemFactory {
    FileSystemFactory LOCAL = user -> new LocalFileSystem(user.home());

    FileSystemView open(User user) throws IOException;
}
