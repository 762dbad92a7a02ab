package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.protocol.HostPort;
import dev.jftp.server.storage.local.LocalStorageView;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control connection is read while a transfer runs (RFC 959 section 4.1.3): ABOR stops it and
 * STAT reports on it. An upload that is aborted, reset or abandoned never replaces the old file.
 */
class AbortTest {
    private static final String OLD = "the old, good content";
    /** Much larger than any socket buffers, so a download to a client that does not read blocks. */
    private static final long BIG = 256L * 1024 * 1024;

    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(server.root().resolve("good.txt"), OLD);
        try (RandomAccessFile big = new RandomAccessFile(server.root().resolve("big.bin").toFile(), "rw")) {
            big.setLength(BIG); // sparse: costs no disk
        }
        c = server.connectAsAlice();
        c.command("TYPE I");
    }

    private void assertOldFileIntactAndNoTemporaryFile() throws IOException {
        assertThat(server.root().resolve("good.txt")).hasContent(OLD);
        try (Stream<Path> files = Files.list(server.root())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(LocalStorageView.TEMP_PREFIX));
        }
    }

    /** A passive data connection whose receive buffer is small, so the server soon blocks sending to it. */
    private Socket openSlowReader() throws IOException {
        Reply pasv = c.command("PASV");
        Socket data = new Socket();
        data.setReceiveBufferSize(4096);
        data.connect(HostPort.parseSixNumbers(pasv.text()), ControlConnection.TIMEOUT_MILLIS);
        data.setSoTimeout(ControlConnection.TIMEOUT_MILLIS);
        return data;
    }

    /** Sends STAT during the transfer until the server has received bytes; bounded. */
    private long awaitTransferredBytes() throws IOException {
        Pattern bytes = Pattern.compile("(\\d+) bytes so far");
        for (int attempt = 0; attempt < 500; attempt++) {
            Reply stat = c.command("STAT");
            assertThat(stat.code()).isEqualTo(211);
            Matcher m = bytes.matcher(stat.all());
            assertThat(m.find()).as("STAT during a transfer: %s", stat).isTrue();
            long n = Long.parseLong(m.group(1));
            if (n > 0) {
                return n;
            }
            sleep(10);
        }
        throw new AssertionError("the server received nothing");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void statAndAborWhileARetrRuns() throws IOException {
        try (Socket data = openSlowReader()) {
            assertThat(c.command("RETR big.bin").code()).isEqualTo(150);
            // read a few megabytes, then stop reading: the server is now blocked sending
            assertThat(data.getInputStream().readNBytes(3 << 20)).hasSize(3 << 20);
            long sent = awaitTransferredBytes();
            assertThat(sent).isGreaterThanOrEqualTo(1 << 20).isLessThan(BIG);
            Reply abort = c.command("ABOR");
            assertThat(abort.code()).isEqualTo(426);
            assertThat(c.reply().code()).isEqualTo(226);
            // the data connection was closed by the server
            assertThat(drain(data)).isLessThan(BIG);
        }
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        // and the session can transfer again
        assertThat(new String(c.download("RETR good.txt"), StandardCharsets.UTF_8)).isEqualTo(OLD);
    }

    @Test
    void aborPrecededByTelnetInterruptWhileARetrRuns() throws IOException {
        try (Socket data = openSlowReader()) {
            assertThat(c.command("RETR big.bin").code()).isEqualTo(150);
            // what BSD ftp sends: IAC IP, IAC DM (as urgent data), then ABOR
            c.sendBytes(new byte[] {(byte) 0xFF, (byte) 0xF4, (byte) 0xFF});
            c.socket().sendUrgentData(0xF2);
            c.send("ABOR");
            assertThat(c.reply().code()).isEqualTo(426);
            assertThat(c.reply().code()).isEqualTo(226);
            drain(data);
        }
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    private static long drain(Socket data) {
        long n = 0;
        byte[] buffer = new byte[65536];
        try {
            for (int r; (r = data.getInputStream().read(buffer)) >= 0; ) {
                n += r;
            }
        } catch (IOException reset) {
            // a reset is a closed connection too
        }
        return n;
    }

    @Test
    void aborWithoutATransferIsStillAPositiveReply() throws IOException {
        assertThat(c.command("ABOR").code()).isEqualTo(226);
        c.command("PASV");
        assertThat(c.command("ABOR").code()).isEqualTo(226);
        // ABOR closed the prepared data connection
        assertThat(c.command("RETR good.txt").code()).isEqualTo(425);
    }

    @Test
    void aborWhileTheServerWaitsForThePassiveConnection() throws IOException {
        // The data timeout is 30 s; ABOR must not wait for it.
        assertThat(c.command("PASV").code()).isEqualTo(227);
        c.send("RETR good.txt");
        c.send("ABOR");
        assertThat(c.reply().code()).isIn(425, 426);
        assertThat(c.reply().code()).isEqualTo(226);
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        assertThat(new String(c.download("RETR good.txt"), StandardCharsets.UTF_8)).isEqualTo(OLD);
    }

    @Test
    void aClientThatDisconnectsWhileTheServerWaitsForItsDataConnectionEndsItsSession() throws IOException {
        assertThat(c.command("PASV").code()).isEqualTo(227);
        c.send("STOR good.txt");
        c.close();
        awaitNoSessions();
        assertOldFileIntactAndNoTemporaryFile();
    }

    @Test
    void aRefusedTransferClosesItsPreparedDataConnection() throws IOException {
        ControlConnection reader = server.connectAs(RunningServer.READER, RunningServer.READER_PASSWORD);
        try (Socket data = reader.openPassive()) {
            assertThat(reader.command("STOR good.txt").code()).isEqualTo(550);
            assertThat(closedByServer(data)).isTrue();
        }
        assertThat(reader.command("RETR good.txt").code()).isEqualTo(425);
        try (Socket data = reader.openPassive()) {
            assertThat(reader.command("LIST missing").code()).isEqualTo(550);
            assertThat(closedByServer(data)).isTrue();
        }
    }

    /** True when the server closed (or reset) the connection; false when it stays open until the read timeout. */
    private static boolean closedByServer(Socket data) throws IOException {
        try {
            return data.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void statOfAPathKeepsThePreparedDataConnection() throws IOException {
        try (Socket data = c.openPassive()) {
            assertThat(c.command("STAT missing").code()).isEqualTo(550);
            assertThat(c.command("STAT good.txt").code()).isEqualTo(213);
            assertThat(c.command("RETR good.txt").code()).isEqualTo(150);
            assertThat(new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(OLD);
            assertThat(c.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void aborMidStorKeepsTheOldFile() throws IOException {
        Socket data = c.openPassive();
        assertThat(c.command("STOR good.txt").code()).isEqualTo(150);
        OutputStream out = data.getOutputStream();
        out.write(new byte[100_000]);
        out.flush();
        awaitTransferredBytes();
        assertThat(c.command("ABOR").code()).isEqualTo(426);
        assertThat(c.reply().code()).isEqualTo(226);
        data.close();
        assertOldFileIntactAndNoTemporaryFile();
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void aDataConnectionResetMidStorKeepsTheOldFile() throws IOException {
        Socket data = c.openPassive();
        assertThat(c.command("STOR good.txt").code()).isEqualTo(150);
        data.getOutputStream().write(new byte[50_000]);
        data.getOutputStream().flush();
        awaitTransferredBytes();
        data.setSoLinger(true, 0);
        data.close(); // RST, not FIN: the client died
        assertThat(c.reply().code()).isEqualTo(426);
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        assertOldFileIntactAndNoTemporaryFile();
    }

    @Test
    void aClientThatDisconnectsMidStorLeavesTheOldFile() throws IOException {
        Socket data = c.openPassive();
        assertThat(c.command("STOR good.txt").code()).isEqualTo(150);
        data.getOutputStream().write(new byte[50_000]);
        data.getOutputStream().flush();
        awaitTransferredBytes();
        c.close();
        // the server notices the control connection is gone and ends the transfer itself
        assertThat(data.getInputStream().read()).isEqualTo(-1);
        awaitNoSessions();
        data.close();
        assertOldFileIntactAndNoTemporaryFile();
    }

    private void awaitNoSessions() {
        for (int attempt = 0; attempt < 1000 && server.ftp().sessionCount() > 0; attempt++) {
            sleep(10);
        }
        assertThat(server.ftp().sessionCount()).isZero();
    }

    @Test
    void aborMidStouAndAppeLeaveNoNewFile() throws IOException {
        Socket data = c.openPassive();
        assertThat(c.command("STOU").code()).isEqualTo(150);
        data.getOutputStream().write(new byte[10_000]);
        data.getOutputStream().flush();
        awaitTransferredBytes();
        assertThat(c.command("ABOR").code()).isEqualTo(426);
        assertThat(c.reply().code()).isEqualTo(226);
        data.close();
        try (Stream<Path> files = Files.list(server.root())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("good.txt", "big.bin");
        }
    }

    @Test
    void anInterruptedResumeKeepsTheBytesReceived() throws IOException {
        assertThat(c.command("REST " + OLD.length()).code()).isEqualTo(350);
        Socket data = c.openPassive();
        assertThat(c.command("STOR good.txt").code()).isEqualTo(150);
        data.getOutputStream().write(" and more".getBytes(StandardCharsets.UTF_8));
        data.getOutputStream().flush();
        awaitTransferredBytes();
        assertThat(c.command("ABOR").code()).isEqualTo(426);
        assertThat(c.reply().code()).isEqualTo(226);
        data.close();
        // documented: resume works in place, so the next resume can continue from here
        assertThat(server.root().resolve("good.txt")).hasContent(OLD + " and more");
    }

    @Test
    void otherSessionsAreServedWhileOneTransferIsBlocked() throws IOException {
        try (Socket data = openSlowReader()) {
            assertThat(c.command("RETR big.bin").code()).isEqualTo(150);
            ControlConnection other = server.connectAsAlice();
            assertThat(new String(other.download("RETR good.txt"), StandardCharsets.UTF_8)).isEqualTo(OLD);
            assertThat(c.command("ABOR").code()).isEqualTo(426);
            assertThat(c.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void moreClientsThatStopReadingThanCarrierThreadsDoNotFreezeTheServer() throws IOException {
        // Each blocked download must park its virtual thread, not hold a carrier thread.
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        int stalled = carriers + 1;
        try (RunningServer busy = RunningServer.start(server.root(), config -> config.withLimits(2000, stalled + 10))) {
            List<ControlConnection> sessions = new ArrayList<>();
            List<Socket> dataConnections = new ArrayList<>();
            try {
                for (int i = 0; i < stalled; i++) {
                    ControlConnection s = busy.connectAsAlice();
                    s.command("TYPE I");
                    Reply pasv = s.command("PASV");
                    Socket data = new Socket();
                    data.setReceiveBufferSize(4096);
                    data.connect(HostPort.parseSixNumbers(pasv.text()), ControlConnection.TIMEOUT_MILLIS);
                    dataConnections.add(data);
                    assertThat(s.command("RETR big.bin").code()).isEqualTo(150);
                    sessions.add(s);
                }
                ControlConnection other = busy.connectAsAlice();
                assertThat(other.command("NOOP").code()).isEqualTo(200);
                assertThat(new String(other.download("RETR good.txt"), StandardCharsets.UTF_8)).isEqualTo(OLD);
                for (ControlConnection s : sessions) {
                    assertThat(s.command("ABOR").code()).isEqualTo(426);
                    assertThat(s.reply().code()).isEqualTo(226);
                }
            } finally {
                for (Socket data : dataConnections) {
                    data.close();
                }
            }
        }
    }

    @Test
    void commandsSentDuringATransferAreAnsweredAfterItInOrder() throws IOException {
        Socket data = c.openPassive();
        assertThat(c.command("STOR new.txt").code()).isEqualTo(150);
        c.send("PWD");
        c.send("SIZE good.txt");
        data.getOutputStream().write("payload".getBytes(StandardCharsets.UTF_8));
        data.close();
        assertThat(c.reply().code()).isEqualTo(226);
        assertThat(c.reply().code()).isEqualTo(257);
        Reply size = c.reply();
        assertThat(size.code()).isEqualTo(213);
        assertThat(size.text()).isEqualTo(Integer.toString(OLD.length()));
        assertThat(server.root().resolve("new.txt")).hasContent("payload");
    }

}
