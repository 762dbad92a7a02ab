package dev.jftp.server.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.RunningServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Idle sessions, session limits in total and per address, and clients that misbehave. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionLimitsTest {
    @TempDir
    Path root;

    private static ControlConnection greeted(int port, InetAddress from) throws IOException {
        ControlConnection c = ControlConnection.connect(port, from, java.time.Duration.ofSeconds(60));
        assertThat(c.reply().last()).startsWith("220");
        return c;
    }

    private static String firstReply(int port, InetAddress from) throws IOException {
        try (ControlConnection c = ControlConnection.connect(port, from, java.time.Duration.ofSeconds(60))) {
            return c.reply().last();
        }
    }

    /** Retries a bounded number of times: the server notices a closed session asynchronously. */
    private static String eventuallyGreeted(int port, InetAddress from) throws Exception {
        String reply = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            reply = firstReply(port, from);
            if (reply != null && reply.startsWith("220")) {
                return reply;
            }
            Thread.sleep(20);
        }
        return reply;
    }

    private static InetAddress secondLoopbackAddress() throws IOException {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(other, 0));
        } catch (IOException e) {
            assumeTrue(false, "127.0.0.2 is not usable as a second client address here: " + e);
        }
        return other;
    }

    @Test
    void anIdleSessionIsToldWith421AndClosedAndItsPlaceIsGivenBack() throws Exception {
        try (RunningServer server = RunningServer.start(root, c -> c.withLimits(2, 2).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30)));
             ControlConnection idle1 = greeted(server.port(), null);
             ControlConnection idle2 = greeted(server.port(), null)) {
            // Both places are taken (the limits themselves are tested elsewhere); both sessions now say nothing.
            assertThat(idle1.reply().last()).startsWith("421 Idle timeout");
            assertThat(idle1.awaitClosedByServer()).isTrue();
            assertThat(idle2.reply().last()).startsWith("421 Idle timeout");
            assertThat(idle2.awaitClosedByServer()).isTrue();

            server.awaitSessionCount(0, Duration.ofSeconds(30));
            assertThat(eventuallyGreeted(server.port(), null)).startsWith("220");
        }
    }

    @Test
    void aTransferThatOutlastsTheIdleTimeoutIsNotIdle() throws Exception {
        byte[] data = new byte[64 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Files.write(root.resolve("big.bin"), data);
        // Long enough that the moments between this test's commands are never idle, even on a busy machine.
        Duration idleTimeout = Duration.ofSeconds(2);
        try (RunningServer server = RunningServer.start(root, c -> c.withTimeouts(idleTimeout, Duration.ofSeconds(30)))) {
            FTPClient ftp = server.alice();
            InputStream in = ftp.retrieveFileStream("big.bin");
            assertThat(in).isNotNull();
            // Read slowly for several idle timeouts: the control connection says nothing meanwhile, but the
            // transfer makes progress, so the session is busy, not idle. (A transfer that makes no progress
            // at all for an idle period is aborted: StalledTransferTest.)
            java.io.ByteArrayOutputStream slow = new java.io.ByteArrayOutputStream();
            long until = System.nanoTime() + idleTimeout.multipliedBy(5).dividedBy(2).toNanos();
            while (System.nanoTime() < until) {
                slow.write(in.readNBytes(64 * 1024));
                Thread.sleep(50);
            }
            byte[] head = slow.toByteArray();
            assertThat(head.length).isLessThan(data.length); // the transfer really outlasted the timeout
            byte[] rest = in.readAllBytes();
            in.close();
            assertThat(ftp.completePendingCommand()).as(ftp.getReplyString()).isTrue();
            assertThat(ftp.getReplyCode()).isEqualTo(226);

            byte[] all = Arrays.copyOf(head, head.length + rest.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            assertThat(all).isEqualTo(data);
            // Once quiet for real, it is closed: Commons Net reports the 421 as a closed connection.
            assertThatThrownBy(ftp::getReply).isInstanceOf(FTPConnectionClosedException.class);
            assertThat(ftp.getReplyString()).startsWith("421 Idle timeout");
            ftp.disconnect();
        }
    }

    @Test
    void thePerAddressLimitRefusesThatAddressOnly() throws Exception {
        InetAddress other = secondLoopbackAddress();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (RunningServer server = RunningServer.start(root, c -> c.withLimits(100, 2));
             ControlConnection a1 = greeted(server.port(), loopback);
             ControlConnection a2 = greeted(server.port(), loopback)) {
            assertThat(firstReply(server.port(), loopback)).isEqualTo("421 Too many connections from your address");
            try (ControlConnection b1 = greeted(server.port(), other)) {
                assertThat(b1.command("USER " + RunningServer.ALICE).last()).startsWith("331");
                assertThat(b1.command("PASS " + RunningServer.ALICE_PASSWORD).last()).startsWith("230");
            }
            a1.close();
            assertThat(eventuallyGreeted(server.port(), loopback)).startsWith("220");
            assertThat(a2.command("NOOP").last()).startsWith("200");
        }
    }

    @Test
    void misbehavingClientsDoNotHoldUpAWellBehavedOne() throws Exception {
        byte[] big = new byte[32 * 1024 * 1024];
        new Random(8).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        try (RunningServer server = RunningServer.start(root, c -> c)) {
            // One client starts a download and never reads it.
            FTPClient stalled = server.alice();
            InputStream stalledData = stalled.retrieveFileStream("big.bin");
            assertThat(stalledData).isNotNull();
            // One connects and never says anything.
            ControlConnection silent = greeted(server.port(), null);
            // One sends half a command and stops.
            ControlConnection halfLine = greeted(server.port(), null);
            halfLine.socket().getOutputStream().write("USER al".getBytes());
            halfLine.socket().getOutputStream().flush();
            // One floods the control connection with noise.
            ControlConnection noisy = greeted(server.port(), null);
            for (int i = 0; i < 200; i++) {
                noisy.send("XYZZY " + i);
            }

            FTPClient good = server.alice();
            byte[] mine = new byte[1024 * 1024 + 3];
            new Random(9).nextBytes(mine);
            assertThat(good.storeFile("mine.bin", new ByteArrayInputStream(mine))).isTrue();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertThat(good.retrieveFile("mine.bin", back)).isTrue();
            assertThat(back.toByteArray()).isEqualTo(mine);
            assertThat(good.logout()).isTrue();
            good.disconnect();

            // The noisy one got an answer to every line, in order, and is still usable.
            for (int i = 0; i < 200; i++) {
                assertThat(noisy.reply().last()).startsWith("500 'XYZZY'");
            }
            assertThat(noisy.command("NOOP").last()).startsWith("200");
            // The stalled download is still intact when finally read.
            assertThat(stalledData.readAllBytes()).isEqualTo(big);
            stalledData.close();
            assertThat(stalled.completePendingCommand()).isTrue();
            stalled.disconnect();
            silent.close();
            halfLine.close();
            noisy.close();
        }
    }
}
