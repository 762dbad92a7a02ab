package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.local.LocalStorage;
import dev.jftp.server.storage.local.LocalStorageView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up during STOR: the upload fails with 452, its partial data is removed, the
 * file it would have replaced is untouched, and the server goes on serving. Run twice: on a real
 * 1 MiB tmpfs where the machine lets us mount one (root in a container that allows it), and always
 * on a storage decorator that fails writes the same way (ENOSPC).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DiskFullTest {
    private static final long CAPACITY = 1 << 20;

    @TempDir
    static Path temp;
    static Path tmpfs;
    static String mountRefusal;

    @BeforeAll
    static void mountASmallFileSystem() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("tmpfs"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "jftp-diskfull", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes()).strip();
        if (mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0) {
            tmpfs = dir;
        } else {
            mountRefusal = "cannot mount a 1 MiB tmpfs here (" + output + ")";
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        if (tmpfs != null) {
            Process umount = new ProcessBuilder("umount", "-l", tmpfs.toString()).redirectErrorStream(true).start();
            umount.getInputStream().readAllBytes();
            umount.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private RunningServer server;
    private ResourceBaseline baseline;

    @AfterEach
    void stopAndCheckResources() {
        if (server != null) {
            baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
            server.close();
        }
    }

    @Test
    void fullTmpfsDuringStor() throws IOException {
        Assumptions.assumeTrue(tmpfs != null, () -> mountRefusal);
        FileStore store = Files.getFileStore(tmpfs);
        assertThat(store.getTotalSpace()).isLessThanOrEqualTo(CAPACITY);
        fillUpDuringStor(tmpfs, LocalStorage.at(tmpfs), "tmpfs 1 MiB", () -> CAPACITY - freeBytes(store));
    }

    @Test
    void fullDiskSimulatedByAStorageThatFailsWrites() throws IOException {
        Path root = Files.createDirectories(temp.resolve("wrapped"));
        Storage full = new DiskFullStorage(LocalStorage.at(root), CAPACITY, () -> DiskFullStorage.used(root));
        fillUpDuringStor(root, full, "ENOSPC wrapper 1 MiB", () -> DiskFullStorage.used(root));
    }

    interface UsedBytes {
        long get() throws IOException;
    }

    private void fillUpDuringStor(Path root, Storage files, String where, UsedBytes used) throws IOException {
        server = RunningServer.start(root, c -> c.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10)).withStorage(files));
        byte[] old = FaultInjectionTest.randomBytes(200 * 1024, 7);
        Files.write(root.resolve("keep.bin"), old);
        try (ControlConnection warm = server.loggedIn()) {
            warm.command("QUIT", 221);
        }
        awaitNoSessions();
        baseline = ResourceBaseline.capture();
        long usedBefore = used.get();

        try (ControlConnection c = server.loggedIn(); ControlConnection other = server.loggedIn()) {
            // 3 MiB over a 200 KiB file, on a 1 MiB disk
            Reply reply = storExpectingFailure(c, "keep.bin", 3 << 20);
            assertThat(reply.code()).as("reply to a STOR that filled the disk: %s", reply).isEqualTo(452);
            assertThat(Files.readAllBytes(root.resolve("keep.bin"))).as("the file the upload would have replaced").isEqualTo(old);
            assertThat(temporaryFiles(root)).as("partial upload removed").isEmpty();
            assertThat(used.get()).as("bytes used after the failed upload").isEqualTo(usedBefore);

            // The same session and another one go on; a small upload fits again.
            c.command("NOOP", 200);
            other.command("NOOP", 200);
            byte[] small = FaultInjectionTest.randomBytes(100 * 1024, 8);
            try (Socket data = c.openPassive()) {
                c.command("STOR small.bin", 150);
                data.getOutputStream().write(small);
            }
            c.expect(226);
            assertThat(Files.readAllBytes(root.resolve("small.bin"))).isEqualTo(small);

            // A disk that is already full refuses the next upload the same way.
            long free = CAPACITY - used.get();
            Path filler = root.resolve("filler.bin");
            fill(filler, free);
            Reply whenFull = storExpectingFailure(other, "more.bin", 64 * 1024);
            assertThat(whenFull.code()).as("STOR on a full disk: %s", whenFull).isEqualTo(452);
            assertThat(temporaryFiles(root)).isEmpty();
            assertThat(root.resolve("more.bin")).doesNotExist();
            Files.delete(filler);
            other.command("DELE small.bin", 250);
            c.command("QUIT", 221);
            other.command("QUIT", 221);
            Figures.record("disk full during STOR (" + where + ")", "3 MiB STOR -> " + reply.code() + ", STOR on a full disk -> "
                    + whenFull.code() + "; old file intact, 0 temporary files, " + (used.get() - usedBefore) + " bytes left behind");
        }
        awaitNoSessions();
    }

    /** Sends {@code size} bytes with STOR, stopping when the server breaks the data connection; returns the final reply. */
    private static Reply storExpectingFailure(ControlConnection c, String name, int size) throws IOException {
        Socket data = c.openPassive();
        c.command("STOR " + name, 150);
        byte[] chunk = FaultInjectionTest.randomBytes(64 * 1024, 9);
        try (data) {
            OutputStream out = data.getOutputStream();
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
            }
        } catch (IOException refused) {
            // the server stopped reading and closed the connection: expected
        }
        return c.reply();
    }

    /** Writes zeros until {@code bytes} are written or the disk is full. */
    private static void fill(Path file, long bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] block = new byte[4096];
            for (long n = 0; n < bytes; n += block.length) {
                out.write(block, 0, (int) Math.min(block.length, bytes - n));
            }
        } catch (IOException full) {
            if (!full.getMessage().contains("No space left")) {
                throw full;
            }
        }
    }

    private static long freeBytes(FileStore store) throws IOException {
        return store.getUnallocatedSpace();
    }

    private void awaitNoSessions() {
        ResourceBaseline.awaitNoSessions(server::sessionCount);
    }

    private static java.util.List<Path> temporaryFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith(LocalStorageView.TEMP_PREFIX)).toList();
        }
    }
}
