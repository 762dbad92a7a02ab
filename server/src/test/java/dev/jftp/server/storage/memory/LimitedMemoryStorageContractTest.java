package dev.jftp.server.storage.memory;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageContractTest;
import java.util.Comparator;

/**
 * The storage contract on a {@link MemoryStorage} that declares what S3 declares (no resume in
 * place, no modes, no settable times): what it cannot do, it refuses cleanly and leaves the files
 * as they were. Protocol tests use such a storage to check their answers for a backend that lacks something.
 */
class LimitedMemoryStorageContractTest extends StorageContractTest {
    static final StorageCapabilities LIKE_S3 = new StorageCapabilities(false, false, false, false, true, false, false);

    @Override
    protected Storage newStorage() {
        return new MemoryStorage(LIKE_S3);
    }

    @Override
    protected StorageCapabilities expectedCapabilities() {
        return LIKE_S3;
    }

    @Override
    protected Comparator<String> listingOrder() {
        return BY_NAME;
    }

    @Override
    protected int hugeDirectorySize() {
        return 10_000; // the same code as the full memory storage lists; a smaller directory is enough here
    }
}
