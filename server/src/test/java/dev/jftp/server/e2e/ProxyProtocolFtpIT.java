package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.Haproxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jftpd --proxy-protocol --trusted-proxies 127.0.0.1} behind a real HAProxy in TCP mode
 * ({@code send-proxy-v2} and {@code send-proxy}, with {@code check-send-proxy} health checks): the
 * client's address the header carries (127.0.0.2, 127.0.0.3: "other hosts") is the one in the login
 * line, the per-address limit, the passive data connection check and the PORT/EPRT check; data
 * connections go straight to the node, with no header. Without {@code --trusted-proxies} the node
 * refuses to start.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyProtocolFtpIT {
    private static final InetAddress CLIENT = address("127.0.0.2");
    private static final InetAddress OTHER_CLIENT = address("127.0.0.3");

    @TempDir
    static Path work;

    private static JftpdProcess node;
    private static Haproxy haproxy;
    private static int v2Port;
    private static int v1Port;

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // the first run fetches HAProxy
    static void start() throws Exception {
        Haproxy.binary(); // skips the class, saying why, if HAProxy cannot be had
        node = JftpdProcess.start(work, "--bind", "127.0.0.1", "--port", "0", "--root", work.resolve("root").toString(),
                "--user", "bob:bob-pw", "--proxy-protocol", "--trusted-proxies", "127.0.0.1", "--max-sessions-per-ip", "2");
        v2Port = Haproxy.freePort();
        v1Port = Haproxy.freePort();
        String config = """
                global
                    maxconn 200
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 60s
                    timeout server 60s
                frontend ftp_v2
                    bind 127.0.0.1:%d
                    default_backend jftpd_v2
                backend jftpd_v2
                    server node1 127.0.0.1:%d send-proxy-v2 check inter 500ms check-send-proxy
                frontend ftp_v1
                    bind 127.0.0.1:%d
                    default_backend jftpd_v1
                backend jftpd_v1
                    server node1 127.0.0.1:%d send-proxy
                """.formatted(v2Port, node.port(), v1Port, node.port());
        haproxy = Haproxy.start(work.resolve("haproxy"), config, new InetSocketAddress("127.0.0.1", v1Port));
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theClientsAddressFromAV2HeaderIsUsedForTheLoginLineTransfersAndDataChecks() throws Exception {
        FTPClient ftp = ClusterClients.client(CLIENT);
        try {
            assertThat(ClusterClients.login(ftp, v2Port, "bob", "bob-pw")).isEqualTo(230);
            assertThat(node.awaitStderr("bob logged in from 127.0.0.2 via 127.0.0.1", Duration.ofSeconds(10)))
                    .as("the login line names the client and the proxy:\n%s", node.stderr()).isTrue();
            assertThat(String.join("", ftp.doCommandAsStrings("STAT", null))).contains("Connected from 127.0.0.2");
            // Passive data connections come from 127.0.0.2 straight to the node: they pass the
            // address check only because the session's client address is the carried one.
            byte[] content = "through the proxy\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            assertThat(ftp.storeFile("proxied.txt", new ByteArrayInputStream(content))).as(ftp.getReplyString()).isTrue();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertThat(ftp.retrieveFile("proxied.txt", back)).as(ftp.getReplyString()).isTrue();
            assertThat(back.toByteArray()).isEqualTo(content);
            // PORT/EPRT: the client's own address is fine, another one (even the proxy's) is refused.
            assertThat(ftp.sendCommand("EPRT", "|1|127.0.0.2|40000|")).isEqualTo(200);
            assertThat(ftp.sendCommand("EPRT", "|1|127.0.0.1|40000|")).isGreaterThanOrEqualTo(500);
            assertThat(ftp.getReplyString()).contains("127.0.0.2");
        } finally {
            ClusterClients.disconnect(ftp);
        }
        assertThat(node.stderr()).doesNotContain("refused a connection from trusted proxy");
    }

    @Test
    void aPassiveDataConnectionFromAnotherAddressThanTheCarriedOneIsRefused() throws Exception {
        FTPClient ftp = ClusterClients.client(CLIENT);
        try {
            assertThat(ClusterClients.login(ftp, v2Port, "bob", "bob-pw")).isEqualTo(230);
            assertThat(ftp.sendCommand("PASV")).isEqualTo(227);
            String reply = ftp.getReplyString();
            String[] numbers = reply.substring(reply.indexOf('(') + 1, reply.indexOf(')')).split(",");
            int port = Integer.parseInt(numbers[4].strip()) * 256 + Integer.parseInt(numbers[5].strip());
            // 127.0.0.3 is not this session's client: its connection to the passive port is dropped.
            try (Socket stranger = new Socket()) {
                stranger.bind(new InetSocketAddress(OTHER_CLIENT, 0));
                stranger.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                stranger.setSoTimeout(10_000);
                InputStream in = stranger.getInputStream();
                int read;
                try {
                    read = in.read();
                } catch (IOException reset) {
                    read = -1;
                }
                assertThat(read).as("the stranger's connection is dropped").isEqualTo(-1);
            }
            // The session's own client, 127.0.0.2, still gets its data connections.
            assertThat(ftp.listNames()).as(ftp.getReplyString()).isNotNull();
        } finally {
            ClusterClients.disconnect(ftp);
        }
    }

    @Test
    void aV1HeaderCarriesTheClientsAddressToo() throws Exception {
        FTPClient ftp = ClusterClients.client(OTHER_CLIENT);
        try {
            assertThat(ClusterClients.login(ftp, v1Port, "bob", "bob-pw")).isEqualTo(230);
            assertThat(node.awaitStderr("bob logged in from 127.0.0.3 via 127.0.0.1", Duration.ofSeconds(10))).isTrue();
            assertThat(ftp.listNames()).isNotNull();
        } finally {
            ClusterClients.disconnect(ftp);
        }
    }

    @Test
    void thePerAddressLimitCountsTheCarriedAddressNotTheProxys() throws Exception {
        // Addresses of this test alone, so that no other test's session counts.
        InetAddress limited = address("127.0.0.5");
        FTPClient first = ClusterClients.client(limited);
        FTPClient second = ClusterClients.client(limited);
        FTPClient other = ClusterClients.client(address("127.0.0.6"));
        try {
            assertThat(ClusterClients.login(first, v2Port, "bob", "bob-pw")).isEqualTo(230);
            assertThat(ClusterClients.login(second, v2Port, "bob", "bob-pw")).isEqualTo(230);
            // --max-sessions-per-ip 2: a third from 127.0.0.5 is refused, though all come from HAProxy's address ...
            assertThat(ClusterClients.tryLogin(limited, v2Port, "bob", "bob-pw")).isEqualTo(421);
            assertThat(node.awaitStderr("refused 127.0.0.5: ADDRESS_FULL", java.time.Duration.ofSeconds(10)))
                    .as("%s", node.stderr()).isTrue();
            // ... while 127.0.0.6, through the same proxy, still gets in.
            assertThat(ClusterClients.login(other, v2Port, "bob", "bob-pw")).isEqualTo(230);
        } finally {
            for (FTPClient c : new FTPClient[] {first, second, other}) {
                ClusterClients.disconnect(c);
            }
        }
    }

    @Test
    void aConnectionFromATrustedProxyWithoutAHeaderIsRefusedOneFromElsewhereIsServed() throws Exception {
        // 127.0.0.1 is the trusted proxy: without a header its connection is closed, with one log line.
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
            raw.setSoTimeout(20_000);
            raw.getOutputStream().write("USER bob\r\n".getBytes(StandardCharsets.US_ASCII));
            int read;
            try {
                read = raw.getInputStream().read();
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read).as("no greeting for a headerless connection from the proxy").isEqualTo(-1);
        }
        assertThat(node.awaitStderr("refused a connection from trusted proxy 127.0.0.1", Duration.ofSeconds(10))).isTrue();
        // 127.0.0.4 is not a proxy: a direct client, whatever it sends.
        FTPClient direct = ClusterClients.client(address("127.0.0.4"));
        try {
            assertThat(ClusterClients.login(direct, node.port(), "bob", "bob-pw")).isEqualTo(230);
            assertThat(node.awaitStderr(java.util.regex.Pattern.compile("bob logged in from 127\\.0\\.0\\.4$", java.util.regex.Pattern.MULTILINE),
                    Duration.ofSeconds(10))).as("a direct client, no 'via':\n%s", node.stderr()).isNotNull();
        } finally {
            ClusterClients.disconnect(direct);
        }
    }

    @Test
    void proxyProtocolWithoutTrustedProxiesRefusesToStart() throws Exception {
        ExternalCommand.Result result = JftpdProcess.run(work, "", "--port", "0", "--proxy-protocol");
        assertThat(result.exit()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr()).contains("--proxy-protocol needs --trusted-proxies");
        ExternalCommand.Result bad = JftpdProcess.run(work, "", "--port", "0", "--proxy-protocol", "--trusted-proxies", "10.0.0.1/8");
        assertThat(bad.exit()).as(bad.describe()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--trusted-proxies");
    }
}
