package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import dev.jftp.client.support.JftpdTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ctrl-C while a command runs ({@link ClientSession#interrupt()}, what the terminal's signal
 * handler calls) stops the whole command, as in sftp: not just the file moving then, and also
 * between two files and while connecting.
 */
class InterruptTest extends JftpdTest {
    private static final int MEGABYTES = 16;
    private static final long MIDWAY = 4L * 1024 * 1024;

    /** Presses Ctrl-C once, in the middle of the first transfer. */
    private void ctrlCMidway() {
        AtomicBoolean done = new AtomicBoolean();
        client.session().setTransferObserver(new TransferListener() {
            @Override
            public void progressed(Transfer transfer) {
                if (transfer.bytes() >= MIDWAY && done.compareAndSet(false, true)) {
                    client.session().interrupt();
                }
            }
        });
    }

    private Path part(Path dir, String name) {
        return dir.resolve("." + name + ".jftp-part");
    }

    @Test
    void ctrlCStopsAGlobDownloadAtTheFileItIsIn() throws Exception {
        for (String name : List.of("a.bin", "b.bin", "c.bin")) {
            randomFile(root.resolve(name), MEGABYTES);
        }
        ctrlCMidway();
        assertThat(client.run("get *.bin")).isFalse();
        assertThat(client.err()).contains("Partial download kept in " + part(client.local, "a.bin")).endsWith("get: interrupted\n")
                .doesNotContain("cancelled").doesNotContain("server said").doesNotContain("failed");
        assertThat(client.out()).contains("Fetching a.bin").doesNotContain("b.bin").doesNotContain("c.bin");
        try (var files = Files.list(client.local)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".a.bin.jftp-part");
        }
        client.session().setTransferObserver(null);
        client.clear().ok("pwd");
        assertThat(client.out()).as("the session goes on").isEqualTo("Remote working directory: /\n");
    }

    @Test
    void ctrlCBetweenTwoFilesStopsTheRest() throws Exception {
        for (String name : List.of("a.txt", "b.txt", "c.txt")) {
            remoteFile(name, name);
        }
        client.session().setTransferObserver(new TransferListener() {
            @Override
            public void finished(Transfer transfer, boolean ok) {
                client.session().interrupt(); // after a.txt has all its bytes, before b.txt starts
            }
        });
        assertThat(client.run("mget *.txt")).isFalse();
        assertThat(client.err()).isEqualTo("mget: interrupted\n");
        assertThat(client.local.resolve("a.txt")).hasContent("a.txt");
        assertThat(client.local.resolve("b.txt")).doesNotExist();
        assertThat(client.local.resolve("c.txt")).doesNotExist();
    }

    @Test
    void ctrlCStopsARecursiveDownload() throws Exception {
        randomFile(root.resolve("tree/a.bin"), MEGABYTES);
        remoteFile("tree/b.txt", "b");
        remoteFile("tree/sub/c.txt", "c");
        ctrlCMidway();
        assertThat(client.run("get -r tree")).isFalse();
        assertThat(client.err()).endsWith("get: interrupted\n").doesNotContain("failed");
        Path tree = client.local.resolve("tree");
        assertThat(part(tree, "a.bin")).exists();
        assertThat(tree.resolve("b.txt")).doesNotExist();
        assertThat(tree.resolve("sub")).doesNotExist();
    }

    @Test
    void ctrlCStopsARecursiveUploadAndReputFinishesTheFirstFile() throws Exception {
        Path source = randomFile(client.local.resolve("tree/a.bin"), MEGABYTES);
        localFile("tree/b.txt", "b");
        localFile("tree/sub/c.txt", "c");
        ctrlCMidway();
        assertThat(client.run("put -r tree")).isFalse();
        assertThat(client.err()).contains("Partial upload kept in \"tree/a.bin\"").contains("reput resumes it")
                .endsWith("put: interrupted\n").doesNotContain("server said");
        assertThat(root.resolve("tree/b.txt")).doesNotExist();
        assertThat(root.resolve("tree/sub")).doesNotExist();
        long kept = Files.size(root.resolve("tree/a.bin"));
        assertThat(kept).as("a new file keeps what arrived before Ctrl-C").isBetween(MIDWAY, Files.size(source) - 1);

        client.session().setTransferObserver(null);
        client.clear().ok("reput tree/a.bin tree/a.bin");
        assertThat(client.out()).startsWith("Resuming upload of " + source + " to tree/a.bin\n");
        assertThat(Files.mismatch(source, root.resolve("tree/a.bin"))).isEqualTo(-1);
    }

    @Test
    void ctrlCStopsAnMputAndAnUploadOverAnExistingFileKeepsTheOldOne() throws Exception {
        randomFile(client.local.resolve("a.bin"), MEGABYTES);
        localFile("b.bin", "b");
        remoteFile("a.bin", "the old a");
        ctrlCMidway();
        assertThat(client.run("mput *.bin")).isFalse();
        assertThat(client.err()).isEqualTo("mput: interrupted\n");
        assertThat(root.resolve("a.bin")).as("aborted with ABOR: the server keeps the old file").hasContent("the old a");
        assertThat(root.resolve("b.bin")).doesNotExist();
    }

    @Test
    @Timeout(60)
    void ctrlCStopsAnOpenThatWaitsForTheGreeting() throws Exception {
        client.ok("close");
        client.settings.replyTimeout = Duration.ofSeconds(120); // longer than the test may last: only Ctrl-C can end it
        CountDownLatch accepted = new CountDownLatch(1);
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try {
                    held.add(silent.accept()); // and never a greeting
                    accepted.countDown();
                } catch (Exception e) {
                    accepted.countDown();
                }
            });
            Thread ctrlC = Thread.ofVirtual().start(() -> {
                try {
                    if (accepted.await(30, TimeUnit.SECONDS)) {
                        client.session().interrupt();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(client.run("open alice@127.0.0.1 " + silent.getLocalPort())).isFalse();
            ctrlC.join(Duration.ofSeconds(30));
            server.join(Duration.ofSeconds(30));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(client.err()).isEqualTo("open: interrupted\n");
        assertThat(client.session().isConnected()).isFalse();
        assertThat(client.prompts).as("no password asked for a server that never greeted").isZero();
    }
}
