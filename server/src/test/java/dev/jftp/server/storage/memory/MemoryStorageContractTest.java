package dev.jftp.server.storage.memory;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageContractTest;
import java.util.Comparator;

/** The storage contract on {@link MemoryStorage}. */
class MemoryStorageContractTest extends StorageContractTest {
    @Override
    protected Storage newStorage() {
        return new MemoryStorage();
    }

    @Override
    protected StorageCapabilities expectedCapabilities() {
        return MemoryStorage.ALL;
    }

    @Override
    protected Comparator<String> listingOrder() {
        return BY_NAME;
    }
}
