package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.protocol.tls.ClientTlsDataChannel;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that do not complete a TLS handshake, by garbage, silence or trickling bytes: each is
 * closed (within the handshake timeout for the slow ones) and everyone else is served on.
 */
@Timeout(60)
class FtpsHandshakeFailureTest {
    private static final byte[] GARBAGE = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".repeat(20).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private FtpsTestServer start() throws IOException {
        return FtpsTestServer.start(dir, tls -> tls.withImplicitPort(0).withHandshakeTimeout(Duration.ofMillis(500)));
    }

    /** A logged-in TLS session that must keep working while others misbehave. */
    private static RawFtp goodSession(FtpsTestServer server, SSLContext context) throws IOException {
        RawFtp ftp = new RawFtp(server.port());
        ftp.reply();
        ftp.authTls(context);
        ftp.loginProtected(FtpsTestServer.USER, FtpsTestServer.PASSWORD);
        return ftp;
    }

    private static void assertStillServes(RawFtp ftp, SSLContext context) throws IOException {
        ftp.expect(257, "PWD");
        SocketChannel data = ftp.openPassive();
        ftp.write("NLST");
        assertThat(ftp.reply().code()).isEqualTo(150);
        ClientTlsDataChannel tls = ftp.protect(data, context);
        tls.handshake();
        assertThat(new String(RawFtp.readAll(tls), StandardCharsets.UTF_8)).isEqualTo("file.txt\r\n");
        tls.close();
        assertThat(ftp.reply().code()).isEqualTo(226);
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
        socket.connect(new InetSocketAddress(RawFtp.HOST, port), 10_000);
        return socket;
    }

    @Test
    void garbageAfterAuthTlsClosesThatConnectionOnly() throws Exception {
        try (FtpsTestServer server = start()) {
            Files.writeString(server.root.resolve("file.txt"), "x");
            SSLContext context = server.clientContext();
            try (RawFtp good = goodSession(server, context); RawFtp bad = new RawFtp(server.port())) {
                bad.reply();
                assertThat(bad.send("AUTH TLS").code()).isEqualTo(234);
                bad.writeRaw(GARBAGE);
                assertClosedByServer(bad.plain);
                assertStillServes(good, context);
            }
            try (RawFtp later = goodSession(server, context)) {
                assertStillServes(later, context);
            }
        }
    }

    @Test
    void garbageOnTheImplicitPortClosesThatConnectionOnly() throws Exception {
        try (FtpsTestServer server = start()) {
            Files.writeString(server.root.resolve("file.txt"), "x");
            SSLContext context = server.clientContext();
            try (RawFtp good = goodSession(server, context); Socket bad = connect(server.implicitPort())) {
                bad.getOutputStream().write(GARBAGE);
                assertClosedByServer(bad);
                assertStillServes(good, context);
            }
            try (RawFtp implicit = RawFtp.implicit(server.implicitPort(), context)) {
                assertThat(implicit.reply().code()).isEqualTo(220);
            }
        }
    }

    @Test
    void aSilentClientOnTheImplicitPortIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (FtpsTestServer server = start(); Socket silent = connect(server.implicitPort())) {
            assertClosedByServer(silent);
        }
    }

    @Test
    void aClientTricklingItsHandshakeIsClosedAfterTheHandshakeTimeoutInAll() throws Exception {
        try (FtpsTestServer server = start()) {
            Files.writeString(server.root.resolve("file.txt"), "x");
            SSLContext context = server.clientContext();
            try (RawFtp good = goodSession(server, context); RawFtp slow = new RawFtp(server.port())) {
                slow.reply();
                assertThat(slow.send("AUTH TLS").code()).isEqualTo(234);
                // A TLS record header announcing a long handshake, then one byte every 100 ms: each
                // read is quick, so only the overall deadline can end it.
                OutputStream out = slow.plain.getOutputStream();
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
                assertStillServes(good, context);
            }
        }
    }

    @Test
    void aClientThatNeverStartsTheDataHandshakeGets425AndTheSessionGoesOn() throws Exception {
        try (FtpsTestServer server = start()) {
            Files.writeString(server.root.resolve("file.txt"), "x");
            SSLContext context = server.clientContext();
            try (RawFtp ftp = goodSession(server, context)) {
                try (SocketChannel data = ftp.openPassive()) {
                    ftp.write("NLST");
                    assertThat(ftp.reply().code()).isEqualTo(150);
                    assertThat(ftp.reply().code()).isEqualTo(425);
                }
                assertStillServes(ftp, context);
            }
        }
    }
}
