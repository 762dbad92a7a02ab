package dev.jftp.server.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once, each on its own virtual thread, each moving its own file both ways. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentSessionsTest {
    private static final int SESSIONS = 500;

    @TempDir
    Path root;

    @Test
    void fiveHundredConcurrentSessionsEachUploadAndDownloadADistinctFileIntact() throws Exception {
        try (RunningServer server = RunningServer.start(root, c -> c.withLimits(SESSIONS + 10, SESSIONS + 10));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger sessionsSeenTogether = new AtomicInteger();
            // Every client logs in, then all wait for each other: the server really holds 500 sessions at once.
            CyclicBarrier allLoggedIn = new CyclicBarrier(SESSIONS, () -> sessionsSeenTogether.set(server.ftp().sessionCount()));
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int n = i;
                results.add(clients.submit(() -> uploadAndDownload(server, n, allLoggedIn)));
            }
            List<String> names = new ArrayList<>();
            for (Future<String> result : results) {
                names.add(result.get(240, TimeUnit.SECONDS));
            }

            assertThat(sessionsSeenTogether.get()).isEqualTo(SESSIONS);
            assertThat(names).doesNotHaveDuplicates().hasSize(SESSIONS);
            // What is on disk is what each client sent.
            for (int i = 0; i < SESSIONS; i++) {
                assertThat(sha256(Files.readAllBytes(root.resolve("client-" + i + ".bin")))).isEqualTo(sha256(content(i)));
            }
            server.awaitSessionCount(0, Duration.ofSeconds(30));
        }
    }

    /** Distinct content per client: its own size and bytes. */
    private static byte[] content(int n) {
        byte[] data = new byte[32 * 1024 + n * 97];
        new Random(n).nextBytes(data);
        return data;
    }

    private static String uploadAndDownload(RunningServer server, int n, CyclicBarrier allLoggedIn) throws Exception {
        FTPClient ftp = server.alice();
        try {
            allLoggedIn.await(120, TimeUnit.SECONDS);
            String name = "client-" + n + ".bin";
            byte[] data = content(n);
            assertThat(ftp.storeFile(name, new ByteArrayInputStream(data))).as("STOR %s: %s", name, ftp.getReplyString()).isTrue();
            ByteArrayOutputStream back = new ByteArrayOutputStream(data.length);
            assertThat(ftp.retrieveFile(name, back)).as("RETR %s: %s", name, ftp.getReplyString()).isTrue();
            assertThat(sha256(back.toByteArray())).as("checksum of %s", name).isEqualTo(sha256(data));
            assertThat(ftp.getSize(name)).isEqualTo(String.valueOf(data.length));
            assertThat(ftp.logout()).isTrue();
            return name;
        } finally {
            ftp.disconnect();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
