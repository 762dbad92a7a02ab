package dev.jftp.server.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the server: running transfers get the grace period; what is still running then is cut, leaving no damage. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShutdownTest {
    @TempDir
    Path root;

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void aTransferThatFinishesWithinTheGraceCompletesWhileNewConnectionsAreRefused() throws Exception {
        byte[] big = random(32 * 1024 * 1024, 1);
        Files.write(root.resolve("big.bin"), big);
        RunningServer server = RunningServer.start(root, c -> c.withShutdownGrace(Duration.ofSeconds(60)));
        FTPClient ftp = server.alice();
        InputStream in = ftp.retrieveFileStream("big.bin");
        byte[] head = in.readNBytes(1024 * 1024);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::stop);
        awaitRefused(server.port());
        assertThat(closing).isNotDone();

        byte[] rest = in.readAllBytes();
        in.close();
        assertThat(ftp.completePendingCommand()).as(ftp.getReplyString()).isTrue();
        assertThat(head.length + rest.length).isEqualTo(big.length);
        closing.get(60, TimeUnit.SECONDS);
        assertThat(server.ftp().sessionCount()).isZero();
        ftp.disconnect();
    }

    @Test
    void transfersStillRunningAfterTheGraceAreCutAndAnUnfinishedUploadLeavesTheOldFile() throws Exception {
        byte[] old = random(100_000, 2);
        Files.write(root.resolve("keep.bin"), old);
        Files.write(root.resolve("big.bin"), random(32 * 1024 * 1024, 3));
        RunningServer server = RunningServer.start(root, c -> c.withShutdownGrace(Duration.ofMillis(500)));

        // One client uploads half a file over keep.bin and then stalls.
        FTPClient uploader = server.alice();
        OutputStream upload = uploader.storeFileStream("keep.bin");
        upload.write(random(1024 * 1024, 4));
        upload.flush();
        // Another starts a download and does not read it.
        FTPClient downloader = server.alice();
        InputStream download = downloader.retrieveFileStream("big.bin");
        assertThat(download).isNotNull();
        server.awaitSessionCount(2, Duration.ofSeconds(10));

        server.stop(); // returns once the grace is over and the sessions are closed

        assertThat(server.ftp().sessionCount()).isZero();
        assertThat(root.resolve("keep.bin")).hasBinaryContent(old);
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).as("no temporary upload file left behind")
                    .containsExactly("big.bin", "keep.bin");
        }
        uploader.disconnect();
        downloader.disconnect();
    }

    private static void awaitRefused(int port) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            } catch (ConnectException refused) {
                return;
            } catch (SocketException reset) {
                // The connection reached the listener as it closed (in its backlog, never accepted):
                // the kernel resets it, which is not being accepted either.
                assertThat(reset.getMessage()).contains("reset");
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("still accepting connections while stopping");
    }
}
