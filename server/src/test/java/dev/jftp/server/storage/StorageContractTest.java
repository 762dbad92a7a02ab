package dev.jftp.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.testing.LiveHeap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract, through {@link Storage} and {@link StorageView} calls only: one subclass per
 * backend (local disk, memory, S3) supplies the storage and a few backend-specific hooks, and every
 * backend must pass every test here. The view under test is user "alice"'s, home "alice"; what lies
 * beside it is reached through the storage's root view ({@code open("")}) to check the jail.
 */
public abstract class StorageContractTest {
    protected static final String HOME = "alice";

    protected Storage storage;
    protected StorageView view;

    /** A fresh, empty storage for one test. */
    protected abstract Storage newStorage() throws IOException;

    /** What this backend declares it can do. */
    protected abstract StorageCapabilities expectedCapabilities();

    /**
     * The order listings come in, on names as {@link #names} gives them ("dir/" for a directory):
     * null for none (a local directory lists in an order of its own).
     */
    protected Comparator<String> listingOrder() {
        return null;
    }

    /** Name order, directories by their name alone (memory). */
    protected static final Comparator<String> BY_NAME = Comparator.comparing(n -> n.endsWith("/") ? n.substring(0, n.length() - 1) : n);

    /** How many files make a huge directory for this backend. */
    protected int hugeDirectorySize() {
        return 100_000;
    }

