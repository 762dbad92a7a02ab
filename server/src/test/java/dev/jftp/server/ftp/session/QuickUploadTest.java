package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.sftp.WatchedStorage;
import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.memory.MemoryStorage;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary upload over a passive connection the client has already made begins on the session's
 * reader thread, with no wake-up of the worker (see SessionThreads.handOverUnlessQuickUpload); one
 * whose data does not end within the reader's wait, or that finds input on the control connection,
 * finishes on the worker, whole, with ABOR still seen; every other upload goes to the worker as
 * before. Where the upload ran is told by the thread that commits or discards it.
 */
class QuickUploadTest {
    @TempDir
    Path root;

    /** What a test does in a session logged in as alice, TYPE I, on a server over {@code files}. */
    @FunctionalInterface
    private interface InSession {
        void run(ControlConnection c) throws Exception;
    }

    private void binarySession(WatchedStorage files, InSession body) throws Exception {
        try (RunningServer server = RunningServer.start(root, s -> s.withStorage(files));
             ControlConnection c = server.connectAsAlice()) {
            c.command("TYPE I", 200);
            body.run(c);
        }
    }

    private static boolean onWorker(String thread) {
        return thread.endsWith("-worker");
    }

    private static Reply upload(ControlConnection c, String name, byte[] content) throws IOException {
        try (Socket data = c.openPassive()) {
            assertThat(c.command("STOR " + name).code()).isEqualTo(150);
            try (OutputStream out = data.getOutputStream()) {
                out.write(content);
            }
            return c.reply();
        }
    }

    /**
     * An upload whose data is all sent, and the data connection closed, before the client reads the
     * 150: whether the reader's wait (QUICK_UPLOAD_WAIT) sees it no longer depends on how soon a
     * loaded machine schedules the client after the 150.
     */
    private static Reply uploadAtOnce(ControlConnection c, String name, byte[] content) throws IOException {
        try (Socket data = c.openPassive()) {
            c.send("STOR " + name);
            try (OutputStream out = data.getOutputStream()) {
                out.write(content);
            }
            assertThat(c.reply().code()).isEqualTo(150);
            return c.reply();
        }
    }

