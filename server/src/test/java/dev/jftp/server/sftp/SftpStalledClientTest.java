package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.local.LocalStorage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes on a virtual thread to a client that reads nothing (see {@link DirectWriteTransport}):
 * while the socket takes them they are done when the write returns, completed on the writing
 * thread itself; once it is full the thread waits there, for MINA's write timeout at most, and the
 * write then fails and the session ends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SftpStalledClientTest {
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    private static final int CHUNK = 64 * 1024;
    /** Far more than a loopback socket's buffers hold (a few MiB). */
    private static final int MAX_CHUNKS = 4096;

    @TempDir
    Path work;

    @Test
    void writesToAClientThatReadsNothingWaitOnTheWriterForTheWriteTimeoutAtMost() throws Exception {
        try (SftpTestServer server = SftpTestServer.start(LocalStorage.at(Files.createDirectories(work.resolve("root"))), work)) {
            SshServer sshd = server.listener().sshServer();
            CoreModuleProperties.NIO2_MIN_WRITE_TIMEOUT.set(sshd, WRITE_TIMEOUT); // read when the session is made
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(4096);
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 10_000);
                IoSession io = server.onlyConnection();
                assertThat(io).isInstanceOf(DirectWriteTransport.DirectWriteSession.class);

                AtomicReference<String> outcome = new AtomicReference<>();
                        Thread writer = Thread.ofVirtual().start(() -> outcome.set(writeUntilOneFails(io)));
                assertThat(writer.join(Duration.ofSeconds(30))).as("the writer finished").isTrue();
                // The write fails with the timeout, or with the session's close that the timeout
                // started, whichever reaches the write's future first.
                assertThat(outcome.get()).startsWith("failed after ");
                long waitedMillis = Long.parseLong(outcome.get().replaceAll(".* waited (\\d+) ms.*", "$1"));
                assertThat(waitedMillis).as("how long the last write waited").isBetween(WRITE_TIMEOUT.toMillis() - 100, 20_000L);
                for (int i = 0; i < 400 && !sshd.getActiveSessions().isEmpty(); i++) {
                    Thread.sleep(25);
                }
                assertThat(sshd.getActiveSessions()).as("sessions after the failed write").isEmpty();
            }
        }
    }

    /**
     * Writes chunks until one fails. Every write that succeeded must have been done when
     * writeBuffer returned (completed on this thread).
     */
    private static String writeUntilOneFails(IoSession io) {
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < MAX_CHUNKS; i++) {
            long started = System.nanoTime();
            IoWriteFuture written;
            try {
                written = io.writeBuffer(new ByteArrayBuffer(chunk));
            } catch (Exception e) {
                return "writeBuffer threw after " + i + " chunks: " + e;
            }
            long waited = (System.nanoTime() - started) / 1_000_000;
            if (!written.isDone()) {
                return "chunk " + i + " not done when writeBuffer returned";
            }
            if (!written.isWritten()) {
                return "failed after " + i + " chunks, waited " + waited + " ms: " + written.getException();
            }
        }
        return "the client took all " + MAX_CHUNKS + " chunks without reading";
    }
}