    /**
     * Makes {@code count} small files "f00000"... in {@code directory} of alice's view; through the
     * view by default, a backend may do it faster behind it.
     */
    protected void populate(VirtualPath directory, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            String name = String.format("f%05d", i);
            write(view, directory.child(name).toString(), name);
        }
    }

    @BeforeEach
    void openStorage() throws IOException {
        storage = newStorage();
        view = storage.open(HOME);
    }

    @AfterEach
    protected void closeStorage() throws IOException {
        storage.close();
    }

    // ---- helpers ----

    public static VirtualPath path(String p) {
        return VirtualPath.ROOT.resolve(p);
    }

    public static void write(StorageView view, String p, byte[] content) throws IOException {
        try (UploadSink sink = view.openForWrite(path(p), UploadMode.REPLACE, 0)) {
            ByteBuffer src = ByteBuffer.wrap(content);
            while (src.hasRemaining()) {
                ByteBuffer piece = src.slice().limit(Math.min(src.remaining(), 100_000));
                int n = sink.channel().write(piece);
                src.position(src.position() + n);
            }
            sink.commit();
        }
    }

    public static void write(StorageView view, String p, String content) throws IOException {
        write(view, p, content.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] read(StorageView view, String p, long offset) throws IOException {
        try (SeekableByteChannel in = view.openForRead(path(p))) {
            in.position(offset);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (in.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    public static String readText(StorageView view, String p) throws IOException {
        return new String(read(view, p, 0), StandardCharsets.UTF_8);
    }

    /** The entries' names ("dir/" for a directory), as listed. */
    public static List<String> names(StorageView view, String directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<FileEntry> entries = view.list(path(directory))) {
            for (FileEntry e : entries) {
                names.add(e.isDirectory() ? e.name() + "/" : e.name());
            }
        }
        return names;
    }

    /**
     * The entries' names, sorted: in the order they are listed in where the backend lists in an
     * order (checked here), else in name order.
     */
    protected List<String> listed(StorageView view, String directory) throws IOException {
        List<String> names = names(view, directory);
        Comparator<String> order = listingOrder();
        List<String> sorted = names.stream().sorted(order != null ? order : BY_NAME).toList();
        if (order != null) {
            assertThat(names).as("listing order").isEqualTo(sorted);
        }
        return sorted;
    }

    // ---- reading ----

    @Test
    void readsFromAnOffsetAndKnowsTheSize() throws IOException {
        write(view, "/digits.txt", "0123456789");
        assertThat(new String(read(view, "/digits.txt", 4), StandardCharsets.US_ASCII)).isEqualTo("456789");
        try (SeekableByteChannel in = view.openForRead(path("/digits.txt"))) {
            assertThat(in.size()).isEqualTo(10);
            in.position(10);
            assertThat(in.read(ByteBuffer.allocate(4))).isEqualTo(-1);
            in.position(25);
            assertThat(in.read(ByteBuffer.allocate(4))).isEqualTo(-1);
        }
    }

    @Test
    void readsIntoDirectBuffersAndSeeksBackAfterReading() throws IOException {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + (i >> 9));
        }
        write(view, "/bin.dat", content);
        try (SeekableByteChannel in = view.openForRead(path("/bin.dat"))) {
            ByteBuffer direct = ByteBuffer.allocateDirect(1000);
            assertThat(in.read(direct)).isPositive();
            in.position(299_990);
            direct.clear();
            int n = in.read(direct);
            assertThat(n).isEqualTo(10);
            assertThat(in.position()).isEqualTo(300_000);
            direct.flip();
            for (int i = 0; i < 10; i++) {
                assertThat(direct.get()).isEqualTo(content[299_990 + i]);
            }
            in.position(0);
            direct.clear();
            assertThat(in.read(direct)).isPositive();
            assertThat(direct.get(0)).isEqualTo(content[0]);
        }
    }

    @Test
    void emptyFilesExist() throws IOException {
        write(view, "/empty", new byte[0]);
        assertThat(view.stat(path("/empty")).size()).isZero();
        assertThat(read(view, "/empty", 0)).isEmpty();
    }

    @Test
    void refusesToReadDirectoriesAndMissingFiles() throws IOException {
        view.makeDirectory(path("/d"));
        assertThatThrownBy(() -> view.openForRead(path("/d"))).isInstanceOf(FileSystemException.class)
                .isNotInstanceOf(NoSuchFileException.class).hasMessageContaining("Is a directory");
        assertThatThrownBy(() -> view.openForRead(VirtualPath.ROOT)).isInstanceOf(FileSystemException.class);
        assertThatThrownBy(() -> view.openForRead(path("/missing"))).isInstanceOf(NoSuchFileException.class);
    }

    // ---- writing ----

    @Test
    void replaceIsAtomicAndADiscardKeepsTheOldFile() throws IOException {
        write(view, "/doc.txt", "old");
        byte[] bigger = new byte[12 * 1024 * 1024]; // on S3 several parts: the new content is a multipart upload
        java.util.Arrays.fill(bigger, (byte) 'n');
        try (UploadSink sink = view.openForWrite(path("/doc.txt"), UploadMode.REPLACE, 0)) {
            sink.channel().write(ByteBuffer.wrap(bigger));
            assertThat(readText(view, "/doc.txt")).isEqualTo("old");
            assertThat(view.stat(path("/doc.txt")).size()).isEqualTo(3);
            sink.commit();
        }
        assertThat(read(view, "/doc.txt", 0)).isEqualTo(bigger);

        try (UploadSink sink = view.openForWrite(path("/doc.txt"), UploadMode.REPLACE, 0)) {
            sink.channel().write(ByteBuffer.wrap("discarded".getBytes(StandardCharsets.UTF_8)));
            sink.channel().write(ByteBuffer.wrap(bigger));
            // closed without commit: a failed transfer
        }
        assertThat(read(view, "/doc.txt", 0)).isEqualTo(bigger);
        assertThat(listed(view, "/")).containsExactly("doc.txt");
    }

    @Test
    void aNewFileAppearsOnlyOnCommit() throws IOException {
        try (UploadSink sink = view.openForWrite(path("/new.txt"), UploadMode.REPLACE, 0)) {
            sink.channel().write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> view.stat(path("/new.txt"))).isInstanceOf(NoSuchFileException.class);
            assertThat(listed(view, "/")).isEmpty();
            sink.commit();
        }
        assertThat(readText(view, "/new.txt")).isEqualTo("hello");
    }

    @Test
    void uploadsNeedAnExistingParentAndRefuseDirectories() throws IOException {
        assertThatThrownBy(() -> view.openForWrite(path("/nodir/f"), UploadMode.REPLACE, 0)).isInstanceOf(NoSuchFileException.class);
        write(view, "/file", "x");
        assertThatThrownBy(() -> view.openForWrite(path("/file/f"), UploadMode.REPLACE, 0)).isInstanceOf(NotDirectoryException.class);
        view.makeDirectory(path("/d"));
        assertThatThrownBy(() -> view.openForWrite(path("/d"), UploadMode.REPLACE, 0)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("Is a directory");
        assertThatThrownBy(() -> view.openForWrite(VirtualPath.ROOT, UploadMode.REPLACE, 0)).isInstanceOf(AccessDeniedException.class);
        write(view, "/d/inside.txt", "in");
        assertThat(readText(view, "/d/inside.txt")).isEqualTo("in");
    }

    @Test
    void appendsAndResumesInPlaceWhereSupportedAndRefusesItCleanlyElsewhere() throws IOException {
        write(view, "/f", "0123456789");
        if (!view.capabilities().resumeInPlace()) {
            assertThatThrownBy(() -> view.openForWrite(path("/f"), UploadMode.APPEND, 0)).isInstanceOf(UnsupportedStorageOperationException.class);
            assertThatThrownBy(() -> view.openForWrite(path("/f"), UploadMode.RESUME, 1)).isInstanceOf(UnsupportedStorageOperationException.class);
            assertThat(readText(view, "/f")).isEqualTo("0123456789");
            return;
        }
        try (UploadSink sink = view.openForWrite(path("/f"), UploadMode.APPEND, 0)) {
            sink.channel().write(ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)));
            sink.commit();
        }
        assertThat(readText(view, "/f")).isEqualTo("0123456789ab");
        try (UploadSink sink = view.openForWrite(path("/f"), UploadMode.RESUME, 4)) {
            sink.channel().write(ByteBuffer.wrap("xy".getBytes(StandardCharsets.US_ASCII)));
            sink.commit();
        }
        assertThat(readText(view, "/f")).isEqualTo("0123xy");
        // In place means the bytes written stay even when the upload fails: the client resumes from there.
        try (UploadSink sink = view.openForWrite(path("/f"), UploadMode.RESUME, 6)) {
            sink.channel().write(ByteBuffer.wrap("z".getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(readText(view, "/f")).isEqualTo("0123xyz");
        assertThatThrownBy(() -> view.openForWrite(path("/f"), UploadMode.RESUME, 8)).isInstanceOf(InvalidOffsetException.class);
        assertThatThrownBy(() -> view.openForWrite(path("/missing"), UploadMode.RESUME, 3)).isInstanceOf(InvalidOffsetException.class);
        assertThatThrownBy(() -> view.stat(path("/missing"))).as("a refused resume makes nothing").isInstanceOf(NoSuchFileException.class);
        try (UploadSink sink = view.openForWrite(path("/new"), UploadMode.APPEND, 0)) {
            sink.channel().write(ByteBuffer.wrap("n".getBytes(StandardCharsets.US_ASCII)));
            sink.commit();
        }
        assertThat(readText(view, "/new")).isEqualTo("n");
    }

    // ---- listing ----

    @Test
    protected void listsAHugeDirectoryLazilyInConstantMemory() throws Exception {
        int count = hugeDirectorySize();
        view.makeDirectory(path("/big"));
        view.makeDirectory(path("/big/sub"));
        populate(path("/big"), count);
        long idle = LiveHeap.bytes();
        long during;
        int files = 0;
        int directories = 0;
        try (DirectoryStream<FileEntry> entries = view.list(path("/big"))) {
            Iterator<FileEntry> it = entries.iterator();
            for (int i = 0; i < 150 && it.hasNext(); i++) {
                if (it.next().isDirectory()) {
                    directories++;
                } else {
                    files++;
                }
            }
            during = LiveHeap.bytes() - idle;
            while (it.hasNext()) {
                FileEntry e = it.next();
                if (e.isDirectory()) {
                    directories++;
                    assertThat(e.name()).isEqualTo("sub");
                } else {
                    files++;
                    assertThat(e.name()).matches("f[0-9]{5}");
                }
            }
        }
        assertThat(files).isEqualTo(count);
        assertThat(directories).isEqualTo(1);
        // Holding the entries would take far more than 32 bytes each (a FileEntry and its name alone).
        assertThat(during).as("heap held by a listing of %d entries that is part read", count).isLessThan(32L * count);
    }

    @Test
    void listingShowsFilesAndDirectories() throws IOException {
        view.makeDirectory(path("/b"));
        write(view, "/a.txt", "a");
        write(view, "/c.txt", "cc");
        view.makeDirectory(path("/b/inner"));
        write(view, "/b/x", "x");
        assertThat(listed(view, "/")).containsExactly("a.txt", "b/", "c.txt");
        assertThat(listed(view, "/b")).containsExactly("inner/", "x");
        assertThat(listed(view, "/b/inner")).isEmpty();
        assertThatThrownBy(() -> view.list(path("/a.txt"))).isInstanceOf(NotDirectoryException.class);
        assertThatThrownBy(() -> view.list(path("/none"))).isInstanceOf(NoSuchFileException.class);
    }

    // ---- directories ----

    @Test
    void makesAndRemovesDirectories() throws IOException {
        view.makeDirectory(path("/d"));
        assertThat(view.stat(path("/d")).isDirectory()).isTrue();
        assertThat(listed(view, "/d")).isEmpty();
        assertThatThrownBy(() -> view.makeDirectory(path("/d"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> view.makeDirectory(path("/no/such"))).isInstanceOf(NoSuchFileException.class);
        write(view, "/f", "f");
        assertThatThrownBy(() -> view.makeDirectory(path("/f"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> view.makeDirectory(path("/f/sub"))).isInstanceOf(NotDirectoryException.class);

        write(view, "/d/x", "x");
        assertThatThrownBy(() -> view.removeDirectory(path("/d"))).isInstanceOf(DirectoryNotEmptyException.class);
        view.makeDirectory(path("/d2"));
        view.makeDirectory(path("/d2/e"));
        assertThatThrownBy(() -> view.removeDirectory(path("/d2"))).isInstanceOf(DirectoryNotEmptyException.class);
        view.removeDirectory(path("/d2/e"));
        view.removeDirectory(path("/d2"));
        assertThatThrownBy(() -> view.stat(path("/d2"))).isInstanceOf(NoSuchFileException.class);

        assertThatThrownBy(() -> view.removeDirectory(path("/f"))).isInstanceOf(NotDirectoryException.class);
        assertThatThrownBy(() -> view.removeDirectory(path("/none"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> view.removeDirectory(VirtualPath.ROOT)).isInstanceOf(AccessDeniedException.class);

        view.delete(path("/d/x"));
        assertThat(view.stat(path("/d")).isDirectory()).isTrue(); // an emptied directory made by MKD stays
        view.removeDirectory(path("/d"));
        assertThat(listed(view, "/")).containsExactly("f");
    }

    // ---- delete ----

    @Test
    void deletesFilesOnly() throws IOException {
        write(view, "/f", "f");
        view.makeDirectory(path("/d"));
        view.delete(path("/f"));
        assertThatThrownBy(() -> view.stat(path("/f"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> view.delete(path("/f"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> view.delete(path("/d"))).isInstanceOf(FileSystemException.class)
                .isNotInstanceOf(NoSuchFileException.class).hasMessageContaining("Is a directory");
        assertThatThrownBy(() -> view.delete(VirtualPath.ROOT)).isInstanceOf(AccessDeniedException.class);
    }

    // ---- rename ----

    @Test
    void renamesFiles() throws IOException {
        write(view, "/a", "content of a");
        write(view, "/b", "content of b");
        view.makeDirectory(path("/d"));

        view.rename(path("/a"), path("/d/a2"));
        assertThat(readText(view, "/d/a2")).isEqualTo("content of a");
        assertThatThrownBy(() -> view.stat(path("/a"))).isInstanceOf(NoSuchFileException.class);

        view.rename(path("/b"), path("/d/a2")); // replaces a file
        assertThat(readText(view, "/d/a2")).isEqualTo("content of b");
        assertThat(listed(view, "/")).containsExactly("d/");

        view.rename(path("/d/a2"), path("/d/a2")); // onto itself: nothing happens
        assertThat(readText(view, "/d/a2")).isEqualTo("content of b");

        write(view, "/c", "c");
        assertThatThrownBy(() -> view.rename(path("/c"), path("/d"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> view.rename(path("/none"), path("/x"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> view.rename(path("/c"), path("/nodir/c"))).isInstanceOf(NoSuchFileException.class);
        assertThat(readText(view, "/c")).isEqualTo("c");
    }

    @Test
    void renamesDirectoriesWithEverythingInThem() throws IOException {
        view.makeDirectory(path("/src"));
        view.makeDirectory(path("/src/empty"));
        view.makeDirectory(path("/src/deep"));
        view.makeDirectory(path("/src/deep/er"));
        write(view, "/src/one", "1");
        write(view, "/src/deep/er/two", "2");
        view.makeDirectory(path("/dst-parent"));

        view.rename(path("/src"), path("/dst-parent/moved"));

        assertThatThrownBy(() -> view.stat(path("/src"))).isInstanceOf(NoSuchFileException.class);
        assertThat(listed(view, "/dst-parent/moved")).containsExactly("deep/", "empty/", "one");
        assertThat(listed(view, "/dst-parent/moved/empty")).isEmpty();
        assertThat(readText(view, "/dst-parent/moved/deep/er/two")).isEqualTo("2");
        assertThat(listed(view, "/")).containsExactly("dst-parent/");

        assertThatThrownBy(() -> view.rename(path("/dst-parent"), path("/dst-parent/moved/inside")))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("into itself");
        view.makeDirectory(path("/other"));
        assertThatThrownBy(() -> view.rename(path("/other"), path("/dst-parent/moved")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> view.rename(VirtualPath.ROOT, path("/x"))).isInstanceOf(AccessDeniedException.class);
    }

    // ---- stat ----

    @Test
    void statShowsFilesDirectoriesAndTheRoot() throws IOException {
        Instant before = Instant.now().minus(Duration.ofMinutes(2)); // service clocks differ a little
        write(view, "/f.txt", "12345");
        view.makeDirectory(path("/d"));
        FileEntry file = view.stat(path("/f.txt"));
        assertThat(file.name()).isEqualTo("f.txt");
        assertThat(file.isFile()).isTrue();
        assertThat(file.size()).isEqualTo(5);
        assertThat(file.modified()).isBetween(before, Instant.now().plus(Duration.ofMinutes(2)));
        assertThat(file.uniqueId()).isNotEqualTo(view.stat(path("/d")).uniqueId());
        FileEntry dir = view.stat(path("/d"));
        assertThat(dir.isDirectory()).isTrue();
        assertThat(dir.name()).isEqualTo("d");
        assertThat(dir.modified()).isAfter(before);
        assertThat(view.stat(VirtualPath.ROOT).isDirectory()).isTrue();
        assertThatThrownBy(() -> view.stat(path("/nope"))).isInstanceOf(NoSuchFileException.class);
    }

    // ---- capabilities ----

    @Test
    void declaresWhatItCanDoAndRefusesTheRest() throws IOException {
        StorageCapabilities c = view.capabilities();
        assertThat(c).isEqualTo(expectedCapabilities());
        assertThat(storage.capabilities()).isEqualTo(c);
        write(view, "/f", "f");
        Instant time = Instant.parse("2021-06-15T08:30:45Z");
        if (c.setModifiedTime()) {
            view.setModified(path("/f"), time);
            assertThat(view.stat(path("/f")).modified()).isEqualTo(time);
        } else {
            assertThatThrownBy(() -> view.setModified(path("/f"), time)).isInstanceOf(UnsupportedStorageOperationException.class);
        }
        if (c.permissions()) {
            view.setPermissions(path("/f"), 0600);
            assertThat(view.stat(path("/f")).mode() & 0777).isEqualTo(0600);
            assertThat(view.stat(path("/f")).hasMode()).isTrue();
        } else {
            assertThatThrownBy(() -> view.setPermissions(path("/f"), 0600)).isInstanceOf(UnsupportedStorageOperationException.class);
            assertThat(view.stat(path("/f")).hasMode()).isFalse();
        }
        assertThat(readText(view, "/f")).isEqualTo("f");
    }

    // ---- the jail ----

    @Test
    void dotDotAndAbsolutePathsStayInsideTheHome() throws IOException {
        StorageView everything = storage.open("");
        write(everything, "/outside.txt", "secret");
        write(everything, "/alice-sibling.txt", "sibling"); // shares the home's first characters
        everything.makeDirectory(path("/alicex"));
        write(everything, "/alicex/f", "x");
        write(view, "/mine.txt", "mine");

        for (String p : List.of("/../outside.txt", "../outside.txt", "/outside.txt", "/../alice-sibling.txt", "../alicex/f", "/../../../outside.txt")) {
            assertThatThrownBy(() -> view.stat(path(p))).as(p).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> view.openForRead(path(p))).as(p).isInstanceOf(NoSuchFileException.class);
        }
        assertThat(listed(view, "/..")).containsExactly("mine.txt");
        write(view, "/../../escaped.txt", "in"); // lands in the home: ".." stops at its top
        assertThat(readText(everything, "/alice/escaped.txt")).isEqualTo("in");
        assertThat(readText(everything, "/outside.txt")).isEqualTo("secret");
        assertThat(listed(everything, "/")).contains("alice/", "alice-sibling.txt", "alicex/", "outside.txt").doesNotContain("escaped.txt");
    }
}
