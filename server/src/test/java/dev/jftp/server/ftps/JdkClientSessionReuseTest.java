package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.protocol.tls.ClientTlsDataChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS session reuse on data connections, seen from a JDK client: how a Java client makes its data
 * connections resume the control connection's session (an SSLEngine made with the control
 * connection's host and port), that the usual layered SSLSocket does not and is refused, and that
 * a session of another control connection is refused too.
 */
@Timeout(120)
class JdkClientSessionReuseTest {
    @TempDir
    Path dir;

    /** Opens a passive data connection for {@code command} and runs the client side of TLS as a resumption. */
    private static ClientTlsDataChannel protectedData(ControlConnection ftp, SSLContext context, String command, String protocol) throws IOException {
        SocketChannel data = ftp.openExtendedPassiveChannel();
        ftp.send(command);
        Reply opening = ftp.reply();
        assertThat(opening.code()).as(command + ": " + opening).isEqualTo(150);
        ClientTlsDataChannel tls = ftp.protect(data, context, protocol);
        tls.handshake();
        return tls;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anEngineMadeWithTheControlHostAndPortResumesTheControlSessionForEveryTransfer(String protocol) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            SSLContext context = server.clientContext();
            assertThat(ftp.reply().code()).isEqualTo(220);
            assertThat(ftp.authTls(context, protocol).code()).isEqualTo(234);
            ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            ftp.command("TYPE I", 200);
            byte[] content = new byte[3 * 1024 * 1024 + 17];
            new Random(4217).nextBytes(content);

            ClientTlsDataChannel upload = protectedData(ftp, context, "STOR up.bin", protocol);
            assertThat(upload.session().getProtocol()).isEqualTo(protocol);
            upload.write(ByteBuffer.wrap(content));
            upload.finish();
            assertThat(ftp.reply().code()).isEqualTo(226);
            assertThat(Files.readAllBytes(server.root().resolve("up.bin"))).isEqualTo(content);

            for (int round = 0; round < 3; round++) {
                ClientTlsDataChannel download = protectedData(ftp, context, "RETR up.bin", protocol);
                assertThat(ControlConnection.readAll(download)).isEqualTo(content);
                download.close();
                assertThat(ftp.reply().code()).isEqualTo(226);

                ClientTlsDataChannel listing = protectedData(ftp, context, "NLST", protocol);
                assertThat(new String(ControlConnection.readAll(listing), StandardCharsets.UTF_8)).isEqualTo("up.bin\r\n");
                listing.close();
                assertThat(ftp.reply().code()).isEqualTo(226);
            }
            ftp.command("REST 1000", 350);
            ClientTlsDataChannel resumed = protectedData(ftp, context, "RETR up.bin", protocol);
            assertThat(ControlConnection.readAll(resumed)).isEqualTo(java.util.Arrays.copyOfRange(content, 1000, content.length));
            resumed.close();
            assertThat(ftp.reply().code()).isEqualTo(226);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aLayeredSslSocketDoesNotResumeAndIsRefusedWith425(String protocol) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            SSLContext context = server.clientContext();
            ftp.reply();
            ftp.authTls(context, protocol);
            ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);

            SocketChannel data = ftp.openExtendedPassiveChannel();
            ftp.send("LIST");
            assertThat(ftp.reply().code()).isEqualTo(150);
            // The control port is passed, but JSSE looks the session up under the data socket's real port.
            SSLSocket layered = (SSLSocket) context.getSocketFactory().createSocket(data.socket(), ControlConnection.HOST, ftp.port(), true);
            layered.setEnabledProtocols(new String[] {protocol});
            assertThatThrownBy(layered::startHandshake).isInstanceOf(SSLException.class);
            Reply refused = ftp.reply();
            assertThat(refused.code()).as(refused.all()).isEqualTo(425);
            assertThat(refused.all()).contains("resume the control connection's TLS session");

