package dev.jftp.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which connections must carry a header, and what a missing or bad one does, over real sockets. */
class ProxyProtocolTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    /** Connects from {@code from} to a fresh listener, sends {@code first}, and hands over the accepted socket. */
    private interface WithAccepted {
        void run(Socket client, Socket accepted) throws Exception;
    }

    private static void connect(String from, byte[] first, WithAccepted test) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
                Socket client = new Socket()) {
            client.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            client.connect(server.getLocalSocketAddress());
            if (first != null) {
                client.getOutputStream().write(first);
                client.getOutputStream().flush();
            }
            try (Socket accepted = server.accept()) {
                test.run(client, accepted);
            }
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aTrustedProxysHeaderNamesTheClient() throws Exception {
        ProxyProtocol proxyProtocol = new ProxyProtocol(TrustedProxies.parse("127.0.0.2"), LIMIT);
        connect("127.0.0.2", ascii("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21\r\nUSER bob\r\n"), (client, accepted) -> {
            ConnectionOrigin origin = proxyProtocol.originOf(accepted);
            assertThat(origin.kind()).isEqualTo(ConnectionOrigin.Kind.RELAYED);
            assertThat(origin.client()).isEqualTo(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 51234));
            assertThat(origin.proxy()).isEqualTo(client.getLocalSocketAddress());
            assertThat(origin.describe()).isEqualTo("203.0.113.7 via 127.0.0.2");
            // what follows the header is the protocol's
            assertThat(new String(accepted.getInputStream().readNBytes(10), StandardCharsets.US_ASCII)).isEqualTo("USER bob\r\n");
        });
    }

    @Test
    void aLocalHeaderIsTheProxyItself() throws Exception {
        ProxyProtocol proxyProtocol = new ProxyProtocol(TrustedProxies.parse("127.0.0.0/8"), LIMIT);
        connect("127.0.0.3", ProxyHeaderReaderTest.v2(0x20, 0x00, new byte[0]), (client, accepted) -> {
            ConnectionOrigin origin = proxyProtocol.originOf(accepted);
            assertThat(origin.kind()).isEqualTo(ConnectionOrigin.Kind.PROXY_ITSELF);
            assertThat(origin.client()).isEqualTo(client.getLocalSocketAddress()).isEqualTo(origin.proxy());
            assertThat(origin.describe()).isEqualTo("127.0.0.3 (the proxy itself)");
        });
    }

    @Test
    void othersAreDirectAndTheirHeaderIsNotRead() throws Exception {
        ProxyProtocol proxyProtocol = new ProxyProtocol(TrustedProxies.parse("127.0.0.2"), LIMIT);
        connect("127.0.0.4", ascii("PROXY TCP4 203.0.113.7 192.0.2.1 51234 21\r\n"), (client, accepted) -> {
            ConnectionOrigin origin = proxyProtocol.originOf(accepted);
            assertThat(origin.kind()).isEqualTo(ConnectionOrigin.Kind.DIRECT);
            assertThat(origin.client()).isEqualTo(client.getLocalSocketAddress());
            assertThat(origin.proxy()).isNull();
            assertThat(origin.describe()).isEqualTo("127.0.0.4");
            // the would-be header is left to the protocol, which will call it an unknown command
            assertThat(new String(accepted.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("PROXY ");
        });
    }

    @Test
    void aTrustedProxyWithoutAHeaderIsRefusedNamingIt() throws Exception {
        ProxyProtocol proxyProtocol = new ProxyProtocol(TrustedProxies.parse("127.0.0.2"), LIMIT);
        connect("127.0.0.2", ascii("USER bob\r\n"), (client, accepted) -> {
            ProxyProtocolException e = catchThrowableOfType(ProxyProtocolException.class, () -> proxyProtocol.originOf(accepted));
            assertThat(e).hasMessage("refused a connection from trusted proxy 127.0.0.2: the connection does not start with a"
                    + " PROXY protocol header");
            assertThat(e.closedBeforeHeader()).isFalse();
        });
    }

    @Test
    void aTrustedProxyThatSaysNothingIsRefusedAtTheDeadline() throws Exception {
        ProxyProtocol proxyProtocol = new ProxyProtocol(TrustedProxies.parse("127.0.0.2"), Duration.ofMillis(200));
        connect("127.0.0.2", null, (client, accepted) -> {
            ProxyProtocolException e = catchThrowableOfType(ProxyProtocolException.class, () -> proxyProtocol.originOf(accepted));
            assertThat(e).hasMessageContaining("trusted proxy 127.0.0.2").hasMessageContaining("within 200 ms");
        });
    }

    @Test
    void aPlainTcpCheckIsAConnectionClosedBeforeTheHeader() throws Exception {
        ProxyProtocol proxyProtocol = new ProxyProtocol(TrustedProxies.parse("127.0.0.2"), LIMIT);
        connect("127.0.0.2", null, (client, accepted) -> {
            client.close();
            ProxyProtocolException e = catchThrowableOfType(ProxyProtocolException.class, () -> proxyProtocol.originOf(accepted));
            assertThat(e.closedBeforeHeader()).isTrue();
        });
    }
}
