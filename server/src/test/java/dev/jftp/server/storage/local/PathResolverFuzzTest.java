package dev.jftp.server.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Fuzzes the path resolver, {@link VirtualPath#resolve} and {@link LocalStorageView}, on the real
 * file system: a jail holding symbolic links that lead out of it (relative, absolute, through "..",
 * to a file, chained, looping, dangling) next to a directory outside it with a secret file.
 *
 * <p>For any working directory and argument a client can send, the resolved path must be clean and
 * map below the jail, and no operation on it (stat, list, read, append, replace, mkdir/rmdir,
 * setting the time) may see or change anything outside: reads return only the jail's contents,
 * listings show only its names, and the outside tree stays exactly as it was.
 */
class PathResolverFuzzTest {
    private static final String SECRET = "OUTSIDE-SECRET";
    private static final Set<String> INSIDE_CONTENTS = Set.of("", "inside-a", "inside-top");
    /** Names that exist only outside the jail; a listing showing one has escaped. */
    private static final Set<String> OUTSIDE_NAMES = Set.of("secret.txt", "outside-only", "outside", "jail");

    private static Fixture fixture;

    record Fixture(Path base, Path jail, Path outside, LocalStorageView files, String outsideState) {
    }

    static synchronized Fixture fixture() throws IOException {
        if (fixture == null) {
            Path base = Files.createTempDirectory("jftp-jail-fuzz").toRealPath();
            Path jail = Files.createDirectories(base.resolve("jail"));
            Path outside = Files.createDirectories(base.resolve("outside"));
            Files.writeString(outside.resolve("secret.txt"), SECRET);
            Files.createDirectories(outside.resolve("outside-only"));
            Files.createDirectories(jail.resolve("a/b"));
            Files.writeString(jail.resolve("a/f.txt"), "inside-a");
            Files.writeString(jail.resolve("top.txt"), "inside-top");
            Files.createSymbolicLink(jail.resolve("out"), Path.of("../outside"));
            Files.createSymbolicLink(jail.resolve("abs"), outside);
            Files.createSymbolicLink(jail.resolve("outfile"), Path.of("../outside/secret.txt"));
            Files.createSymbolicLink(jail.resolve("a/up"), Path.of("../.."));
            Files.createSymbolicLink(jail.resolve("a/b/up3"), Path.of("../../../outside"));
            Files.createSymbolicLink(jail.resolve("chain"), Path.of("a/up"));
            Files.createSymbolicLink(jail.resolve("loop"), Path.of("loop"));
            Files.createSymbolicLink(jail.resolve("dangling"), Path.of("no-such-file"));
            Files.createSymbolicLink(jail.resolve("in"), Path.of("a"));
            fixture = new Fixture(base, jail, outside, new LocalStorageView(jail), describe(base, jail));
        }
        return fixture;
    }

    @FuzzTest(maxDuration = "20s")
    void nothingOutsideTheJailIsReachable(FuzzedDataProvider data) throws IOException {
        Fixture f = fixture();
        // "working directory NEWLINE argument", so that seeds are plain text
        String input = data.consumeRemainingAsString();
        int newline = input.indexOf('\n');
        String cwdArgument = newline < 0 ? "" : input.substring(0, newline);
        String argument = newline < 0 ? input : input.substring(newline + 1);
        VirtualPath cwd;
        VirtualPath path;
        try {
            cwd = cwdArgument.isEmpty() ? VirtualPath.ROOT : VirtualPath.ROOT.resolve(cwdArgument);
            path = cwd.resolve(argument);
        } catch (VirtualPath.InvalidPathException refused) {
            return; // a clear 501, never a path
        }
        for (String segment : path.segments()) {
            assertThat(segment).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..").doesNotContain("/").doesNotContain("\0");
        }
        assertThat(path.segments().size()).isLessThanOrEqualTo(VirtualPath.MAX_DEPTH);
        assertThat(VirtualPath.ROOT.resolve(path.toString())).isEqualTo(path);
        Path local = f.files().lexical(path);
        assertThat(local.normalize()).isEqualTo(local);
        assertThat(local.startsWith(f.jail())).isTrue();

        LocalStorageView files = f.files();
        try {
            files.stat(path);
        } catch (IOException expected) {
            // absent, a link out of the jail, or not allowed: all fine
        }
        try (FileChannel channel = files.openForRead(path)) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            channel.read(buffer);
            assertThat(INSIDE_CONTENTS).contains(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        } catch (IOException expected) {
            // fine
        }
        try (DirectoryStream<FileEntry> entries = files.list(path)) {
            int n = 0;
            for (FileEntry e : entries) {
                assertThat(OUTSIDE_NAMES).doesNotContain(e.name());
                if (++n > 100) {
                    break;
                }
            }
        } catch (IOException | UncheckedIOException expected) {
            // fine
        }
        boolean existed = Files.exists(local, LinkOption.NOFOLLOW_LINKS);
        try (UploadSink upload = files.openForWrite(path, UploadMode.APPEND, 0)) {
            upload.commit();
            if (!existed) {
                files.delete(path);
            }
        } catch (IOException expected) {
            // fine
        }
        try (UploadSink upload = files.openForWrite(path, UploadMode.REPLACE, 0)) {
            upload.channel().write(ByteBuffer.wrap(new byte[0]));
            // no commit: the temporary file must go and nothing change
        } catch (IOException expected) {
            // fine
        }
        if (!OUTSIDE_NAMES.contains(path.name())) {
            try {
                files.makeDirectory(path);
                files.removeDirectory(path);
            } catch (IOException expected) {
                // fine
            }
        }
        try {
            files.setModified(path, Instant.EPOCH);
        } catch (IOException expected) {
            // fine
        }
        assertThat(describe(f.base(), f.jail())).as("the tree outside the jail").isEqualTo(f.outsideState());
        try (Stream<Path> temp = Files.walk(f.jail(), 3)) {
            assertThat(temp.filter(p -> p.getFileName().toString().startsWith(LocalStorageView.TEMP_PREFIX)).toList())
                    .as("temporary upload files left").isEmpty();
        }
    }

    /** Names, types, sizes, times and contents of everything below {@code base} but outside {@code jail}. */
    static String describe(Path base, Path jail) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.filter(p -> !p.startsWith(jail)).sorted().toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String content = a.isRegularFile() ? Files.readString(p) : "";
                lines.add(base.relativize(p) + " " + (a.isDirectory() ? "d" : a.isRegularFile() ? "f" : "o") + " " + a.size()
                        + " " + a.lastModifiedTime().toMillis() + " " + content);
            }
        }
        return String.join("\n", lines);
    }
}
