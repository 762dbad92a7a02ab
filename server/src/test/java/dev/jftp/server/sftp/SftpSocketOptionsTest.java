package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.local.LocalStorage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH connection's socket as the server keeps it. */
class SftpSocketOptionsTest {
    @TempDir
    Path work;

    /**
     * The listening socket's queue (the kernel shows it as Send-Q of a listener): a burst of
     * connects waits there instead of having its SYNs dropped and sent again seconds later.
     */
    @Test
    void theListenQueueHoldsABurstOfConnects() throws Exception {
        try (SftpTestServer server = SftpTestServer.start(LocalStorage.at(Files.createDirectories(work.resolve("root"))), work)) {
            Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + server.port()).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(ss.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ss.exitValue()).as("ss: %s", out).isZero();
            // State Recv-Q Send-Q Local:Port Peer:Port; the kernel caps the queue at net.core.somaxconn
            String[] fields = out.split("\\s+");
            assertThat(fields).as("ss: %s", out).hasSizeGreaterThanOrEqualTo(4);
            // (readAllLines: Files.readString of this /proc file returned only "4" here, JDK 25)
            int somaxconn = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).getFirst().trim());
            assertThat(Integer.parseInt(fields[2])).as("listen queue (ss: %s)", out).isEqualTo(Math.min(SftpListener.BACKLOG, somaxconn));
        }
    }

    /**
     * TCP_NODELAY, as OpenSSH's sshd sets it: SFTP is request and reply, and with Nagle's algorithm
     * a small reply may wait for the acknowledgement of the one before (1000 small puts with
     * OpenSSH's sftp took 2.5-3 times as long).
     */
    @Test
    void repliesAreSentWithoutNaglesDelay() throws Exception {
        try (SftpTestServer server = SftpTestServer.start(LocalStorage.at(Files.createDirectories(work.resolve("root"))), work);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            IoSession io = server.onlyConnection();
            assertThat(io).isInstanceOf(Nio2Session.class);
            assertThat(((Nio2Session) io).getSocket().getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            assertThat(io).as("replies written from the SFTP thread complete there").isInstanceOf(DirectWriteTransport.DirectWriteSession.class);
        }
    }
}