    private static byte[] content(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    @Test
    void smallBinaryUploadsEndOnTheReaderAndOnBurstThreadsNeverOnTheWorker() throws Exception {
        WatchedStorage files = new WatchedStorage(new MemoryStorage());
        binarySession(files, c -> {
            for (int i = 0; i < 12; i++) {
                assertThat(uploadAtOnce(c, "f" + i + ".bin", content(4096, i)).code()).isEqualTo(226);
            }
            for (int i = 0; i < 12; i++) {
                assertThat(c.download("RETR f" + i + ".bin")).isEqualTo(content(4096, i));
            }
        });
        assertThat(files.commitThreads).hasSize(12).noneMatch(QuickUploadTest::onWorker);
        assertThat(files.commitThreads).as("uploads in a burst run on a burst thread").anyMatch(t -> t.startsWith("ftp-burst-"));
        assertThat(files.discardThreads).isEmpty();
    }

    @Test
    void anUploadWhoseDataOutlastsTheReadersWaitFinishesWholeOnTheWorker() throws Exception {
        WatchedStorage files = new WatchedStorage(new MemoryStorage());
        byte[] first = content(30_000, 1);
        byte[] second = content(50_000, 2);
        binarySession(files, c -> {
            try (Socket data = c.openPassive()) {
                assertThat(c.command("STOR slow.bin").code()).isEqualTo(150);
                OutputStream out = data.getOutputStream();
                out.write(first);
                out.flush();
                Thread.sleep(5 * SessionThreads.QUICK_UPLOAD_WAIT.toMillis());
                Reply stat = c.command("STAT"); // the reader reads the control connection again: the transfer is on the worker
                assertThat(stat.code()).isEqualTo(211);
                assertThat(stat.all()).contains("Transfer in progress").contains("slow.bin");
                out.write(second);
                out.close();
                assertThat(c.reply().code()).isEqualTo(226);
            }
            byte[] whole = new byte[first.length + second.length];
            System.arraycopy(first, 0, whole, 0, first.length);
            System.arraycopy(second, 0, whole, first.length, second.length);
            assertThat(c.download("RETR slow.bin")).isEqualTo(whole);
            assertThat(c.command("NOOP").code()).isEqualTo(200);
        });
        assertThat(files.commitThreads).hasSize(1).allMatch(QuickUploadTest::onWorker);
    }

    @Test
    void anUploadOverTheReadersLimitFinishesWholeOnTheWorker() throws Exception {
        WatchedStorage files = new WatchedStorage(new MemoryStorage());
        byte[] big = content((int) (4 * SessionThreads.QUICK_TRANSFER_LIMIT) + 12_345, 5);
        binarySession(files, c -> {
            assertThat(upload(c, "big.bin", big).code()).isEqualTo(226);
            assertThat(c.download("RETR big.bin")).isEqualTo(big);
        });
        assertThat(files.commitThreads).hasSize(1).allMatch(QuickUploadTest::onWorker);
    }

    @Test
    void aborOfAnUploadThatMovedToTheWorkerKeepsTheOldFile() throws Exception {
        WatchedStorage files = new WatchedStorage(new MemoryStorage());
        binarySession(files, c -> {
            assertThat(upload(c, "keep.bin", content(1000, 7)).code()).isEqualTo(226);
            try (Socket data = c.openPassive()) {
                assertThat(c.command("STOR keep.bin").code()).isEqualTo(150);
                data.getOutputStream().write(content(20_000, 8));
                data.getOutputStream().flush();
                Thread.sleep(5 * SessionThreads.QUICK_UPLOAD_WAIT.toMillis());
                c.send("ABOR");
                assertThat(c.reply().code()).isEqualTo(426);
                assertThat(c.reply().code()).isEqualTo(226);
            }
            assertThat(c.download("RETR keep.bin")).isEqualTo(content(1000, 7));
        });
        assertThat(files.discardThreads).hasSize(1).allMatch(QuickUploadTest::onWorker);
    }

    @Test
    void aCommandSentBehindTheDataIsAnsweredAfterTheUploadWhichIsKept() throws Exception {
        WatchedStorage files = new WatchedStorage(new MemoryStorage());
        binarySession(files, c -> {
            try (Socket data = c.openPassive()) {
                assertThat(c.command("STOR piped.bin").code()).isEqualTo(150);
                c.send("NOOP"); // before the data ends: the reader finds it when it looks at the control connection
                try (OutputStream out = data.getOutputStream()) {
                    out.write(content(4096, 3));
                }
                assertThat(c.reply().code()).isEqualTo(226);
                assertThat(c.reply().code()).isEqualTo(200);
            }
            assertThat(c.download("RETR piped.bin")).isEqualTo(content(4096, 3));
        });
        assertThat(files.commitThreads).hasSize(1);
    }

    @Test
    void aClientGoneBeforeItsDataEndedKeepsTheOldFileEveryTime() throws Exception {
        WatchedStorage files = new WatchedStorage(new MemoryStorage());
        try (RunningServer server = RunningServer.start(root, s -> s.withStorage(files))) {
            try (ControlConnection c = server.connectAsAlice()) {
                c.command("TYPE I", 200);
                assertThat(upload(c, "old.bin", content(5000, 9)).code()).isEqualTo(226);
            }
            for (int round = 0; round < 20; round++) {
                ControlConnection c = server.connectAsAlice();
                c.command("TYPE I", 200);
                Socket data = c.openPassive();
                c.command("STOR old.bin", 150);
                data.getOutputStream().write(content(3000, round));
                data.getOutputStream().flush();
                c.close(); // the client dies: its control connection first, then the data's end, which looks like a whole file
                data.close();
                server.awaitSessionCount(0, Duration.ofSeconds(10));
            }
            try (ControlConnection c = server.connectAsAlice()) {
                c.command("TYPE I", 200);
                assertThat(c.download("RETR old.bin")).isEqualTo(content(5000, 9));
            }
        }
        assertThat(files.commitThreads).hasSize(1);
        assertThat(files.discardThreads).hasSize(20);
    }

    @Test
    void asciiUploadsAndUploadsToAStorageElsewhereStillGoToTheWorker() throws IOException {
        StorageCapabilities remote = new StorageCapabilities(true, true, true, false, true, true, false);
        WatchedStorage local = new WatchedStorage(new MemoryStorage());
        WatchedStorage elsewhere = new WatchedStorage(new MemoryStorage(remote));
        for (WatchedStorage files : List.of(local, elsewhere)) {
            try (RunningServer server = RunningServer.start(root.resolve(files == local ? "a" : "b"), s -> s.withStorage(files));
                 ControlConnection c = server.connectAsAlice()) {
                c.command(files == local ? "TYPE A" : "TYPE I", 200);
                assertThat(upload(c, "t.txt", "one\r\ntwo\r\n".getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(226);
            }
        }
        assertThat(local.commitThreads).hasSize(1).allMatch(QuickUploadTest::onWorker);
        assertThat(elsewhere.commitThreads).hasSize(1).allMatch(QuickUploadTest::onWorker);
    }
}