            // The session goes on, and a resuming data connection works.
            ClientTlsDataChannel listing = protectedData(ftp, context, "LIST", protocol);
            ControlConnection.readAll(listing);
            listing.close();
            assertThat(ftp.reply().code()).isEqualTo(226);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aDataConnectionResumingAnotherControlConnectionsSessionIsRefused(String protocol) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection victim = ControlConnection.connect(server.port());
             ControlConnection stranger = ControlConnection.connect(server.port())) {
            SSLContext victimContext = server.clientContext();
            SSLContext strangerContext = server.clientContext();
            victim.reply();
            victim.authTls(victimContext, protocol);
            victim.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            stranger.reply();
            stranger.authTls(strangerContext, protocol);
            stranger.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            Files.writeString(server.root().resolve("secret.txt"), "not for strangers");

            // The stranger takes the victim's passive connection with a valid session of its own.
            SocketChannel data = victim.openExtendedPassiveChannel();
            victim.send("RETR secret.txt");
            assertThat(victim.reply().code()).isEqualTo(150);
            ClientTlsDataChannel hijack = stranger.protect(data, strangerContext, protocol);
            assertThatThrownBy(hijack::handshake).isInstanceOf(IOException.class);
            assertThat(victim.reply().code()).isEqualTo(425);

            // The victim's session goes on with its own data connections. (Not the stranger's under
            // TLS 1.3: its one ticket was spent on the refused handshake; JSSE tickets serve once.)
            ClientTlsDataChannel own = protectedData(victim, victimContext, "RETR secret.txt", protocol);
            assertThat(new String(ControlConnection.readAll(own), StandardCharsets.UTF_8)).isEqualTo("not for strangers");
            own.close();
            assertThat(victim.reply().code()).isEqualTo(226);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aborOfAProtectedDownloadAnswers426Then226AndLaterTransfersStillResume(String protocol) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            SSLContext context = server.clientContext();
            byte[] big = new byte[48 * 1024 * 1024];
            new Random(1).nextBytes(big);
            Files.write(server.root().resolve("big.bin"), big);
            ftp.reply();
            ftp.authTls(context, protocol);
            ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            ftp.command("TYPE I", 200);

            ClientTlsDataChannel download = protectedData(ftp, context, "RETR big.bin", protocol);
            assertThat(download.read(ByteBuffer.allocate(64 * 1024))).isPositive();
            ftp.send("ABOR");
            assertThat(ftp.reply().code()).isEqualTo(426);
            assertThat(ftp.reply().code()).isEqualTo(226);
            download.close();

            ClientTlsDataChannel listing = protectedData(ftp, context, "NLST", protocol);
            assertThat(new String(ControlConnection.readAll(listing), StandardCharsets.UTF_8)).isEqualTo("big.bin\r\n");
            listing.close();
            assertThat(ftp.reply().code()).isEqualTo(226);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void activeModeDataConnectionsAreProtectedWithTheServerAsTlsServer(String protocol) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port());
             ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(ControlConnection.HOST, 0), 1)) {
            SSLContext context = server.clientContext();
            byte[] content = new byte[500_000];
            new Random(2428).nextBytes(content);
            Files.write(server.root().resolve("file.bin"), content);
            ftp.reply();
            ftp.authTls(context, protocol);
            ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            ftp.command("TYPE I", 200);
            ftp.command("EPRT |1|" + ControlConnection.HOST + "|" + listener.socket().getLocalPort() + "|", 200);
            ftp.send("RETR file.bin");
            assertThat(ftp.reply().code()).isEqualTo(150);
            listener.socket().setSoTimeout(20_000);
            SocketChannel data = listener.socket().accept().getChannel();
            // RFC 4217 section 7: the server connected, and still is the TLS server.
            ClientTlsDataChannel tls = ftp.protect(data, context, protocol);
            tls.handshake();
            assertThat(ControlConnection.readAll(tls)).isEqualTo(content);
            tls.close();
            assertThat(ftp.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void anUploadCutWithoutCloseNotifyIsNotTakenForComplete() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            SSLContext context = server.clientContext();
            Files.writeString(server.root().resolve("kept.txt"), "the good old content");
            ftp.reply();
            ftp.authTls(context);
            ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            ClientTlsDataChannel upload = protectedData(ftp, context, "STOR kept.txt", "TLSv1.3");
            upload.write(ByteBuffer.allocate(100_000));
            upload.close(); // TCP close without close_notify: a truncation, as far as TLS can tell
            Reply reply = ftp.reply();
            assertThat(reply.code()).as(reply.all()).isEqualTo(426);
            assertThat(Files.readString(server.root().resolve("kept.txt"))).isEqualTo("the good old content");
        }
    }

    @Test
    void aHandshakeSentRightBehindTheAuthLineIsNotLost() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            SSLContext context = server.clientContext();
            ftp.reply();
            // AUTH TLS and the ClientHello in one write, before the 234 arrived: the reader has
            // already read the ClientHello when AUTH runs, and must hand it to the handshake.
            javax.net.ssl.SSLEngine engine = context.createSSLEngine(ControlConnection.HOST, ftp.port());
            engine.setUseClientMode(true);
            engine.beginHandshake();
            java.nio.ByteBuffer hello = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(java.nio.ByteBuffer.allocate(0), hello);
            hello.flip();
            byte[] helloBytes = new byte[hello.remaining()];
            hello.get(helloBytes);
            java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
            both.writeBytes("AUTH TLS\r\n".getBytes(StandardCharsets.US_ASCII));
            both.writeBytes(helloBytes);
            ftp.sendBytes(both.toByteArray());
            assertThat(ftp.reply().code()).isEqualTo(234);
            engine.closeOutbound(); // that ClientHello was only to be sent early; now a real handshake
            // The server got a ClientHello, and answers it: a TLS record (0x16 handshake) follows.
            int first = ftp.input().read();
            assertThat(first).isEqualTo(0x16);
        }
    }

    /**
     * The TLS records a transport delivers after {@link #handshakeDone()}: what the server sent once
     * the client's side of the handshake was over.
     */
    private static final class RecordCountingChannel implements java.nio.channels.ByteChannel {
        private final SocketChannel channel;
        private boolean counting;
        /** Bytes of the record header being read (5), and what is left of its body. */
        private final byte[] header = new byte[5];
        private int headerBytes;
        private int bodyLeft;
        int records;

        RecordCountingChannel(SocketChannel channel) {
            this.channel = channel;
        }

        void handshakeDone() {
            counting = true;
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            int start = target.position();
            int n = channel.read(target);
            for (int i = start; counting && i < start + Math.max(0, n); i++) {
                if (bodyLeft > 0) {
                    bodyLeft--;
                } else {
                    header[headerBytes++] = target.get(i);
                    if (headerBytes == header.length) {
                        headerBytes = 0;
                        bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                        records++;
                    }
                }
            }
            return n;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            return channel.write(source);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * An uploading client does not read its data connection: curl and lftp close it with whatever
     * the server sent still unread, and their kernel then resets the connection, which drops the
     * upload's tail in the server's kernel. So after the handshake the server sends nothing on an
     * upload's data connection but its close_notify: no TLS 1.3 session ticket (see TlsSession).
     * Until it did, each one came with a ticket, and curl lost 16 of 20 uploads of 300 KB.
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anUploadsDataConnectionCarriesNothingFromTheServerButItsCloseNotify(String protocol) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port())) {
            SSLContext context = server.clientContext();
            ftp.reply();
            ftp.authTls(context, protocol);
            ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            ftp.command("TYPE I", 200);
            byte[] content = new byte[300_007];
            new Random(8446).nextBytes(content);

            SocketChannel data = ftp.openExtendedPassiveChannel();
            ftp.send("STOR up.bin");
            assertThat(ftp.reply().code()).isEqualTo(150);
            RecordCountingChannel counted = new RecordCountingChannel(data);
            ClientTlsDataChannel upload = new ClientTlsDataChannel(counted, context, ControlConnection.HOST, ftp.port(),
                    parameters -> parameters.setProtocols(new String[] {protocol}));
            upload.handshake();
            counted.handshakeDone();
            upload.write(ByteBuffer.wrap(content));
            upload.finish(); // close_notify, then read to the server's close_notify
            upload.close();
            assertThat(ftp.reply().code()).isEqualTo(226);
            assertThat(Files.readAllBytes(server.root().resolve("up.bin"))).isEqualTo(content);
            assertThat(counted.records).as("TLS records from the server after the handshake").isEqualTo(1);
        }
    }

    /**
     * A JSSE client resumes each TLS 1.3 ticket once; with no tickets on data connections it needs
     * one from the control connection for each (see TlsSession): uploads in a row, then the rest.
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void uploadsInARowEachResumeTheControlSession(String protocol) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity());
             ControlConnection ftp = ControlConnection.connect(server.port());
             ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(ControlConnection.HOST, 0), 1)) {
            SSLContext context = server.clientContext();
            ftp.reply();
            ftp.authTls(context, protocol);
            ftp.loginProtected(RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
            ftp.command("TYPE I", 200);
            Random random = new Random(4217);
            for (int i = 0; i < 12; i++) {
                byte[] content = new byte[1 + random.nextInt(200_000)];
                random.nextBytes(content);
                ClientTlsDataChannel upload;
                if (i % 3 == 2) { // active mode too: the ticket comes with the reply to EPRT
                    ftp.command("EPRT |1|" + ControlConnection.HOST + "|" + listener.socket().getLocalPort() + "|", 200);
                    ftp.send("STOR up" + i + ".bin");
                    assertThat(ftp.reply().code()).isEqualTo(150);
                    listener.socket().setSoTimeout(20_000);
                    upload = ftp.protect(listener.socket().accept().getChannel(), context, protocol);
                    upload.handshake();
                } else {
                    upload = protectedData(ftp, context, "STOR up" + i + ".bin", protocol);
                }
                upload.write(ByteBuffer.wrap(content));
                upload.finish();
                upload.close();
                Reply reply = ftp.reply();
                assertThat(reply.code()).as("upload " + i + ": " + reply).isEqualTo(226);
                assertThat(Files.readAllBytes(server.root().resolve("up" + i + ".bin"))).isEqualTo(content);
            }
            ClientTlsDataChannel listing = protectedData(ftp, context, "NLST up0.bin", protocol);
            assertThat(new String(ControlConnection.readAll(listing), StandardCharsets.UTF_8)).isEqualTo("up0.bin\r\n");
            listing.close();
            assertThat(ftp.reply().code()).isEqualTo(226);
        }
    }
}
