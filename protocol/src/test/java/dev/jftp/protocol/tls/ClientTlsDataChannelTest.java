package dev.jftp.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client side of a protected data connection against a JDK TLS server on loopback: bytes
 * both ways, the end of data as close_notify (RFC 4217 section 7 leaves it to TLS), truncation as
 * an error, and resumption of the control connection's session.
 */
@Timeout(60)
class ClientTlsDataChannelTest {
    private static final String HOST = "127.0.0.1";
    private static final char[] STORE_PASSWORD = "test-only".toCharArray();

    @TempDir
    static Path keys;
    static SSLContext serverContext;

    private final ExecutorService serverSide = Executors.newVirtualThreadPerTaskExecutor();
    private ServerSocket listener;
    private SSLContext clientContext;

    /** A key pair and self-signed certificate made by the JDK's keytool (the JDK has no API for it). */
    @BeforeAll
    static void serverKey() throws Exception {
        Path store = keys.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-noprompt", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=test", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, STORE_PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
    }

    @BeforeEach
    void listen() throws Exception {
        listener = new ServerSocket(0, 10, InetAddress.getByName(HOST));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("server.p12"))) {
            keyStore.load(in, STORE_PASSWORD);
        }
        trusted.setCertificateEntry("server", keyStore.getCertificate("server"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        // A context of its own per test: its session cache is what a data connection resumes from.
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trust.getTrustManagers(), null);
    }

    @AfterEach
    void stop() throws IOException {
        serverSide.shutdownNow();
        listener.close();
    }

    /** The server end of the next connection, as the TLS server. */
    private SSLSocket acceptTls(String protocol) throws IOException {
        Socket plain = listener.accept();
        SSLSocket tls = (SSLSocket) serverContext.getSocketFactory().createSocket(plain, null, true);
        tls.setEnabledProtocols(new String[] {protocol});
        return tls;
    }

    /** A plain connection to the server, made the data connection's TLS client. */
    private ClientTlsDataChannel dataChannel(String protocol) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(HOST, listener.getLocalPort()));
        return new ClientTlsDataChannel(channel, clientContext, HOST, listener.getLocalPort(),
                parameters -> parameters.setProtocols(new String[] {protocol}));
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aDownloadEndsAtTheServersCloseNotify(String protocol) throws Exception {
        byte[] content = randomBytes(3 * 1024 * 1024 + 5);
        Future<Void> server = serverSide.submit(() -> {
            try (SSLSocket tls = acceptTls(protocol)) {
                tls.getOutputStream().write(content);
            }
            return null;
        });
        try (ClientTlsDataChannel data = dataChannel(protocol)) {
            data.handshake();
            assertThat(data.session().getProtocol()).isEqualTo(protocol);
            assertThat(Channels.newInputStream(data).readAllBytes()).isEqualTo(content);
            assertThat(data.read(ByteBuffer.allocate(1))).as("after close_notify").isEqualTo(-1);
        }
        server.get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void finishSendsCloseNotifyWhichEndsAnUploadAndReadsToTheServersOwn(String protocol) throws Exception {
        byte[] content = randomBytes(2 * 1024 * 1024 + 3);
        Future<byte[]> server = serverSide.submit(() -> {
            try (SSLSocket tls = acceptTls(protocol)) {
                return tls.getInputStream().readAllBytes();
            }
        });
        ClientTlsDataChannel data = dataChannel(protocol);
        data.handshake();
        assertThat(data.write(ByteBuffer.wrap(content))).isEqualTo(content.length);
        data.finish();
        assertThat(data.isOpen()).isFalse();
        assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo(content);
    }

    @Test
    void aConnectionCutWithoutCloseNotifyIsATruncationNotAnEnd() throws Exception {
        Future<Void> server = serverSide.submit(() -> {
            Socket plain = listener.accept();
            SSLSocket tls = (SSLSocket) serverContext.getSocketFactory().createSocket(plain, null, true);
            tls.getOutputStream().write(randomBytes(1000));
            tls.getOutputStream().flush();
            plain.close(); // beneath TLS: no close_notify
            return null;
        });
        try (ClientTlsDataChannel data = dataChannel("TLSv1.3")) {
            data.handshake();
            InputStream in = Channels.newInputStream(data);
            assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class).hasMessageContaining("close_notify");
        }
        server.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aChannelMadeWithTheControlConnectionsHostAndPortResumesItsSession() throws Exception {
        String protocol = "TLSv1.2";
        Future<SSLSocket> controlServer = serverSide.submit(() -> {
            SSLSocket tls = acceptTls(protocol);
            tls.startHandshake();
            return tls;
        });
        try (SSLSocket control = (SSLSocket) clientContext.getSocketFactory().createSocket(HOST, listener.getLocalPort())) {
            control.setEnabledProtocols(new String[] {protocol});
            control.startHandshake();
            Future<Void> dataServer = serverSide.submit(() -> {
                try (SSLSocket tls = acceptTls(protocol)) {
                    tls.getOutputStream().write(1);
                }
                return null;
            });
            try (ClientTlsDataChannel data = dataChannel(protocol)) {
                data.handshake();
                assertThat(data.session().getId()).as("the control connection's session").isEqualTo(control.getSession().getId());
                assertThat(Channels.newInputStream(data).readAllBytes()).containsExactly(1);
            }
            dataServer.get(30, TimeUnit.SECONDS);
            controlServer.get(30, TimeUnit.SECONDS).close();
        }
    }
}
