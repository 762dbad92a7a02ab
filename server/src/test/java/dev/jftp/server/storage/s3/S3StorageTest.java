package dev.jftp.server.storage.s3;

import static dev.jftp.server.storage.StorageContractTest.names;
import static dev.jftp.server.storage.StorageContractTest.path;
import static dev.jftp.server.storage.StorageContractTest.read;
import static dev.jftp.server.storage.StorageContractTest.readText;
import static dev.jftp.server.storage.StorageContractTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.storage.StorageUnavailableException;
import dev.jftp.server.storage.StorageView;
import dev.jftp.server.storage.UploadMode;
import dev.jftp.server.storage.UploadSink;
import dev.jftp.server.testing.S3TestServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What only the S3 backend has: how paths become keys (and that none leaves the user's prefix),
 * streaming in bounded memory both ways, multipart uploads that never outlive their transfer,
 * server-side copies, and the service's failures.
 */
class S3StorageTest {
    private static final int MIB = 1024 * 1024;

    /** On disk: these tests move objects of tens of MiB, which need not sit in the test's heap. */
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer(true);

    private S3StorageFixture fixture;
    private StorageView view;

    @BeforeEach
    void setUp() throws IOException {
        S3.faults().reset();
        fixture = new S3StorageFixture(S3, S3StorageFixture.testSettings());
        view = fixture.view();
    }

    @AfterEach
    void tearDown() {
        S3.faults().reset();
        fixture.close();
    }

    /** The byte at {@code offset} of the test pattern: no two nearby MiB alike, made again to check. */
    private static byte patternAt(long offset) {
        long x = offset * 0x9E3779B97F4A7C15L;
        return (byte) (x >>> 56 ^ offset >>> 20);
    }

    private static void fillPattern(ByteBuffer buffer, long offset) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            buffer.put(i, patternAt(offset + i - buffer.position()));
        }
    }

    /** Uploads {@code size} bytes of the pattern through the view, 1 MiB per write as a transfer does. */
    private void uploadPattern(String p, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(MIB);
        try (UploadSink sink = view.openForWrite(path(p), UploadMode.REPLACE, 0)) {
            for (long done = 0; done < size; ) {
                chunk.clear().limit((int) Math.min(MIB, size - done));
                fillPattern(chunk, done);
                done += sink.channel().write(chunk);
            }
            sink.commit();
        }
    }

    /** {@code size} bytes of the pattern stored straight into the test server (no upload through the view). */
    private void putPattern(String p, long size) {
        S3.putDirectly(fixture.bucket(), fixture.key(p), new java.io.InputStream() {
            private long position;

            @Override
            public int read() {
                return position < size ? patternAt(position++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = patternAt(position++);
                }
                return n;
            }
        }, size);
    }

    /** Reads the file from {@code offset} through a direct buffer and checks every byte against the pattern. */
    private long readAndCheckPattern(String p, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MIB);
        long position = offset;
        try (SeekableByteChannel in = view.openForRead(path(p))) {
            in.position(offset);
            int n;
            while ((n = in.read(buffer)) >= 0) {
                buffer.flip();
                for (int i = 0; i < n; i++) {
                    if (buffer.get(i) != patternAt(position + i)) {
                        throw new AssertionError("byte " + (position + i) + " differs");
                    }
                }
                position += n;
                buffer.clear();
            }
        }
        return position - offset;
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    // ---- keys and the jail ----

    @Test
    void aUsersPathIsTheKeyBelowPrefixAndHome() throws IOException {
        view.makeDirectory(path("/a"));
        write(view, "/a/b.txt", "bee");
        assertThat(fixture.raw().headObject(r -> r.bucket(fixture.bucket()).key("jftp/alice/a/b.txt")).contentLength()).isEqualTo(3);
        S3Object marker = fixture.raw().listObjectsV2(r -> r.bucket(fixture.bucket()).prefix("jftp/alice/a/")).contents().get(0);
        assertThat(marker.key()).isEqualTo("jftp/alice/a/");
        assertThat(marker.size()).isZero();
        // the home itself got its marker when alice's view was opened
        assertThat(fixture.raw().headObject(r -> r.bucket(fixture.bucket()).key("jftp/alice/")).contentLength()).isZero();
    }

    @Test
    void nothingOutsideTheHomePrefixIsVisibleOrReachable() throws IOException {
        // ("jftp/alice" itself, an object next to the home's prefix, S3 allows but S3Proxy's stores cannot
        // hold beside "jftp/alice/": they are file systems underneath.)
        for (String outside : List.of("jftp/alice-sibling.txt", "jftp/alicex/secret.txt", "jftp/alice.txt", "jftp/bob/secret.txt",
                "jftp-other/alice/secret.txt", "top.txt", "jftp/secret.txt")) {
            fixture.putRaw(outside, "secret");
        }
        assertThat(names(view, "/")).isEmpty();
        assertThat(path("/..").isRoot()).isTrue();
        for (String p : List.of("/../alice-sibling.txt", "/../../top.txt", "/../bob/secret.txt", "../alicex/secret.txt",
                "/../secret.txt", "/../alice.txt", "/../../jftp-other/alice/secret.txt")) {
            assertThatThrownBy(() -> view.stat(path(p)), p).isInstanceOfAny(NoSuchFileException.class, FileSystemException.class);
            assertThatThrownBy(() -> view.openForRead(path(p)), p).isInstanceOf(FileSystemException.class);
            assertThatThrownBy(() -> view.delete(path(p)), p).isInstanceOf(FileSystemException.class);
        }
        write(view, "/../../top.txt", "mine"); // lands in alice's home, as on a chrooted disk
        assertThat(names(view, "/")).containsExactly("top.txt");
        assertThat(new String(fixture.raw().getObjectAsBytes(r -> r.bucket(fixture.bucket()).key("top.txt")).asByteArray(),
                StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThat(fixture.raw().headObject(r -> r.bucket(fixture.bucket()).key("jftp/alice/top.txt")).contentLength()).isEqualTo(4);
    }

    @Test
    void oddNamesRoundTripAndUnreachableKeysAreNotListed() throws IOException {
        List<String> odd = List.of("a b.txt", "ümlaut€.txt", "per%cent%2F..", "q?&=#+;", "back\\slash", "日本語", "tab\tname", "😀 emoji");
        for (String name : odd) {
            write(view, "/" + name, name);
        }
        for (String name : odd) {
            assertThat(readText(view, "/" + name)).isEqualTo(name);
        }
        assertThat(names(view, "/")).containsExactlyInAnyOrderElementsOf(odd);
        view.rename(path("/q?&=#+;"), path("/renamed ü%"));
        assertThat(readText(view, "/renamed ü%")).isEqualTo("q?&=#+;");
    }

    @Test
    void namesTooLongForAKeyAreRefusedClearly() {
        String longName = "/" + "n".repeat(1100);
        assertThatThrownBy(() -> view.openForWrite(path(longName), UploadMode.REPLACE, 0))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("File name too long");
    }

    @Test
    void homesAreMadeOnFirstUseAndStayBelowThePrefix() throws IOException {
        StorageView bob = fixture.storage().open("/users//bob/");
        write(bob, "/f", "bob's");
        assertThat(fixture.raw().headObject(r -> r.bucket(fixture.bucket()).key("jftp/users/bob/f")).contentLength()).isEqualTo(5);
        assertThat(fixture.raw().headObject(r -> r.bucket(fixture.bucket()).key("jftp/users/bob/")).contentLength()).isZero();
        assertThat(names(fixture.storage().open("users/bob"), "/")).containsExactly("f");
        assertThatThrownBy(() -> fixture.storage().open("../escape")).isInstanceOf(FileSystemException.class);
        StorageView everything = fixture.storage().open("");
        assertThat(names(everything, "/")).contains("alice/", "users/");
    }

    @Test
    void aDirectoryWithoutMarkerExistsWhileItHoldsObjects() throws IOException {
        fixture.putRaw("jftp/alice/implicit/a.txt", "a");
        assertThat(view.stat(path("/implicit")).isDirectory()).isTrue();
        assertThat(names(view, "/")).containsExactly("implicit/");
        view.delete(path("/implicit/a.txt"));
        assertThatThrownBy(() -> view.stat(path("/implicit"))).isInstanceOf(NoSuchFileException.class);
    }

    // ---- downloads ----

    @Test
    void restartedDownloadIsOneRangedGet() throws IOException {
        write(view, "/r.txt", "0123456789");
        S3.faults().reset();
        assertThat(new String(read(view, "/r.txt", 5), StandardCharsets.US_ASCII)).isEqualTo("56789");
        assertThat(read(view, "/r.txt", 0)).hasSize(10);
        assertThat(S3.faults().ranges()).containsExactly("bytes=5-", "");
    }

    @Test
    void largeDownloadStreamsInBoundedMemory() throws IOException {
        long size = 64L * MIB;
        putPattern("/big.bin", size);
        putPattern("/warm-up.bin", 4L * MIB);
        readAndCheckPattern("/warm-up.bin", 0); // classes loaded, code compiled, connection pooled
        S3.faults().reset();
        long before = allocatedByThisThread();
        assertThat(readAndCheckPattern("/big.bin", 0)).isEqualTo(size);
        long allocated = allocatedByThisThread() - before;
        System.err.printf("reading 64 MiB allocated %,d bytes on the reading thread%n", allocated);
        // Streamed: the reader allocated a small fraction of what it read (no staging of the object).
        assertThat(allocated).isLessThan(8L * MIB);
        assertThat(S3.faults().ranges()).containsExactly("");
    }

    @Test
    void aBrokenDownloadResumesWhereItStopped() throws IOException {
        long size = 12L * MIB;
        putPattern("/cut.bin", size);
        S3.faults().reset();
        S3.faults().cutNextDownloadAfter(3L * MIB);
        assertThat(readAndCheckPattern("/cut.bin", 0)).isEqualTo(size);
        List<String> ranges = S3.faults().ranges();
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isEmpty();
        long resumedAt = Long.parseLong(ranges.get(1).replace("bytes=", "").replace("-", ""));
        assertThat(resumedAt).isBetween(1L, 3L * MIB);
    }

    @Test
    void anObjectReplacedBeforeTheReadFailsItInsteadOfMixingVersions() throws IOException {
        write(view, "/v.txt", "version one");
        try (SeekableByteChannel in = view.openForRead(path("/v.txt"))) {
            fixture.putRaw(fixture.key("/v.txt"), "version two, longer");
            assertThatThrownBy(() -> in.read(ByteBuffer.allocate(100))).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("changed");
        }
    }

    // ---- uploads ----

    @Test
    void largeUploadStreamsAsMultipartInBoundedMemory() throws IOException {
        long size = 64L * MIB;
        UploadMemory memory = fixture.storage().memory();
        memory.resetPeak();
        uploadPattern("/up.bin", size);
        long peak = memory.peakInUse();
        S3Settings settings = fixture.storage().settings();
        long perUpload = settings.smallBufferSize() + (long) settings.partsPerUpload() * settings.partSize();
        System.err.printf("uploading 64 MiB in parts of %d MiB: peak upload memory %,d bytes (bound %,d)%n",
                settings.partSize() / MIB, peak, perUpload);
        assertThat(peak).isLessThanOrEqualTo(perUpload).isLessThanOrEqualTo(memory.budget());
        assertThat(memory.inUse()).isZero();
        String eTag = fixture.raw().headObject(r -> r.bucket(fixture.bucket()).key(fixture.key("/up.bin"))).eTag();
        assertThat(eTag).endsWith("-13\""); // ceil(64 / 5) parts
        assertThat(readAndCheckPattern("/up.bin", 0)).isEqualTo(size);
        assertThat(fixture.openMultipartUploads()).isZero();
    }

    @Test
    void manySmallUploadsAndOneLargeShareTheBudget() throws Exception {
        UploadMemory memory = fixture.storage().memory();
        memory.resetPeak();
        int small = memory.smallBuffers() + 20; // more than there are small buffers: some wait their turn
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> uploads = new ArrayList<>();
            uploads.add(clients.submit(() -> {
                uploadPattern("/large.bin", 30L * MIB);
                return null;
            }));
            for (int i = 0; i < small; i++) {
                String name = "/small-" + i;
                uploads.add(clients.submit(() -> {
                    write(view, name, name.repeat(1000)); // ~8 KiB
                    return null;
                }));
            }
            for (Future<?> f : uploads) {
                f.get();
            }
        }
        System.err.printf("%d small uploads and one of 30 MiB at once: peak upload memory %,d bytes (budget %,d)%n",
                small, memory.peakInUse(), memory.budget());
        assertThat(memory.peakInUse()).isLessThanOrEqualTo(memory.budget());
        assertThat(memory.inUse()).isZero();
        assertThat(readText(view, "/small-7")).isEqualTo("/small-7".repeat(1000));
        assertThat(readAndCheckPattern("/large.bin", 0)).isEqualTo(30L * MIB);
        assertThat(names(view, "/")).hasSize(small + 1);
        assertThat(fixture.openMultipartUploads()).isZero();
    }

    @Test
    void anUploadWaitingTooLongForMemoryFailsCleanly() throws IOException {
        S3Settings tight = S3StorageFixture.testSettings()
                .withUploadMemory(S3Settings.MIN_PART_SIZE + 4L * 64 * 1024, 64 * 1024, 3)
                .withMemoryWait(Duration.ofMillis(300));
        try (S3Storage storage = fixture.connect(tight)) {
            StorageView v = storage.open("alice");
            assertThat(storage.memory().partBuffers()).isEqualTo(1);
            byte[] hundredKiB = new byte[100 * 1024];
            try (UploadSink first = v.openForWrite(path("/first"), UploadMode.REPLACE, 0);
                 UploadSink second = v.openForWrite(path("/second"), UploadMode.REPLACE, 0)) {
                first.channel().write(ByteBuffer.wrap(hundredKiB)); // outgrew its small buffer: holds the one part buffer
                assertThatThrownBy(() -> second.channel().write(ByteBuffer.wrap(hundredKiB)))
                        .isInstanceOf(StorageUnavailableException.class).hasMessageContaining("upload memory");
                first.commit();
            }
            assertThat(storage.memory().inUse()).isZero();
            assertThat(names(v, "/")).containsExactly("first");
            write(v, "/third", hundredKiB); // the memory is back
            assertThat(v.stat(path("/third")).size()).isEqualTo(hundredKiB.length);
        }
    }

    @Test
    void uploadsAllFinishWithOnePartBufferForAllOfThem() throws Exception {
        // The tightest budget: one part buffer, four small ones. Six uploads of two parts each must
        // take turns, and all finish: one that waits for a part buffer never holds one.
        S3Settings tight = S3StorageFixture.testSettings()
                .withUploadMemory(S3Settings.MIN_PART_SIZE + 4L * 64 * 1024, 64 * 1024, 3)
                .withMemoryWait(Duration.ofSeconds(50));
        try (S3Storage storage = fixture.connect(tight);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            StorageView v = storage.open("alice");
            assertThat(storage.memory().partBuffers()).isEqualTo(1);
            List<Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String name = "/two-parts-" + i;
                uploads.add(clients.submit(() -> {
                    byte[] content = new byte[S3Settings.MIN_PART_SIZE + 100_000];
                    java.util.Arrays.fill(content, (byte) name.charAt(name.length() - 1));
                    write(v, name, content);
                    return null;
                }));
            }
            for (Future<?> f : uploads) {
                f.get();
            }
            assertThat(storage.memory().peakInUse()).isLessThanOrEqualTo(storage.memory().budget());
            assertThat(storage.memory().inUse()).isZero();
            assertThat(v.stat(path("/two-parts-5")).size()).isEqualTo(S3Settings.MIN_PART_SIZE + 100_000);
            assertThat(read(v, "/two-parts-3", S3Settings.MIN_PART_SIZE)).containsOnly((byte) '3');
        }
        assertThat(fixture.openMultipartUploads()).isZero();
    }

    @Test
    void aDiscardedMultipartUploadLeavesNothingBehind() throws IOException {
        write(view, "/keep.txt", "old content");
        try (UploadSink sink = view.openForWrite(path("/keep.txt"), UploadMode.REPLACE, 0)) {
            ByteBuffer chunk = ByteBuffer.allocate(MIB);
            for (int i = 0; i < 16; i++) {
                chunk.clear();
                sink.channel().write(chunk);
            }
            assertThat(fixture.openMultipartUploads()).isEqualTo(1); // parts are on their way
        }
        assertThat(fixture.openMultipartUploads()).isZero();
        assertThat(readText(view, "/keep.txt")).isEqualTo("old content");
        assertThat(fixture.storage().memory().inUse()).isZero();
    }

    @Test
    void aPartTheServiceKeepsRefusingFailsTheUploadAndAbortsIt() throws IOException {
        write(view, "/keep.txt", "old content");
        S3.faults().slowDown("uploadMultipartPart", 1000); // beyond every retry
        // The service answers before it reads the part, so the client may see the 503 or a broken pipe.
        assertThatThrownBy(() -> uploadPattern("/keep.txt", 12L * MIB))
                .isInstanceOf(StorageUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("jftp/", fixture.bucket()));
        S3.faults().reset();
        assertThat(fixture.openMultipartUploads()).isZero();
        assertThat(readText(view, "/keep.txt")).isEqualTo("old content");
        assertThat(fixture.storage().memory().inUse()).isZero();
    }

    @Test
    void throttlingIsRetriedWithBackoffAndThenReported() throws IOException {
        write(view, "/t.txt", "t");
        S3.faults().slowDownNext(2); // 3 attempts in the test settings
        assertThat(view.stat(path("/t.txt")).size()).isEqualTo(1);
        S3.faults().slowDownNext(1000);
        assertThatThrownBy(() -> view.stat(path("/t.txt"))).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("HTTP 503"); // a HEAD answer has no body, so no error code
        assertThatThrownBy(() -> names(view, "/")).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("HTTP 503 SlowDown");
        S3.faults().reset();
        assertThat(readText(view, "/t.txt")).isEqualTo("t");
    }

    // ---- copies ----

    @Test
    void renamingALargeFileCopiesItInPartsOnTheServer() throws IOException {
        long size = 12L * MIB; // above the test settings' 6 MiB: copied in parts of 5 MiB
        putPattern("/large.bin", size);
        view.makeDirectory(path("/d"));
        view.rename(path("/large.bin"), path("/d/moved.bin"));
        String eTag = fixture.raw().headObject(r -> r.bucket(fixture.bucket()).key(fixture.key("/d/moved.bin"))).eTag();
        assertThat(eTag).endsWith("-3\"");
        assertThat(readAndCheckPattern("/d/moved.bin", 0)).isEqualTo(size);
        assertThatThrownBy(() -> view.stat(path("/large.bin"))).isInstanceOf(NoSuchFileException.class);
        assertThat(fixture.openMultipartUploads()).isZero();
    }

    @Test
    void renamingADirectoryMovesEveryPageOfObjects() throws Exception {
        view.makeDirectory(path("/many"));
        fixture.populate(path("/many"), 150); // two pages of 100
        view.rename(path("/many"), path("/moved"));
        assertThat(names(view, "/moved")).hasSize(150);
        assertThat(fixture.raw().listObjectsV2(r -> r.bucket(fixture.bucket()).prefix("jftp/alice/many")).contents()).isEmpty();
        assertThat(readText(view, "/moved/f00149")).isEqualTo("jftp/alice/many/f00149");
    }

    @Test
    void aDirectoryDoesNotReplaceAFile() throws IOException {
        view.makeDirectory(path("/dir"));
        write(view, "/dir/in", "in");
        write(view, "/file", "file");
        assertThatThrownBy(() -> view.rename(path("/dir"), path("/file"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(readText(view, "/file")).isEqualTo("file");
        assertThat(readText(view, "/dir/in")).isEqualTo("in");
    }

    // ---- start-up ----

    @Test
    void staleMultipartUploadsBelowThePrefixAreAbortedAtStart() throws IOException {
        for (String key : List.of("jftp/alice/crashed.bin", "jftp/bob/also-ours", "jftp-other/not-ours", "elsewhere/not-ours")) {
            fixture.raw().createMultipartUpload(r -> r.bucket(fixture.bucket()).key(key));
        }
        fixture.raw().uploadPart(r -> r.bucket(fixture.bucket()).key("jftp/alice/crashed.bin").partNumber(1)
                .uploadId(uploadIds("jftp/alice/crashed.bin").get(0)), RequestBody.fromString("part"));
        try (S3Storage young = fixture.connect(S3StorageFixture.testSettings().withStaleUploadAge(Duration.ofHours(1)))) {
            assertThat(fixture.openMultipartUploads()).isEqualTo(4); // may be another node's, still running
        }
        try (S3Storage restarted = fixture.connect(S3StorageFixture.testSettings().withStaleUploadAge(Duration.ZERO))) {
            assertThat(fixture.raw().listMultipartUploads(r -> r.bucket(fixture.bucket())).uploads())
                    .extracting(MultipartUpload::key).containsExactlyInAnyOrder("jftp-other/not-ours", "elsewhere/not-ours");
            assertThat(restarted.abortStaleUploads()).isZero();
        }
    }

    private List<String> uploadIds(String key) {
        return fixture.raw().listMultipartUploads(r -> r.bucket(fixture.bucket()).prefix(key)).uploads().stream()
                .map(MultipartUpload::uploadId).toList();
    }

    @Test
    void describesItselfWithoutSecrets() {
        String text = fixture.storage().describe();
        assertThat(text).isEqualTo("s3://" + fixture.bucket() + "/jftp/ at " + S3.endpoint());
        assertThat(text).doesNotContain(S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY);
    }
}
