package dev.jftp.server.storage.local;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageContractTest;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on {@link LocalStorage}: homes below a root directory on the local disk. */
class LocalStorageContractTest extends StorageContractTest {
    @TempDir
    Path root;

    @Override
    protected Storage newStorage() throws IOException {
        return LocalStorage.at(root);
    }

    @Override
    protected StorageCapabilities expectedCapabilities() {
        return new StorageCapabilities(true, true, true, true, true, true, true);
    }

    /** Straight onto the disk: the quickest way to fill a directory. */
    @Override
    protected void populate(VirtualPath directory, int count) throws IOException {
        Path dir = root.resolve(HOME);
        for (String segment : directory.segments()) {
            dir = dir.resolve(segment);
        }
        byte[] content = {'x'};
        for (int i = 0; i < count; i++) {
            Files.write(dir.resolve(String.format("f%05d", i)), content);
        }
    }
}
