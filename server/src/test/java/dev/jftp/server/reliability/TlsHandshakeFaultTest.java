package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults during the TLS handshake: clients that send garbage, say nothing, or trickle their
 * handshake, on the control connection after AUTH TLS (RFC 4217 section 4), on the implicit FTPS
 * port, and on a protected data connection. Each is closed (the slow ones within the handshake
 * timeout), everyone else is served on, and after each test the descriptors, platform threads,
 * sessions and their threads (handshake watchdogs too) are back to the idle baseline.
 *
 * <p>A reliability test (one JVM of its own, see server/pom.xml), so that the baseline is this
 * class's alone.
 */
@Timeout(60)
class TlsHandshakeFaultTest {
    /**
     * Short, so that the slow clients are closed soon; not shorter, as the first handshakes of a
     * fresh JVM on a busy machine take most of a second.
     */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    private static final byte[] GARBAGE = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".repeat(20).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    @AutoClose
    static RunningServer server;
    static SSLContext context;
    static ResourceBaseline baseline;

    @BeforeAll
    static void startServerAndMeasureIdleBaseline() throws Exception {
        server = RunningServer.startFtps(dir, tls -> tls.withImplicitPort(0).withHandshakeTimeout(HANDSHAKE_TIMEOUT));
        Files.writeString(server.root().resolve("file.txt"), "x");
        context = server.clientContext();
        warmUp();
        baseline = ResourceBaseline.capture();
    }

    /**
     * A protected session and a refused handshake first, so that what the JDK opens lazily (its
     * random sources, the virtual-thread timer) belongs to the baseline.
     */
    private static void warmUp() throws IOException {
        try (ControlConnection ftp = goodSession()) {
            assertStillServes(ftp);
        }
        try (Socket bad = connect(server.implicitPort())) {
            bad.getOutputStream().write(GARBAGE);
            assertClosedByServer(bad);
        }
        ResourceBaseline.awaitNoSessions(server.ftp()::sessionCount);
    }

    @AfterEach
    void resourcesReturnToTheIdleBaseline() {
        baseline.assertReturned(server.ftp()::sessionCount, Duration.ofSeconds(20));
    }

    /** A logged-in TLS session that must keep working while others misbehave. */
    private static ControlConnection goodSession() throws IOException {
        ControlConnection ftp = ControlConnection.connect(server.port());
        ftp.reply();
        ftp.authTls(context);
        ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
        return ftp;
    }

    private static void assertStillServes(ControlConnection ftp) throws IOException {
        ftp.command("PWD", 257);
        assertThat(ftp.readProtected("NLST", context)).isEqualTo("file.txt\r\n");
    }

    /** Reads until the server closes; fails if it does not within 20 s. */
    private static void assertClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int i = 0; i < 10_000; i++) {
                if (in.read(buffer) < 0) {
                    return;
                }
            }
            throw new AssertionError("the server kept sending");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        } catch (SocketException reset) {
            // a reset is a close too
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(ControlConnection.HOST, port), 10_000);
        return socket;
    }

    @Test
    void garbageAfterAuthTlsClosesThatConnectionOnly() throws Exception {
        try (ControlConnection good = goodSession(); ControlConnection bad = ControlConnection.connect(server.port())) {
            bad.reply();
            assertThat(bad.command("AUTH TLS").code()).isEqualTo(234);
            bad.sendBytes(GARBAGE);
            assertClosedByServer(bad.plainSocket());
            assertStillServes(good);
        }
        try (ControlConnection later = goodSession()) {
            assertStillServes(later);
        }
    }

    /**
     * A TLS 1.2 client asking for a new handshake on the control connection (renegotiation, as
     * {@code openssl s_client}'s "R" does): each costs the server a full handshake, and they were
     * accepted without limit. Refused: JSSE answers with a fatal alert and the session ends; others
     * are served on.
     */
    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        try (ControlConnection good = goodSession(); ControlConnection renegotiating = ControlConnection.connect(server.port())) {
            renegotiating.reply();
            // A client context of its own: one shared with 'good' would replace good's session in the
            // client's cache (same host and port), and good's data connections would then not resume it.
            assertThat(renegotiating.authTls(server.clientContext(), "TLSv1.2").code()).isEqualTo(234);
            renegotiating.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            ((javax.net.ssl.SSLSocket) renegotiating.socket()).startHandshake(); // a second handshake: renegotiation
            String outcome;
            try {
                outcome = "answered: " + renegotiating.command("NOOP");
            } catch (IOException refused) {
                outcome = "refused: " + refused;
            }
            assertThat(outcome).as("NOOP after a renegotiation").startsWith("refused: ");
            assertStillServes(good);
        }
    }

    @Test
    void garbageOnTheImplicitPortClosesThatConnectionOnly() throws Exception {
        try (ControlConnection good = goodSession(); Socket bad = connect(server.implicitPort())) {
            bad.getOutputStream().write(GARBAGE);
            assertClosedByServer(bad);
            assertStillServes(good);
        }
        try (ControlConnection implicit = ControlConnection.implicitTls(server.implicitPort(), context)) {
            assertThat(implicit.reply().code()).isEqualTo(220);
        }
    }

    @Test
    void aSilentClientOnTheImplicitPortIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket silent = connect(server.implicitPort())) {
            assertClosedByServer(silent);
        }
    }

    @Test
    void aClientTricklingItsHandshakeIsClosedAfterTheHandshakeTimeoutInAll() throws Exception {
        try (ControlConnection good = goodSession(); ControlConnection slow = ControlConnection.connect(server.port())) {
            slow.reply();
            assertThat(slow.command("AUTH TLS").code()).isEqualTo(234);
            // A TLS record header announcing a long handshake, then one byte every 100 ms: each
            // read is quick, so only the overall deadline can end it.
            OutputStream out = slow.plainSocket().getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00});
            boolean closed = false;
            for (int i = 0; i < 200 && !closed; i++) {
                Thread.sleep(100);
                try {
                    out.write(0x01);
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("the server closed the trickling connection").isTrue();
            assertStillServes(good);
        }
    }

    @Test
    void aClientThatNeverStartsTheDataHandshakeGets425AndTheSessionGoesOn() throws Exception {
        try (ControlConnection ftp = goodSession()) {
            try (SocketChannel data = ftp.openExtendedPassiveChannel()) {
                ftp.send("NLST");
                assertThat(ftp.reply().code()).isEqualTo(150);
                assertThat(ftp.reply().code()).isEqualTo(425);
            }
            assertStillServes(ftp);
        }
    }
}
