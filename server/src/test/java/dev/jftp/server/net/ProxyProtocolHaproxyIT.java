package dev.jftp.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jftp.server.testing.Haproxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PROXY protocol reader behind a real HAProxy (Debian's package, fetched into peers/), in TCP
 * mode: {@code send-proxy-v2} over IPv4 and IPv6, {@code send-proxy} (v1), and the v2 LOCAL header
 * of HAProxy's own health checks ({@code check-send-proxy}). A small TCP server here answers each
 * connection with the origin it read, so the test compares it with the client's own socket.
 */
class ProxyProtocolHaproxyIT {
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(20);

    private static ServerSocket backend;
    private static Thread acceptor;
    private static Haproxy haproxy;
    private static Path directory;
    private static int v2Port;
    private static int v1Port;
    private static int v2Ipv6Port; // 0 when this machine has no ::1
    private static final BlockingQueue<ConnectionOrigin> healthChecks = new LinkedBlockingQueue<>();
    private static final List<String> refusals = new CopyOnWriteArrayList<>();
    private static final List<String> lostBeforeHeader = new CopyOnWriteArrayList<>();
    /** Connections whose header was read but whose answer could not be sent: the peer had gone. */
    private static final List<String> lostAfterHeader = new CopyOnWriteArrayList<>();

    @BeforeAll
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // the first run fetches HAProxy
    static void startBackendAndHaproxy() throws Exception {
        Haproxy.binary(); // skips the class, saying why, if HAProxy cannot be had
        ProxyProtocol proxyProtocol = new ProxyProtocol(TrustedProxies.parse("127.0.0.1"), ProxyProtocol.DEFAULT_HEADER_TIMEOUT);
        backend = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = Thread.ofVirtual().name("proxied-backend").start(() -> {
            while (!backend.isClosed()) {
                try {
                    Socket socket = backend.accept();
                    Thread.ofVirtual().start(() -> answer(proxyProtocol, socket));
                } catch (IOException e) {
                    return; // closed at the end
                }
            }
        });
        v2Port = Haproxy.freePort();
        v1Port = Haproxy.freePort();
        v2Ipv6Port = ipv6Loopback() ? Haproxy.freePort() : 0;
        int server = backend.getLocalPort();
        String config = """
                global
                    maxconn 200
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend proxy_v2
                    bind 127.0.0.1:%d
                    %s
                    default_backend with_v2
                backend with_v2
                    server backend1 127.0.0.1:%d send-proxy-v2 check inter 300ms check-send-proxy
                frontend proxy_v1
                    bind 127.0.0.1:%d
                    default_backend with_v1
                backend with_v1
                    server backend1 127.0.0.1:%d send-proxy
                """.formatted(v2Port, v2Ipv6Port == 0 ? "" : "bind [::1]:" + v2Ipv6Port, server, v1Port, server);
        directory = Files.createTempDirectory("jftp-haproxy");
        haproxy = Haproxy.start(directory, config, new InetSocketAddress("127.0.0.1", v1Port));
    }

    /** Reads the header and answers "KIND CLIENT_ADDRESS CLIENT_PORT PROXY_ADDRESS". */
    private static void answer(ProxyProtocol proxyProtocol, Socket socket) {
        try (socket) {
            ConnectionOrigin origin;
            try {
                origin = proxyProtocol.originOf(socket);
            } catch (ProxyProtocolException e) {
                if (!e.closedBeforeHeader()) {
                    refusals.add(e.getMessage());
                }
                return;
            } catch (IOException e) {
                // HAProxy ends its health checks with a reset (it closes checks with SO_LINGER 0);
                // when the reset overtakes the LOCAL header, Linux reports it instead of the bytes.
                // The listener treats this the same way: a lost connection, not a refused header.
                lostBeforeHeader.add(e.toString());
                return;
            }
            if (origin.kind() == ConnectionOrigin.Kind.PROXY_ITSELF) {
                healthChecks.add(origin);
                return;
            }
            String line = origin.kind() + " " + origin.client().getAddress().getHostAddress() + " " + origin.client().getPort() + " "
                    + (origin.proxy() == null ? "-" : origin.proxy().getAddress().getHostAddress());
            try {
                Writer out = new java.io.OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
                out.write(line + "\n");
                out.flush();
            } catch (IOException e) {
                // The header was read and accepted, so this is no refusal: the peer went before the
                // answer (CI once saw a reset here while every test client got its answer). A test
                // client that lost its answer fails on its own, and the message lists these.
                lostAfterHeader.add(line + ": " + e);
            }
        } catch (IOException e) {
            refusals.add(e.toString()); // closing the socket failed
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        if (backend != null) {
            backend.close();
            acceptor.join(5_000);
        }
        if (directory != null) {
            try (var files = Files.list(directory)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(directory);
        }
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Connects from {@code from} to a frontend and returns the backend's answer and the client's own address. */
    private static String[] throughHaproxy(String from, String frontendHost, int frontendPort) throws IOException {
        try (Socket client = new Socket()) {
            client.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            client.connect(new InetSocketAddress(InetAddress.getByName(frontendHost), frontendPort), 5_000);
            client.setSoTimeout((int) ANSWER_LIMIT.toMillis());
            String line = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(line).as("the backend's answer; haproxy said:\n%s\nrefusals: %s\nlost before the header: %s\nlost after it: %s", haproxy.output(),
                    refusals, lostBeforeHeader, lostAfterHeader).isNotNull();
            return new String[] {line, client.getLocalAddress().getHostAddress() + " " + client.getLocalPort()};
        }
    }

    @Test
    void sendProxyV2CarriesTheClientsAddress() throws IOException {
        String[] answer = throughHaproxy("127.0.0.2", "127.0.0.1", v2Port);
        // the client is 127.0.0.2, its own port; the proxy is HAProxy on 127.0.0.1
        assertThat(answer[0]).isEqualTo("RELAYED " + answer[1] + " 127.0.0.1");
        assertThat(refusals).isEmpty();
    }

    @Test
    void sendProxyV1CarriesTheClientsAddress() throws IOException {
        String[] answer = throughHaproxy("127.0.0.3", "127.0.0.1", v1Port);
        assertThat(answer[0]).isEqualTo("RELAYED " + answer[1] + " 127.0.0.1");
        assertThat(refusals).isEmpty();
    }

    @Test
    void sendProxyV2OverIpv6() throws IOException {
        assumeTrue(v2Ipv6Port != 0, "no IPv6 loopback (::1) on this machine");
        String[] answer = throughHaproxy("::1", "::1", v2Ipv6Port);
        assertThat(answer[1]).startsWith("0:0:0:0:0:0:0:1 ");
        assertThat(answer[0]).isEqualTo("RELAYED " + answer[1] + " 127.0.0.1");
    }

    @Test
    void healthChecksArriveAsLocalFromTheProxyItself() throws InterruptedException {
        // 'check inter 300ms check-send-proxy' with send-proxy-v2: a LOCAL header every 300 ms
        ConnectionOrigin check = healthChecks.poll(ANSWER_LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(check).as("a health check within %s; refusals: %s", ANSWER_LIMIT, refusals).isNotNull();
        assertThat(check.kind()).isEqualTo(ConnectionOrigin.Kind.PROXY_ITSELF);
        assertThat(check.client().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(check.describe()).isEqualTo("127.0.0.1 (the proxy itself)");
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnAddress() throws Exception {
        List<Thread> clients = new CopyOnWriteArrayList<>();
        List<String> mismatches = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            String from = "127.0.1." + (i + 1);
            int port = i % 2 == 0 ? v2Port : v1Port;
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    String[] answer = throughHaproxy(from, "127.0.0.1", port);
                    if (!answer[0].equals("RELAYED " + answer[1] + " 127.0.0.1")) {
                        mismatches.add(answer[0] + " for " + answer[1]);
                    }
                } catch (IOException | AssertionError e) {
                    mismatches.add(from + ": " + e);
                }
            }));
        }
        for (Thread t : clients) {
            t.join(ANSWER_LIMIT.toMillis());
        }
        assertThat(mismatches).isEmpty();
        assertThat(refusals).isEmpty();
    }
}
