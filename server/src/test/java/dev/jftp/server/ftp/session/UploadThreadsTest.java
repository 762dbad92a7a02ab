package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.local.LocalStorageView;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The receive loop of an upload that outgrew the reader runs on a borrowed platform thread (see
 * SessionThreads#receiveOnUploadThread): the file arrives whole, ABOR still stops it and keeps the
 * old file, the thread comes back after either, and more uploads than threads are all received.
 */
class UploadThreadsTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest(config -> config);

    private static byte[] content(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    /** Sends the first 64 KiB, waits past the reader's wait so that the rest goes to the worker, then the rest. */
    private static void sendSlowlyStarted(OutputStream out, byte[] content) throws IOException, InterruptedException {
        out.write(content, 0, 64 * 1024);
        out.flush();
        Thread.sleep(5 * SessionThreads.QUICK_UPLOAD_WAIT.toMillis());
        out.write(content, 64 * 1024, content.length - 64 * 1024);
    }

    private static void upload(ControlConnection c, String name, byte[] content) throws Exception {
        try (Socket data = c.openPassive()) {
            assertThat(c.command("STOR " + name).code()).isEqualTo(150);
            try (OutputStream out = data.getOutputStream()) {
                sendSlowlyStarted(out, content);
            }
            assertThat(c.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void aLargeUploadIsReceivedOnAnUploadThreadAndArrivesWhole() throws Exception {
        byte[] content = content(3 * 1024 * 1024 + 17, 1);
        long before = SessionThreads.uploadsOnPlatformThreads();
        try (ControlConnection c = server.connectAsAlice()) {
            assertThat(c.command("TYPE I").code()).isEqualTo(200);
            upload(c, "big.bin", content);
            assertThat(c.command("NOOP").code()).isEqualTo(200);
        }
        assertThat(SessionThreads.uploadsOnPlatformThreads()).as("receive loops run on upload threads").isGreaterThan(before);
        assertThat(server.root().resolve("big.bin")).hasBinaryContent(content);
    }

    @Test
    void aborOnAnUploadThreadKeepsTheOldFileAndGivesTheThreadBack() throws Exception {
        Files.writeString(server.root().resolve("keep.bin"), "old");
        try (ControlConnection c = server.connectAsAlice()) {
            assertThat(c.command("TYPE I").code()).isEqualTo(200);
            // More rounds than upload threads: a thread kept by an aborted upload would leave none.
            for (int round = 0; round < Runtime.getRuntime().availableProcessors() + 2; round++) {
                long before = SessionThreads.uploadsOnPlatformThreads();
                try (Socket data = c.openPassive()) {
                    assertThat(c.command("STOR keep.bin").code()).isEqualTo(150);
                    OutputStream out = data.getOutputStream();
                    out.write(content(64 * 1024, 2));
                    out.flush();
                    Thread.sleep(5 * SessionThreads.QUICK_UPLOAD_WAIT.toMillis());
                    out.write(content(256 * 1024, 3)); // now read on the upload thread, which then waits for more
                    out.flush();
                    for (int i = 0; i < 50 && SessionThreads.uploadsOnPlatformThreads() == before; i++) {
                        Thread.sleep(20);
                    }
                    assertThat(SessionThreads.uploadsOnPlatformThreads()).as("round %d on an upload thread", round).isGreaterThan(before);
                    c.send("ABOR");
                    assertThat(c.reply().code()).isEqualTo(426);
                    assertThat(c.reply().code()).isEqualTo(226);
                }
                assertThat(server.root().resolve("keep.bin")).hasContent("old");
            }
            assertThat(c.command("NOOP").code()).isEqualTo(200);
        }
        try (Stream<Path> files = Files.list(server.root())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(LocalStorageView.TEMP_PREFIX));
        }
    }

    @Test
    void moreLargeUploadsThanUploadThreadsAreAllReceived() throws Exception {
        int uploads = Runtime.getRuntime().availableProcessors() + 3;
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            int n = i;
            clients.add(Thread.ofVirtual().start(() -> {
                try (ControlConnection c = server.connectAsAlice()) {
                    assertThat(c.command("TYPE I").code()).isEqualTo(200);
                    upload(c, "u" + n + ".bin", content(1024 * 1024 + n, n));
                } catch (Exception | AssertionError e) {
                    failures.add(n + ": " + e);
                }
            }));
        }
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(60));
        }
        assertThat(failures).isEmpty();
        for (int i = 0; i < uploads; i++) {
            assertThat(Arrays.equals(Files.readAllBytes(server.root().resolve("u" + i + ".bin")), content(1024 * 1024 + i, i)))
                    .as("u%d.bin whole", i).isTrue();
        }
    }
}
