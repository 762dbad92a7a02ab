package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.ftp.data.PassivePortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passive ports under churn. The server closes a download's data connection first, so each one
 * leaves its passive port in TIME_WAIT for a minute; with a firewall-sized --passive-ports range
 * that must not make the next PASV fail ("Address already in use", 425). It does not, because the
 * JDK binds listening sockets with SO_REUSEADDR on Unix; this keeps it that way.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PassivePortChurnTest {
    private static final int RANGE = 4;
    private static final int DOWNLOADS = 40;

    @TempDir
    Path root;

    @Test
    void manyDownloadsThroughAFewPassivePorts() throws IOException {
        int low = freeRange(RANGE);
        Files.writeString(root.resolve("f.txt"), "x".repeat(10_000));
        try (RunningServer server = RunningServer.start(root, c -> c.withPassive(new PassivePortRange(low, low + RANGE - 1), null))) {
            try (ControlConnection c = server.loggedIn()) {
                for (int i = 0; i < DOWNLOADS; i++) {
                    Socket data = c.openPassive();
                    assertThat(data.getPort()).isBetween(low, low + RANGE - 1);
                    c.command("RETR f.txt", 150);
                    assertThat(ControlConnection.readAll(data)).hasSize(10_000);
                    c.expect(226); // the server has closed its end first: that port is now in TIME_WAIT
                    data.close();
                }
                c.command("QUIT", 221);
            }
            Figures.record("passive port churn", DOWNLOADS + " downloads in a row through a " + RANGE + "-port passive range: all 227/150/226");
        }
    }

    /** The first port of {@code size} consecutive free ports below the ephemeral range. */
    static int freeRange(int size) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int low = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            boolean free = true;
            for (int p = low; p < low + size && free; p++) {
                try (ServerSocket probe = new ServerSocket()) {
                    probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                } catch (IOException busy) {
                    free = false;
                }
            }
            if (free) {
                return low;
            }
        }
        throw new IOException("no " + size + " free consecutive ports found");
    }

}
