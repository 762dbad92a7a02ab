package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import dev.jftp.client.support.JftpdTest;
import dev.jftp.client.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Transfers that break in the middle, and reget/reput finishing them. */
class ResumeTest extends JftpdTest {
    private static final int MEGABYTES = 48;
    private static final long CUT_AFTER = 4L * 1024 * 1024;

    /** Runs {@code action} once, on the first progress report past CUT_AFTER bytes. */
    private void onceMidway(Consumer<Transfer> action) {
        AtomicBoolean done = new AtomicBoolean();
        client.session().setTransferObserver(new TransferListener() {
            @Override
            public void progressed(Transfer transfer) {
                if (transfer.bytes() >= CUT_AFTER && done.compareAndSet(false, true)) {
                    action.accept(transfer);
                }
            }
        });
    }

    private Path part(String name) {
        return client.local.resolve("." + name + ".jftp-part");
    }

    @Test
    void aCutDownloadLeavesOnlyAPartFileAndRegetFinishesIt() throws Exception {
        Path source = randomFile(root.resolve("big.bin"), MEGABYTES);
        onceMidway(t -> t.cutDataConnection("cut by the test"));
        assertThat(client.run("get big.bin")).isFalse();
        assertThat(client.err()).contains("Download of \"big.bin\" failed: data connection cut (cut by the test)")
                .contains("Partial download kept in " + part("big.bin"));
        assertThat(client.local.resolve("big.bin")).as("nothing under the final name").doesNotExist();
        long partial = Files.size(part("big.bin"));
        assertThat(partial).isBetween(CUT_AFTER, Files.size(source) - 1);

        client.session().setTransferObserver(null);
        client.clear().ok("reget big.bin");
        assertThat(Files.mismatch(source, client.local.resolve("big.bin"))).isEqualTo(-1);
        assertThat(part("big.bin")).doesNotExist();
    }

    @Test
    void getDashAResumesLikeReget() throws Exception {
        Path source = randomFile(root.resolve("big.bin"), 8);
        byte[] head = new byte[3 * 1024 * 1024 + 17];
        try (var in = Files.newInputStream(source)) {
            in.readNBytes(head, 0, head.length);
        }
        Files.write(client.local.resolve("big.bin"), head);
        client.ok("get -a big.bin");
        assertThat(Files.mismatch(source, client.local.resolve("big.bin"))).isEqualTo(-1);
        client.ok("reget big.bin");
        assertThat(Files.mismatch(source, client.local.resolve("big.bin"))).as("an already complete file stays as it is").isEqualTo(-1);
    }

    @Test
    void regetRefusesALocalFileLargerThanTheRemoteOne() throws Exception {
        remoteFile("small.txt", "abc");
        localFile("small.txt", "abcdef");
        assertThat(client.run("reget small.txt")).isFalse();
        assertThat(client.err()).contains("Local file " + client.local.resolve("small.txt") + " is larger than remote \"small.txt\" (6 > 3 bytes)");
        assertThat(client.local.resolve("small.txt")).hasContent("abcdef");
    }

    @Test
    void aServerThatGoesAwayMidDownloadIsReportedAndOpenThenRegetFinish() throws Exception {
        Path source = randomFile(root.resolve("big.bin"), MEGABYTES);
        onceMidway(t -> server.close());
        assertThat(client.run("get big.bin")).isFalse();
        assertThat(client.err()).contains("Connection to 127.0.0.1 lost").contains("Use \"open\" to reconnect.");
        assertThat(client.local.resolve("big.bin")).doesNotExist();
        assertThat(part("big.bin")).exists();
        assertThat(client.session().isConnected()).isFalse();

        client.clear();
        assertThat(client.run("ls")).isFalse();
        assertThat(client.err()).isEqualTo("Not connected. Use \"open\" to connect.\n");

        client.session().setTransferObserver(null);
        server = TestServer.start(root);
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        client.ok("open alice@127.0.0.1 " + server.port()).ok("reget big.bin");
        assertThat(Files.mismatch(source, client.local.resolve("big.bin"))).isEqualTo(-1);
    }

    @Test
    void aCutUploadIsReportedAndReputFinishesIt() throws Exception {
        Path source = randomFile(client.local.resolve("up.bin"), MEGABYTES);
        onceMidway(t -> t.cutDataConnection("cut by the test"));
        assertThat(client.run("put up.bin")).isFalse();
        assertThat(client.err()).contains("Upload of " + source + " failed: data connection cut (cut by the test)").contains("reput resumes it");
        long partial = Files.size(root.resolve("up.bin"));
        assertThat(partial).isBetween(CUT_AFTER, Files.size(source) - 1);

        client.session().setTransferObserver(null);
        client.clear().ok("reput up.bin");
        assertThat(Files.mismatch(source, root.resolve("up.bin"))).isEqualTo(-1);
        client.clear().ok("put -a up.bin");
        assertThat(client.out()).isEqualTo("Resuming upload of " + source + " to up.bin\nRemote file \"up.bin\" is already complete\n");
        assertThat(Files.mismatch(source, root.resolve("up.bin"))).isEqualTo(-1);
    }

    @Test
    void aCancelledFirstUploadKeepsWhatArrivedAndReputFinishesIt() throws Exception {
        Path source = randomFile(client.local.resolve("up.bin"), MEGABYTES);
        onceMidway(Transfer::cancel);
        assertThat(client.run("put up.bin")).isFalse();
        assertThat(client.err()).startsWith("Partial upload kept in \"up.bin\" (").endsWith("; reput resumes it\nput: interrupted\n");
        assertThat(Files.size(root.resolve("up.bin"))).isBetween(CUT_AFTER, Files.size(source) - 1);
        client.session().setTransferObserver(null);
        client.clear().ok("reput up.bin");
        assertThat(Files.mismatch(source, root.resolve("up.bin"))).isEqualTo(-1);
    }

    @Test
    void aCancelledDownloadKeepsItsPartAndTheSessionGoesOn() throws Exception {
        randomFile(root.resolve("big.bin"), MEGABYTES);
        onceMidway(Transfer::cancel);
        assertThat(client.run("get big.bin")).isFalse();
        assertThat(client.err()).contains("Partial download kept in").endsWith("get: interrupted\n").doesNotContain("server said");
        assertThat(client.local.resolve("big.bin")).doesNotExist();
        client.session().setTransferObserver(null);
        client.clear().ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: /\n");
    }
}
