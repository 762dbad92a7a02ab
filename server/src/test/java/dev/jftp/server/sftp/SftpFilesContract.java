package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.LogCapture;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import java.util.concurrent.TimeUnit;

/**
 * What OpenSSH's sftp and scp do with files over jftpd's SFTP, whatever the storage: transfers are
 * byte-exact, listings look like {@code ls -l}, directories, renames and removals work, the user's
 * permissions hold, and nothing escapes the home. One subclass per storage backend; where backends
 * differ (chmod), the storage's capabilities say what to expect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SftpFilesContract {
    @TempDir
    static Path work;

    SftpTestServer server;
    WatchedStorage storage;
    OpenSsh client;
    Path local;

    /** The storage under test; alice's home is {@value SftpTestServer#HOME} in it. */
    abstract Storage newStorage(Path work) throws Exception;

    /** The server over {@code storage}: the SFTP listener alone unless a subclass runs a whole node. */
    SftpTestServer startServer(Storage storage, Path work) throws IOException {
        return SftpTestServer.start(storage, work);
    }

    @BeforeAll
    void start() throws Exception {
        storage = new WatchedStorage(newStorage(work));
        server = startServer(storage, work);
        client = server.client();
        local = Files.createDirectories(work.resolve("local"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        if (!server.isNode()) {
            server.storage().close(); // a node closes its storage itself
        }
    }

    ExternalCommand.Result alice(String... commands) throws IOException {
        return client.sftp(SftpTestServer.ALICE, client.key("id_ed25519"), commands);
    }

    ExternalCommand.Result reader(String... commands) throws IOException {
        return client.sftp(SftpTestServer.READER, OpenSsh.password(SftpTestServer.READER_PASSWORD), commands);
    }

    StorageView home() throws IOException {
        return server.storage().open(SftpTestServer.HOME);
    }

    static byte[] data(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Names in a directory of alice's home, as the storage itself lists them. */
    List<String> names(String directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<FileEntry> entries = home().list(VirtualPath.ROOT.resolve(directory))) {
            entries.forEach(e -> names.add(e.name()));
        }
        return names;
    }

    byte[] stored(String path) throws IOException {
        try (var channel = home().openForRead(VirtualPath.ROOT.resolve(path))) {
            var buffer = java.nio.ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read all
            }
            return buffer.array();
        }
    }

    @Test
    void putAndGetAreByteExactAtSeveralSizes() throws Exception {
        int[] sizes = {0, 1, 32_767, 32_768, 32_769, 262_145, 3 * 1024 * 1024 + 7};
        List<String> commands = new ArrayList<>(List.of("mkdir sizes"));
        for (int size : sizes) {
            Files.write(local.resolve("up-" + size), data(size, size));
            commands.add("put " + local.resolve("up-" + size) + " sizes/f-" + size);
        }
        for (int size : sizes) {
            commands.add("get sizes/f-" + size + " " + local.resolve("down-" + size));
        }
        ExternalCommand.Result r = alice(commands.toArray(String[]::new));
        assertThat(r.exit()).as(r.describe()).isZero();
        for (int size : sizes) {
            assertThat(local.resolve("down-" + size)).as("size " + size).hasBinaryContent(data(size, size));
            assertThat(stored("/sizes/f-" + size)).as("stored, size " + size).isEqualTo(data(size, size));
        }
    }

    /**
     * Small files put one after the other: over a storage that answers from this machine, their
     * uploads are opened on the server's network thread (see QuickRequestsSftpSubsystem), and every
     * file arrives whole; over one that waits on the network (S3), never there, so that a slow bucket
     * cannot hold a thread that serves other sessions.
     */
    @Test
    void quickRequestsAreAnsweredOnTheNetworkThreadOnlyOverALocalStorage() throws Exception {
        Path small = Files.createDirectories(local.resolve("quick"));
        for (int i = 0; i < 20; i++) {
            Files.write(small.resolve("q" + i), data(4096, 100 + i));
        }
        int onNetwork = storage.opensOnNetworkThreads.get();
        int onSession = storage.opensOnSessionThreads.get();
        ExternalCommand.Result r = alice("put -r " + small + " quick", "get -r quick " + local.resolve("quick-back"));
        assertThat(r.exit()).as(r.describe()).isZero();
        for (int i = 0; i < 20; i++) {
            assertThat(stored("/quick/q" + i)).as("stored q" + i).isEqualTo(data(4096, 100 + i));
            assertThat(local.resolve("quick-back/q" + i)).hasBinaryContent(data(4096, 100 + i));
        }
        int networkOpens = storage.opensOnNetworkThreads.get() - onNetwork;
        int sessionOpens = storage.opensOnSessionThreads.get() - onSession;
        assertThat(networkOpens + sessionOpens).as("uploads opened").isEqualTo(20);
        if (storage.capabilities().localCalls()) {
            assertThat(networkOpens).as("uploads opened on the network thread").isPositive();
        } else {
            assertThat(networkOpens).as("uploads opened on the network thread").isZero();
        }
    }

    @Test
    void scpCopiesBothWays() throws Exception {
        byte[] content = data(1_000_003, 7);
        Files.write(local.resolve("scp-up"), content);
        ExternalCommand.Result up = client.scp(SftpTestServer.ALICE, client.key("id_ecdsa"), local.resolve("scp-up").toString(), "remote:scp.bin");
        assertThat(up.exit()).as(up.describe()).isZero();
        assertThat(stored("/scp.bin")).isEqualTo(content);
        ExternalCommand.Result down = client.scp(SftpTestServer.ALICE, client.key("id_ecdsa"), "remote:scp.bin", local.resolve("scp-down").toString());
        assertThat(down.exit()).as(down.describe()).isZero();
        assertThat(local.resolve("scp-down")).hasBinaryContent(content);
    }

    @Test
    void transfersAreLoggedLikeFtpsWithProtoSftp() throws Exception {
        Files.write(local.resolve("logged"), data(4321, 10));
        try (LogCapture log = LogCapture.of("dev.jftp.xferlog")) {
            ExternalCommand.Result r = alice("put " + local.resolve("logged") + " logged.bin", "get logged.bin " + local.resolve("logged-back"));
            assertThat(r.exit()).as(r.describe()).isZero();
            waitFor(() -> log.lines().size() >= 2, "two transfer log lines");
            assertThat(log.lines()).anyMatch(l -> l.matches(
                    "INFO STOR proto=sftp session=\\d+ user=alice client=127\\.0\\.0\\.1 path=/logged\\.bin bytes=4321 seconds=\\d+\\.\\d{3} status=ok"));
            assertThat(log.lines()).anyMatch(l -> l.matches(
                    "INFO RETR proto=sftp session=\\d+ user=alice client=127\\.0\\.0\\.1 path=/logged\\.bin bytes=4321 seconds=\\d+\\.\\d{3} status=ok"));
            assertThat(log.text()).doesNotContain(work.toString());
        }
    }

    @Test
    void listingShowsLsStyleLongNames() throws Exception {
        Files.write(local.resolve("listed"), data(1234, 1));
        ExternalCommand.Result r = alice("mkdir listing", "put " + local.resolve("listed") + " listing/file.txt", "mkdir listing/sub", "ls -l listing");
        assertThat(r.exit()).as(r.describe()).isZero();
        String mode = server.storage().capabilities().permissions() ? "-rw-r--r--" : "-rw-r--r--";
        assertThat(r.stdout()).containsPattern("(?m)^" + mode + " +1 alice +alice +1234 [A-Z][a-z]{2} [ 0-9]\\d (\\d\\d:\\d\\d| \\d{4}) file\\.txt$");
        assertThat(r.stdout()).containsPattern("(?m)^d[-rwx]{9} +1 alice +alice +\\d+ .* sub$");
    }

    @Test
    void directoriesRenamesAndRemovals() throws Exception {
        Files.write(local.resolve("moved"), data(100, 2));
        ExternalCommand.Result r = alice("mkdir tree", "mkdir tree/a", "put " + local.resolve("moved") + " tree/a/one",
                "rename tree/a/one tree/a/two", "rename tree/a tree/b", "ls tree/b");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("tree/b/two");
        assertThat(names("/tree")).containsExactly("b");
        assertThat(names("/tree/b")).containsExactly("two");

        ExternalCommand.Result notEmpty = alice("rmdir tree/b");
        assertThat(notEmpty.exit()).as(notEmpty.describe()).isNotZero();
        assertThat(names("/tree/b")).containsExactly("two");

        ExternalCommand.Result removed = alice("rm tree/b/two", "rmdir tree/b", "ls tree");
        assertThat(removed.exit()).as(removed.describe()).isZero();
        assertThat(names("/tree")).isEmpty();
    }

    @Test
    void chmodChangesTheModeWhereTheStorageHasModes() throws Exception {
        Files.write(local.resolve("modes"), data(10, 3));
        ExternalCommand.Result put = alice("put " + local.resolve("modes") + " modes.txt");
        assertThat(put.exit()).as(put.describe()).isZero();
        ExternalCommand.Result r = alice("chmod 600 modes.txt", "ls -l modes.txt");
        if (server.storage().capabilities().permissions()) {
            assertThat(r.exit()).as(r.describe()).isZero();
            assertThat(r.stdout()).containsPattern("(?m)^-rw------- .* modes\\.txt$");
            assertThat(home().stat(VirtualPath.ROOT.resolve("modes.txt")).mode()).isEqualTo(0600);
        } else {
            assertThat(r.exit()).as(r.describe()).isNotZero();
            assertThat(r.stderr()).contains("setstat").contains("unsupported");
        }
    }

    @Test
    void readOnlyUserReadsButChangesNothing() throws Exception {
        Files.write(local.resolve("ro"), data(50, 4));
        ExternalCommand.Result setup = alice("mkdir ro-dir", "put " + local.resolve("ro") + " ro-dir/kept");
        assertThat(setup.exit()).as(setup.describe()).isZero();

        ExternalCommand.Result get = reader("get ro-dir/kept " + local.resolve("ro-back"));
        assertThat(get.exit()).as(get.describe()).isZero();
        assertThat(local.resolve("ro-back")).hasBinaryContent(data(50, 4));

        for (String refused : List.of("put " + local.resolve("ro") + " ro-dir/new", "rm ro-dir/kept", "mkdir ro-dir/sub",
                "rename ro-dir/kept ro-dir/moved", "rmdir ro-dir")) {
            ExternalCommand.Result r = reader(refused);
            assertThat(r.exit()).as(r.describe()).isNotZero();
            assertThat(r.stderr()).as(refused).contains("Permission denied");
        }
        assertThat(names("/ro-dir")).containsExactly("kept");
    }

    @Test
    void nothingEscapesTheHome() throws Exception {
        Files.write(local.resolve("escape"), data(20, 5));
        ExternalCommand.Result r = alice("cd ..", "pwd", "cd /../..", "pwd", "put " + local.resolve("escape") + " ../../escaped.txt",
                "ls /", "ls /..");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).doesNotContain("Remote working directory: /..");
        assertThat(r.stdout().lines().filter(l -> l.startsWith("Remote working directory:")).toList())
                .containsOnly("Remote working directory: /");
        // "../../escaped.txt" is "/escaped.txt" of the jail: the home itself, as ".." at a root stays there.
        assertThat(names("/")).contains("escaped.txt");
        assertThat(stored("/escaped.txt")).isEqualTo(data(20, 5));

        for (String outside : List.of("/etc/passwd", "../../../../etc/passwd", "/../etc/hostname")) {
            ExternalCommand.Result get = alice("get " + outside + " " + local.resolve("stolen"));
            assertThat(get.exit()).as(get.describe()).isNotZero();
            assertThat(get.stderr()).contains("not found");
            assertThat(local.resolve("stolen")).doesNotExist();
        }
    }

    /** Backend-specific traces an interrupted upload could leave (S3: open multipart uploads; local: temporary files). */
    void assertNoUploadLeftovers() throws Exception {
    }

    enum Kill {
        /** The sftp program: its ssh sees its input end and closes the channel without SSH_FXP_CLOSE. */
        SFTP,
        /** ssh, then sftp: the connection is cut. */
        CONNECTION
    }

    @ParameterizedTest
    @EnumSource(Kill.class)
    void anUploadKilledMidwayLeavesTheOldFileAndNoTrace(Kill kill) throws Exception {
        String name = "victim-" + kill + ".bin";
        Files.write(local.resolve("old"), data(5000, 8));
        Files.write(local.resolve("big"), data(8 * 1024 * 1024, 9));
        ExternalCommand.Result setup = alice("put " + local.resolve("old") + " " + name);
        assertThat(setup.exit()).as(setup.describe()).isZero();
        List<String> before = names("/");

        Path batch = Files.writeString(work.resolve("kill-batch"), "put " + local.resolve("big") + " " + name + "\n");
        long received = storage.bytesReceived.get();
        int discarded = storage.discarded.get();
        int committed = storage.committed.get();
        // 4000 kbit/s: the 8 MiB would take 16 s; it is killed after the first 200 kB arrived.
        Process sftp = client.start(client.sftpCommand(SftpTestServer.ALICE, client.key("id_ed25519"), List.of("-l", "4000"), batch),
                client.key("id_ed25519"));
        try {
            waitFor(() -> storage.bytesReceived.get() - received > 200_000, "the upload to start");
            if (kill == Kill.CONNECTION) {
                sftp.descendants().forEach(ProcessHandle::destroyForcibly);
            }
            sftp.destroyForcibly();
            assertThat(sftp.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            sftp.descendants().forEach(ProcessHandle::destroyForcibly);
            sftp.destroyForcibly();
        }
        waitFor(() -> storage.discarded.get() > discarded, "the server to discard the upload");

        assertThat(storage.bytesReceived.get() - received).as("killed midway").isLessThan(8 * 1024 * 1024);
        assertThat(storage.committed.get()).as("uploads committed").isEqualTo(committed);
        assertThat(stored("/" + name)).isEqualTo(data(5000, 8));
        assertThat(names("/")).containsExactlyInAnyOrderElementsOf(before);
        ExternalCommand.Result listing = alice("ls -la");
        assertThat(listing.exit()).as(listing.describe()).isZero();
        assertThat(listing.stdout().lines().filter(l -> l.startsWith("-") || l.startsWith("d")).map(l -> l.substring(l.lastIndexOf(' ') + 1)))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(before.stream(), java.util.stream.Stream.of(".")).toList());
        assertNoUploadLeftovers();
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 30 s for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void linksAndCopiesAreRefusedCleanly() throws Exception {
        Files.write(local.resolve("linked"), data(10, 6));
        ExternalCommand.Result setup = alice("put " + local.resolve("linked") + " target.txt");
        assertThat(setup.exit()).as(setup.describe()).isZero();
        ExternalCommand.Result symlink = alice("symlink target.txt link.txt");
        assertThat(symlink.exit()).as(symlink.describe()).isNotZero();
        assertThat(symlink.stderr()).contains("unsupported");
        ExternalCommand.Result hardLink = alice("ln target.txt hard.txt");
        assertThat(hardLink.exit()).as(hardLink.describe()).isNotZero();
        assertThat(names("/")).doesNotContain("link.txt", "hard.txt");
    }
}
