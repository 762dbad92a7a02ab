package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.local.LocalStorageView;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.LiveHeap;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing and wildcard abuse: a 100,000-entry directory listed in full (LIST, NLST, MLSD, STAT),
 * a listing stalled half-way while the server's live memory is measured, wildcards built to make a
 * matcher backtrack over long names, "..", "-R" and glob tricks, and a deep tree. Every command must
 * end in bounded time, and a listing must stream (its memory must not grow with the directory).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ListingAbuseTest {
    private static final int ENTRIES = 100_000;
    private static final int DEPTH = 100;
    /** Each abusive command must be answered within this: a bound, not a speed expectation. */
    private static final Duration COMMAND_BOUND = Duration.ofSeconds(60);
    /** Names long enough to make wildcard matching work hard: 200 'a' and a number. */
    private static final String LONG = "a".repeat(200);

    @TempDir
    static Path root;
    static RunningServer server;
    static ResourceBaseline baseline;

    @BeforeAll
    static void buildTrees() throws IOException {
        Path huge = Files.createDirectories(root.resolve("huge"));
        for (int i = 0; i < ENTRIES; i++) {
            Files.createFile(huge.resolve(LONG + String.format("%06d", i)));
        }
        Path deep = root;
        for (int i = 0; i < DEPTH; i++) {
            deep = Files.createDirectories(deep.resolve("d"));
            Files.writeString(deep.resolve("level-" + (i + 1)), "x");
        }
        server = RunningServer.start(root, c -> c.withTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(10)));
        try (ControlConnection c = server.loggedIn()) {
            listing(c, "LIST d");
            c.command("STAT d", 213);
            c.command("QUIT", 221);
        }
        awaitNoSessions();
        baseline = ResourceBaseline.capture();
    }

    @AfterEach
    void resourcesReturnToTheIdleBaseline() {
        baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void hugeDirectoryIsListedCompletelyInBoundedTime() throws IOException {
        try (ControlConnection c = server.loggedIn()) {
            List<String> figures = new ArrayList<>();
            for (String command : List.of("LIST huge", "NLST huge", "MLSD huge", "LIST -la huge")) {
                long t0 = System.nanoTime();
                String listing = listing(c, command);
                long millis = elapsedMillis(t0);
                assertThat(listing.lines().count()).as(command).isEqualTo(ENTRIES);
                assertThat(millis).as("%s (ms)", command).isLessThan(COMMAND_BOUND.toMillis());
                figures.add(command + " " + millis + " ms");
            }
            long t0 = System.nanoTime();
            Reply stat = c.command("STAT huge", 213);
            long statMillis = elapsedMillis(t0);
            // STAT answers over the control connection, so its size is capped.
            assertThat(stat.lines().size()).isLessThanOrEqualTo(10_003);
            assertThat(stat.lines().getLast()).isEqualTo("213 End of status");
            figures.add("STAT huge " + statMillis + " ms (" + stat.lines().size() + " lines, capped)");
            c.command("QUIT", 221);
            Figures.record("listing a " + ENTRIES + "-entry directory", String.join(", ", figures));
        }
    }

    @Test
    void aStalledListingHoldsLittleMemoryWhateverTheDirectorySize() throws Exception {
        long idle = LiveHeap.bytes();
        long materialized = materializedListingBytes();
        long during;
        try (ControlConnection c = server.loggedIn()) {
            Socket data = c.openPassive();
            c.command("LIST huge", 150);
            InputStream in = data.getInputStream();
            assertThat(in.readNBytes(256 * 1024)).hasSize(256 * 1024);
            ResourceBaseline.pause(500); // the server is now blocked on a full socket, mid-directory
            during = LiveHeap.bytes() - idle;
            long rest = FaultInjectionTest.drain(in);
            data.close();
            c.expect(226);
            assertThat(rest).isPositive();
            c.command("QUIT", 221);
        }
        assertThat(during).as("live heap taken by a stalled listing of %d entries, against %d bytes to hold them all", ENTRIES, materialized)
                .isLessThan(materialized / 4);
        Figures.record("stalled LIST of " + ENTRIES + " entries", String.format("live heap +%.1f MiB during the listing; holding the entries would take %.1f MiB",
                during / 1048576.0, materialized / 1048576.0));
    }

    @Test
    void wildcardsBuiltToBacktrackEndInBoundedTime() throws IOException {
        List<String> patterns = List.of(
                "*" + "a".repeat(120) + "b",             // a long literal after one star: the classic worst case
                "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",  // many stars
                "*" + "?".repeat(150) + "b*",
                "[a-z]*[!a]*[a]*[a]*[a]*[a]*9999999",
                "*" + "[a]".repeat(60) + "x");
        List<String> figures = new ArrayList<>();
        try (ControlConnection c = server.loggedIn()) {
            for (String pattern : patterns) {
                long t0 = System.nanoTime();
                Reply reply = nlstReply(c, "NLST huge/" + pattern);
                long millis = elapsedMillis(t0);
                assertThat(reply.code()).as("NLST huge/%s: %s", pattern, reply).isIn(226, 450, 550);
                assertThat(millis).as("NLST huge/%s (ms)", shorten(pattern)).isLessThan(COMMAND_BOUND.toMillis());
                figures.add(shorten(pattern) + " " + millis + " ms");
            }
            c.command("QUIT", 221);
        }
        Figures.record("backtracking wildcards over " + ENTRIES + " names of 206 characters", String.join(", ", figures));
    }

    @Test
    void dotDotGlobsDeepTreesAndRecursionRequestsStayBounded() throws IOException {
        try (ControlConnection c = server.loggedIn()) {
            long t0 = System.nanoTime();
            // Wildcards only count in the last segment: this is the root, listed once.
            String rootListing = listing(c, "LIST */../*/../*/..");
            assertThat(rootListing.lines().count()).isEqualTo(rootEntries());
            assertThat(listing(c, "LIST -R").lines().count()).as("LIST -R is not recursive").isEqualTo(rootEntries());
            assertThat(listing(c, "NLST -R /").lines().count()).isEqualTo(rootEntries());
            String deepPath = "d/".repeat(DEPTH);
            assertThat(listing(c, "NLST " + deepPath)).contains("level-" + DEPTH);
            assertThat(listing(c, "NLST " + deepPath + "level-*").strip()).isEqualTo(deepPath + "level-" + DEPTH);
            // Wildcards in the middle are plain names: no such directory, and no search for one.
            assertThat(c.command("NLST " + "d/*/".repeat(20)).code()).isEqualTo(550);
            // Past the depth limit: refused before touching the disk.
            c.command("NLST " + "x/".repeat(300), 501);
            c.command("CWD " + deepPath, 250);
            assertThat(c.command("CDUP").code()).isIn(200, 250);
            c.command("NOOP", 200);
            long millis = elapsedMillis(t0);
            assertThat(millis).isLessThan(COMMAND_BOUND.toMillis());
            c.command("QUIT", 221);
            Figures.record("'..' globs, LIST -R, a " + DEPTH + "-level tree, a 300-level path", "all answered in " + millis
                    + " ms together; -R not recursive, 300 levels refused with 501");
        }
    }

    // ---- helpers ----

    /** Runs a listing command over PASV and returns the text; the final reply must be 226. */
    static String listing(ControlConnection c, String command) throws IOException {
        Socket data = c.openPassive();
        Reply first = c.command(command);
        if (first.code() != 150) {
            data.close();
            throw new AssertionError(command + ": " + first);
        }
        String text = new String(ControlConnection.readAll(data), StandardCharsets.UTF_8);
        data.close();
        c.expect(226);
        return text;
    }

    private static Reply nlstReply(ControlConnection c, String command) throws IOException {
        Socket data = c.openPassive();
        Reply first = c.command(command);
        if (first.code() != 150) {
            data.close();
            return first;
        }
        ControlConnection.readAll(data);
        data.close();
        return c.reply();
    }

    private static long rootEntries() throws IOException {
        try (var s = Files.list(root)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    /** What the directory's entries take when all held at once (the thing a streaming listing avoids). */
    private static long materializedListingBytes() throws IOException {
        long before = LiveHeap.bytes();
        List<FileEntry> all = new ArrayList<>();
        try (LocalStorageView files = new LocalStorageView(root); DirectoryStream<FileEntry> entries = files.list(VirtualPath.ROOT.resolve("huge"))) {
            entries.forEach(all::add);
        }
        long after = LiveHeap.bytes();
        assertThat(all).hasSize(ENTRIES);
        return after - before;
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String shorten(String s) {
        return s.length() > 24 ? s.substring(0, 12) + "…(" + s.length() + " chars)" : s;
    }

    private static void awaitNoSessions() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.sessionCount() > 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            ResourceBaseline.pause(20);
        }
    }
}
