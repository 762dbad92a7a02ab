package dev.jftp.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.StorageContractTest;
import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.testing.S3TestServer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.util.Comparator;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract on S3: the backend-specific set-up is {@link S3StorageFixture} (a fresh
 * bucket per test, alice's files below {@code jftp/alice/}). What only S3 has (keys, multipart
 * uploads, memory, faults of the service) is in {@link S3StorageTest}.
 */
class S3StorageContractTest extends StorageContractTest {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();

    private S3StorageFixture fixture;

    @Override
    protected Storage newStorage() throws IOException {
        fixture = new S3StorageFixture(S3, S3StorageFixture.testSettings());
        return fixture.storage();
    }

    @Override
    protected void closeStorage() {
        fixture.close();
    }

    @Override
    protected StorageCapabilities expectedCapabilities() {
        return new StorageCapabilities(false, false, false, false, true, false, false);
    }

    @Override
    protected Comparator<String> listingOrder() {
        return Comparator.naturalOrder(); // key order: "a-b" comes before "a/"
    }

    @Override
    protected int hugeDirectorySize() {
        return 3000;
    }

    @Override
    protected void populate(VirtualPath directory, int count) {
        fixture.populate(directory, count); // straight into the test server's store: the fastest way to fill a directory
    }

    /** On S3, lazy means page by page: what was read so far cost no more list calls than its pages. */
    @Test
    @Override
    protected void listsAHugeDirectoryLazilyInConstantMemory() throws Exception {
        view.makeDirectory(path("/big"));
        view.makeDirectory(path("/big/sub"));
        populate(path("/big"), hugeDirectorySize());
        S3.faults().reset();
        try (DirectoryStream<FileEntry> entries = view.list(path("/big"))) {
            Iterator<FileEntry> it = entries.iterator();
            int seen = 0;
            String previous = "";
            while (seen < 150 && it.hasNext()) {
                FileEntry e = it.next();
                assertThat(e.name()).isGreaterThan(previous);
                previous = e.name();
                seen++;
            }
            // Lazy: 150 entries came from the first two pages of 100, nothing was read ahead.
            assertThat(S3.faults().calls("list")).isEqualTo(2); // counted by the server
            int files = 0;
            int directories = 0;
            while (it.hasNext()) {
                FileEntry e = it.next();
                if (e.isDirectory()) {
                    directories++;
                    assertThat(e.name()).isEqualTo("sub");
                } else {
                    files++;
                    assertThat(e.size()).isEqualTo(("jftp/alice/big/" + e.name()).length());
                }
            }
            assertThat(seen + files + directories).isEqualTo(3001);
            assertThat(directories).isEqualTo(1);
        }
        assertThat(S3.faults().calls("list")).isEqualTo(31);
    }
}
