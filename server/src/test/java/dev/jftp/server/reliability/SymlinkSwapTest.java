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
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 1: someone with write access to the served tree swaps a symbolic link to a
 * directory outside for a directory inside, in a loop ({@code renameat2(RENAME_EXCHANGE)} of
 * {@code root/race} and {@code root/race_alt -> /outside}), while clients run every command that
 * reaches a file through {@code race/}; a file and a link to a file outside are swapped the same
 * way ({@code root/f.txt} and {@code root/f_alt -> /outside/secret.txt}) for the commands that
 * follow a link in the last name (RETR, SIZE, REST+STOR, SITE CHMOD, MFMT). A server that checks a path and then opens it by name
 * follows the link swapped in meanwhile; one that resolves relative to directories it has opened,
 * never following a link that leaves the home, cannot. Afterwards nothing outside may have been
 * read, created, changed or deleted, no temporary upload file may be left anywhere, and
 * descriptors and threads are back to the idle baseline.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SymlinkSwapTest {
    /** How long the clients run against the swapper, for each way of resolving paths. */
    private static final Duration RACE_TIME = Duration.ofSeconds(4);
    private static final int CLIENTS = 3;
    private static final String INSIDE_SECRET = "inside secret\n";
    private static final String OUTSIDE_SECRET = "OUTSIDE-SECRET-".repeat(50) + "\n";
    private static final FileTime OUTSIDE_TIME = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
    private static final FileTime INSIDE_TIME = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path base;
    Path root;
    Path outside;
    RunningServer server;
    ResourceBaseline baseline;

    @BeforeEach
    void makeTheTrees() throws IOException {
        root = Files.createDirectories(base.resolve("root"));
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), OUTSIDE_SECRET);
        Files.writeString(outside.resolve("outside-only.txt"), "only outside");
        Files.writeString(outside.resolve("victim.txt"), "outside victim");
        Files.writeString(outside.resolve("renameme.txt"), "outside rename");
        Files.writeString(outside.resolve("appendme.txt"), "outside append");
        Files.writeString(outside.resolve("restme.txt"), "outside rest");
        Files.writeString(outside.resolve("chmodme.txt"), "outside chmod");
        Files.setPosixFilePermissions(outside.resolve("chmodme.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(outside.resolve("emptydir"));
        try (Stream<Path> all = Files.list(outside)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, OUTSIDE_TIME);
            }
        }
        Files.setLastModifiedTime(outside, OUTSIDE_TIME);

        Path race = Files.createDirectories(root.resolve("race"));
        Files.writeString(race.resolve("secret.txt"), INSIDE_SECRET);
        Files.writeString(race.resolve("appendme.txt"), "in");
        Files.writeString(race.resolve("restme.txt"), "inside");
        Files.writeString(race.resolve("chmodme.txt"), "inside chmod");
        Files.setPosixFilePermissions(race.resolve("chmodme.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(race.resolve("secret.txt"), INSIDE_TIME);
        Files.createSymbolicLink(root.resolve("race_alt"), outside);
        Path file = Files.writeString(root.resolve("f.txt"), INSIDE_SECRET);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(file, INSIDE_TIME);
        Files.createSymbolicLink(root.resolve("f_alt"), outside.resolve("secret.txt"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** "auto" is what jftpd uses (openat2 where the kernel has it); "walk" is its fallback without openat2. */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "walk"})
    void aSwappedInLinkReachesNothingOutside(String resolution) throws Exception {
        RETR_SERVED.set(0);
        RETR_REFUSED.set(0);
        Storage files = resolution.equals("walk") ? LocalStorage.withoutOpenat2(root) : LocalStorage.at(root);
        server = RunningServer.start(root, c -> c.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10)).withStorage(files));
        warmUp();
        baseline = ResourceBaseline.capture();
        String outsideBefore = describe(outside);

        Queue<String> escapes = new ConcurrentLinkedQueue<>();
        AtomicLong operations = new AtomicLong();
        AtomicLong swaps = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread swapper = Thread.ofPlatform().name("swapper").start(() -> {
            try {
                swapUntil(stop, swaps);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        List<Thread> clients = new ArrayList<>();
        long deadline = System.nanoTime() + RACE_TIME.toNanos();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                clients.add(Thread.ofPlatform().name("race-client-" + i).start(() -> {
                    try (ControlConnection c = server.loggedIn()) {
                        for (int round = 0; round < 100_000 && System.nanoTime() < deadline; round++) {
                            everyCommandOnce(c, id, round, escapes);
                            operations.addAndGet(OPERATIONS_PER_ROUND);
                        }
                        c.command("QUIT", 221);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : clients) {
                t.join(Duration.ofSeconds(60));
                assertThat(t.isAlive()).as("client %s still running", t.getName()).isFalse();
            }
        } finally {
            stop.set(true);
            swapper.join(Duration.ofSeconds(10));
        }
        assertThat(failures).as("clients or the swapper failed").isEmpty();
        assertThat(Files.isDirectory(root.resolve("race"), LinkOption.NOFOLLOW_LINKS)).as("race is the directory again").isTrue();
        assertThat(Files.isRegularFile(root.resolve("f.txt"), LinkOption.NOFOLLOW_LINKS)).as("f.txt is the file again").isTrue();
        System.out.printf("%s: %d commands during %d swaps; RETR through the swapped name served %d, refused %d%n", resolution,
                operations.get(), swaps.get(), RETR_SERVED.get(), RETR_REFUSED.get());
        assertThat(swaps.get()).as("swaps made").isGreaterThan(100);
        assertThat(operations.get()).as("commands run").isGreaterThan(100);
        assertThat(RETR_SERVED.get()).as("RETRs served while race was the directory").isPositive();
        assertThat(RETR_REFUSED.get()).as("RETRs refused while race was the link").isPositive();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(countByKind(escapes)).as("what clients saw of the outside in %d commands during %d swaps (kind: count)",
                operations.get(), swaps.get()).isEmpty();
        softly.assertThat(describe(outside)).as("the tree outside the root").isEqualTo(outsideBefore);
        try (Stream<Path> all = Files.walk(base)) {
            softly.assertThat(all.filter(p -> p.getFileName().toString().startsWith(LocalStorageView.TEMP_PREFIX)).map(base::relativize).toList())
                    .as("temporary upload files left").isEmpty();
        }
        softly.assertAll();
        try (ControlConnection c = server.loggedIn()) {
            c.command("NOOP", 200);
            c.command("QUIT", 221);
        }
        ResourceBaseline.awaitNoSessions(server::sessionCount);
        baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
    }

    private static final int OPERATIONS_PER_ROUND = 26;
    /** RETR of race/secret.txt served (race was the directory) and refused (it was the link): both, or there was no race. */
    private static final AtomicLong RETR_SERVED = new AtomicLong();
    private static final AtomicLong RETR_REFUSED = new AtomicLong();

    /** One of each command through race/; what shows the outside is recorded in {@code escapes}. */
    private static void everyCommandOnce(ControlConnection c, int id, int round, Queue<String> escapes) throws Exception {
        byte[] read = retr(c, "race/secret.txt");
        if (read != null && !new String(read, StandardCharsets.UTF_8).equals(INSIDE_SECRET)) {
            escapes.add("RETR read " + read.length + " bytes that are not the inside file");
        }
        (read != null ? RETR_SERVED : RETR_REFUSED).incrementAndGet();
        Reply size = c.command("SIZE race/secret.txt");
        if (size.code() == 213 && !size.all().endsWith(" " + INSIDE_SECRET.length())) {
            escapes.add("SIZE: " + size);
        }
        Reply mdtm = c.command("MDTM race/secret.txt");
        if (mdtm.code() == 213 && mdtm.all().contains(" 2001")) {
            escapes.add("MDTM: " + mdtm);
        }
        Reply mlst = c.command("MLST race/secret.txt");
        if (mlst.toString().contains("size=" + OUTSIDE_SECRET.length() + ";")) {
            escapes.add("MLST: " + mlst);
        }
        Reply hash = c.command("HASH race/secret.txt");
        if (hash.toString().contains(sha256(OUTSIDE_SECRET))) {
            escapes.add("HASH: " + hash);
        }
        for (String listing : List.of("LIST race", "MLSD race", "NLST race")) {
            byte[] names = list(c, listing);
            if (names != null && new String(names, StandardCharsets.UTF_8).contains("outside-only")) {
                escapes.add(listing + " showed the outside");
            }
        }
        stor(c, "STOR race/new-" + id + "-" + round + ".bin", "new");
        c.command("DELE race/new-" + id + "-" + round + ".bin");
        stor(c, "APPE race/appendme.txt", "+");
        if (c.command("REST 2").code() == 350) {
            stor(c, "STOR race/restme.txt", "st");
        }
        c.command("DELE race/victim.txt");
        c.command("MKD race/made-" + id);
        c.command("RMD race/made-" + id);
        c.command("RMD race/emptydir");
        if (c.command("RNFR race/renameme.txt").code() == 350) {
            c.command("RNTO race/renamed.txt");
        }
        c.command("SITE CHMOD 644 race/chmodme.txt");
        c.command("MFMT 20200101000000 race/secret.txt");

        // The last name swapped: f.txt is the inside file (14 bytes, 0600, 2020) or a link to the outside secret.
        byte[] file = retr(c, "f.txt");
        if (file != null && !new String(file, StandardCharsets.UTF_8).equals(INSIDE_SECRET)) {
            escapes.add("RETR f.txt read " + file.length + " bytes that are not the inside file");
        }
        Reply fileSize = c.command("SIZE f.txt");
        if (fileSize.code() == 213 && !fileSize.all().endsWith(" " + INSIDE_SECRET.length())) {
            escapes.add("SIZE f.txt: " + fileSize);
        }
        Reply fileHash = c.command("HASH f.txt");
        if (fileHash.toString().contains(sha256(OUTSIDE_SECRET))) {
            escapes.add("HASH f.txt: " + fileHash);
        }
        if (c.command("REST " + INSIDE_SECRET.length()).code() == 350) {
            stor(c, "STOR f.txt", ""); // cuts a longer file there, writes nothing
        }
        c.command("SITE CHMOD 600 f.txt");
        c.command("MFMT 20200101000000 f.txt");
    }

    /** "RETR read 751 bytes ...": 12, by the text before the first colon. */
    private static java.util.Map<String, Long> countByKind(Queue<String> escapes) {
        return escapes.stream().collect(java.util.stream.Collectors.groupingBy(e -> e.split(":", 2)[0], java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
    }

    /** RETR's bytes, or null when it was refused. */
    private static byte[] retr(ControlConnection c, String path) throws IOException {
        try (Socket data = c.openPassive()) {
            Reply r = c.command("RETR " + path);
            if (r.code() != 150) {
                return null;
            }
            byte[] bytes = ControlConnection.readAll(data);
            return c.reply().code() == 226 ? bytes : null;
        }
    }

    private static byte[] list(ControlConnection c, String command) throws IOException {
        try (Socket data = c.openPassive()) {
            Reply r = c.command(command);
            if (r.code() != 150) {
                return null;
            }
            byte[] bytes = ControlConnection.readAll(data);
            c.reply();
            return bytes;
        }
    }

    private static void stor(ControlConnection c, String command, String content) throws IOException {
        try (Socket data = c.openPassive()) {
            Reply r = c.command(command);
            if (r.code() != 150) {
                return;
            }
            OutputStream out = data.getOutputStream();
            out.write(content.getBytes(StandardCharsets.UTF_8));
            data.shutdownOutput();
            c.reply();
        }
    }

    private void warmUp() throws IOException {
        try (ControlConnection c = server.loggedIn()) {
            stor(c, "STOR warm.bin", "warm");
            retr(c, "warm.bin");
            list(c, "LIST");
            c.command("DELE warm.bin", 250);
            c.command("QUIT", 221);
        }
        ResourceBaseline.awaitNoSessions(server::sessionCount);
    }

    /** Exchanges race and race_alt until told to stop; they end as they began (an even number of swaps). */
    private void swapUntil(AtomicBoolean stop, AtomicLong swaps) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom(root.resolve("race").toString());
            MemorySegment b = arena.allocateFrom(root.resolve("race_alt").toString());
            MemorySegment f = arena.allocateFrom(root.resolve("f.txt").toString());
            MemorySegment g = arena.allocateFrom(root.resolve("f_alt").toString());
            for (long n = 0; n < 100_000_000L; n++) {
                if ((n & 1) == 0 && stop.get()) {
                    break;
                }
                int result = (int) RENAMEAT2.invokeExact(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
                        | (int) RENAMEAT2.invokeExact(AT_FDCWD, f, AT_FDCWD, g, RENAME_EXCHANGE);
                if (result != 0) {
                    throw new AssertionError("renameat2 failed");
                }
                swaps.incrementAndGet();
            }
        }
    }

    private static final int AT_FDCWD = -100;
    private static final int RENAME_EXCHANGE = 2;
    private static final MethodHandle RENAMEAT2 = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("renameat2").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    /** Every entry below {@code dir} (links not followed): type, size, mode, modification time, content. */
    static String describe(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted().toList()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                lines.add(dir.relativize(p) + " " + (a.isDirectory() ? "d" : a.isRegularFile() ? "f" : "o") + " " + a.size() + " "
                        + PosixFilePermissions.toString(a.permissions()) + " " + a.lastModifiedTime().toMillis() + " "
                        + (a.isRegularFile() ? Files.readString(p) : ""));
            }
        }
        return String.join("\n", lines);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
