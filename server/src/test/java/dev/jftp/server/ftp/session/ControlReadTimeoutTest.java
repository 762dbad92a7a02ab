package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.control.ControlLine;
import dev.jftp.server.ftp.control.ControlLineReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who keeps the time of a control connection's read (ControlChannel): on the session's virtual
 * thread, a read whose timeout ends the session waits with no socket timeout and is ended by the
 * listener's watchdog ({@link ControlChannel#endReadIfOverdue}); on a platform thread the socket's
 * timeout still ends it by itself. Over a real loopback connection accepted as a channel, as the
 * listener accepts them.
 */
class ControlReadTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(300);

    private ServerSocketChannel listener;
    private Socket client;
    private Socket server;
    private ControlChannel control;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
        server = listener.accept().socket();
        control = new ControlChannel(server, 1, IDLE);
        control.configure();
    }

    @AfterEach
    void close() throws IOException {
        control.close();
        client.close();
        listener.close();
    }

    /** Reads one line on a new virtual or platform thread; completes with the line or the failure. */
    private CompletableFuture<ControlLine> readLine(boolean virtual) {
        CompletableFuture<ControlLine> result = new CompletableFuture<>();
        Runnable read = () -> {
            try {
                ControlLineReader lines = control.lineReader(() -> false);
                result.complete(lines.read());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        };
        (virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true)).start(read);
        return result;
    }

    private static Throwable failureOf(CompletableFuture<ControlLine> read) throws Exception {
        try {
            ControlLine line = read.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the read returned " + line + " instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private void send(String text) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void anIdleReadOnAVirtualThreadIsEndedByTheWatchdogAndTheReplyStillGoesOut() throws Exception {
        CompletableFuture<ControlLine> read = readLine(true);
        // Twice the idle timeout: a socket timeout would have ended it by now.
        Thread.sleep(IDLE.toMillis() * 2);
        assertThat(read).isNotDone();

        control.endReadIfOverdue(System.nanoTime());

        Throwable failure = failureOf(read);
        assertThat(failure).isExactlyInstanceOf(SocketTimeoutException.class).hasMessage("idle");
        control.reply(ReplyCode.SERVICE_NOT_AVAILABLE, "Idle timeout");
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(in.readLine()).isEqualTo("421 Idle timeout");
    }

    @Test
    void theWatchdogLeavesAReadAloneBeforeItsDeadline() throws Exception {
        CompletableFuture<ControlLine> read = readLine(true);
        Thread.sleep(50);
        control.endReadIfOverdue(System.nanoTime()); // the deadline is about 250 ms away
        send("NOOP\r\n");
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(new ControlLine.Text("NOOP"));
    }

    @Test
    void aLineBegunAndNotFinishedEndsAsALineTimeout() throws Exception {
        CompletableFuture<ControlLine> read = readLine(true);
        send("NO"); // ... and never the rest (slowloris)
        Thread.sleep(IDLE.toMillis() * 2);
        assertThat(read).isNotDone();

        control.endReadIfOverdue(System.nanoTime());

        assertThat(failureOf(read)).isExactlyInstanceOf(ControlChannel.LineTimeoutException.class);
    }

    @Test
    void onAPlatformThreadTheSocketTimeoutEndsTheReadByItself() throws Exception {
        CompletableFuture<ControlLine> read = readLine(false);
        assertThat(failureOf(read)).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aClientThatClosesIsAnEndOfStreamNotATimeout() throws Exception {
        CompletableFuture<ControlLine> read = readLine(true);
        client.shutdownOutput();
        try {
            assertThat(read.get(10, TimeUnit.SECONDS)).isInstanceOf(ControlLine.EndOfStream.class);
        } catch (TimeoutException e) {
            throw new AssertionError("the read did not see the client's end", e);
        }
    }
}
