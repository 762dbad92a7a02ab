package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jftp.protocol.HostPort;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PORT, PASV, EPRT, EPSV (RFC 959, RFC 2428) and the refusals of RFC 2577: no FTP bounce to
 * another address or a privileged port, no passive connection from a stranger.
 */
class DataConnectionCommandsTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(server.root().resolve("f.txt"), "data");
        c = server.connectAsAlice();
    }

    @Test
    void pasvAnnouncesTheServerAddress() throws IOException {
        Reply pasv = c.command("PASV");
        assertThat(pasv.code()).isEqualTo(227);
        InetSocketAddress address = HostPort.parseSixNumbers(pasv.text());
        assertThat(address.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(address.getPort()).isPositive();
        // a second PASV replaces the first listener
        Reply again = c.command("PASV");
        assertThat(again.code()).isEqualTo(227);
        Socket data = ControlConnection.connectData(HostPort.parseSixNumbers(again.text()));
        assertThat(c.command("RETR f.txt").code()).isEqualTo(150);
        assertThat(ControlConnection.readAll(data)).isEqualTo("data".getBytes(StandardCharsets.UTF_8));
        assertThat(c.reply().code()).isEqualTo(226);
    }

    @Test
    void portToAnotherAddressIsRefusedAsABounce() throws IOException {
        for (String command : new String[] {"PORT 10,1,2,3,40,0", "PORT 127,0,0,2,40,0", "PORT 0,0,0,0,40,0",
                "EPRT |1|10.1.2.3|10240|", "EPRT |1|127.0.0.2|10240|"}) {
            Reply reply = c.command(command);
            assertThat(reply.code()).as(command).isEqualTo(504);
            assertThat(reply.text()).as(command).contains("bounce");
        }
        // nothing was set up: a transfer now has no data connection
        assertThat(c.command("RETR f.txt").code()).isEqualTo(425);
    }

    @Test
    void portToAPrivilegedPortIsRefused() throws IOException {
        assertThat(c.command("PORT 127,0,0,1,0,25").code()).isEqualTo(504);
        assertThat(c.command("PORT 127,0,0,1,3,255").code()).isEqualTo(504);
        assertThat(c.command("EPRT |1|127.0.0.1|21|").code()).isEqualTo(504);
        assertThat(c.command("RETR f.txt").code()).isEqualTo(425);
    }

    @Test
    void malformedAndUnsupportedAddresses() throws IOException {
        assertThat(c.command("PORT 127,0,0,1,4").code()).isEqualTo(501);
        assertThat(c.command("PORT 300,0,0,1,4,0").code()).isEqualTo(501);
        assertThat(c.command("EPRT |1|127.0.0.1|").code()).isEqualTo(501);
        assertThat(c.command("EPRT |1|localhost|5000|").code()).isEqualTo(501);
        assertThat(c.command("EPRT |3|127.0.0.1|5000|").code()).isEqualTo(522);
        assertThat(c.command("EPSV 2").code()).isEqualTo(522);
        assertThat(c.command("EPSV 7").code()).isEqualTo(522);
        assertThat(c.command("EPSV 1").code()).isEqualTo(229);
    }

    /**
     * PORT takes exactly six numbers and EPRT exactly |proto|address|port| (RFC 959 section 4.1.2,
     * RFC 2428 section 2): a seventh number, junk before or after, or digits from another script
     * are refused with 501, not read past.
     */
    @Test
    void portAndEprtWithExtraNumbersOrJunkAre501() throws IOException {
        for (String bad : new String[] {"PORT 127,0,0,1,4,1,7", "PORT 127,0,0,1,4,1junk", "PORT 127,0,0,1,4,1,", "PORT x127,0,0,1,4,1",
                "PORT 1127,0,0,1,4,1", "PORT 127,0,0,1,4,1 5", "PORT 127, 0, 0, 1, 4, 1",
                "EPRT |1|127.0.0.1|\uff11\uff10\uff12\uff15|", "EPRT |1|\u0661\u0662\u0667.0.0.1|1025|", "EPRT |1|127.0.0.1|+1025|"}) {
            assertThat(c.command(bad).code()).as(bad).isEqualTo(501);
        }
        assertThat(c.command("PORT 127,0,0,1,4,1").code()).isEqualTo(200);
        assertThat(c.command("PORT 127,000,0,01,4,1").code()).isEqualTo(200); // leading zeros are still six numbers
        assertThat(c.command("EPRT |1|127.0.0.1|1025|").code()).isEqualTo(200);
    }

    @Test
    void epsvAllAllowsOnlyEpsvAfterwards() throws IOException {
        assertThat(c.command("EPSV ALL").code()).isEqualTo(200);
        assertThat(c.command("PASV").code()).isEqualTo(503);
        assertThat(c.command("PORT 127,0,0,1,40,0").code()).isEqualTo(503);
        assertThat(c.command("EPRT |1|127.0.0.1|10240|").code()).isEqualTo(503);
        Socket data = c.openExtendedPassive();
        assertThat(c.command("RETR f.txt").code()).isEqualTo(150);
        assertThat(ControlConnection.readAll(data)).isEqualTo("data".getBytes(StandardCharsets.UTF_8));
        assertThat(c.reply().code()).isEqualTo(226);
    }

    @Test
    void aPassiveConnectionFromAnotherAddressIsTurnedAwayAndTheClientsOwnIsServed() throws IOException {
        assumeTrue(canBind("127.0.0.2"), "127.0.0.2 is not usable as a second loopback address here");
        Reply pasv = c.command("PASV");
        InetSocketAddress address = HostPort.parseSixNumbers(pasv.text());
        try (Socket stranger = new Socket()) {
            stranger.bind(new InetSocketAddress("127.0.0.2", 0));
            stranger.setSoTimeout(ControlConnection.TIMEOUT_MILLIS);
            stranger.connect(address, ControlConnection.TIMEOUT_MILLIS);
            c.send("RETR f.txt");
            // the stranger's connection is closed without data; the server waits on for the client's own
            assertThat(stranger.getInputStream().read()).isEqualTo(-1);
            Socket data = ControlConnection.connectData(address);
            assertThat(c.reply().code()).isEqualTo(150);
            assertThat(ControlConnection.readAll(data)).isEqualTo("data".getBytes(StandardCharsets.UTF_8));
            assertThat(c.reply().code()).isEqualTo(226);
        }
    }

    private static boolean canBind(String address) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void ipv6EpsvAndEprtOnLoopback() throws IOException {
        assumeTrue(canBind("::1"), "this machine has no IPv6 loopback (::1): IPv6 data connections cannot be tested");
        InetAddress v6 = InetAddress.getByName("::1");
        try (RunningServer server6 = RunningServer.start(server.root().resolve("v6"), config -> config.withBindAddress(v6))) {
            Files.writeString(server.root().resolve("v6/six.txt"), "over IPv6");
            ControlConnection c6 = server6.connectAsAlice();
            assertThat(c6.socket().getInetAddress()).isEqualTo(v6);
            assertThat(c6.command("TYPE I").code()).isEqualTo(200);
            // PASV cannot name an IPv6 address; EPSV must be used, and only with protocol 2
            assertThat(c6.command("PASV").code()).isIn(425, 522);
            assertThat(c6.command("EPSV 1").code()).isEqualTo(522);
            assertThat(c6.command("EPSV 2").code()).isEqualTo(229);
            c6.useExtendedPassive(true);
            assertThat(c6.upload("STOR up6.txt", "uploaded over IPv6".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(226);
            assertThat(server.root().resolve("v6/up6.txt")).hasContent("uploaded over IPv6");
            assertThat(new String(c6.download("RETR six.txt"), StandardCharsets.UTF_8)).isEqualTo("over IPv6");
            try (ServerSocket listener = new ServerSocket(0, 1, v6)) {
                listener.setSoTimeout(ControlConnection.TIMEOUT_MILLIS);
                assertThat(c6.command("EPRT |1|127.0.0.1|" + listener.getLocalPort() + "|").code()).isEqualTo(504);
                assertThat(c6.command("EPRT |2|::1|" + listener.getLocalPort() + "|").code()).isEqualTo(200);
                assertThat(c6.command("RETR six.txt").code()).isEqualTo(150);
                try (Socket active = listener.accept()) {
                    assertThat(new String(active.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("over IPv6");
                }
                assertThat(c6.reply().code()).isEqualTo(226);
            }
            FTPClient ftp = server6.alice();
            assertThat(ftp.listNames()).containsExactlyInAnyOrder("six.txt", "up6.txt");
        }
    }
}
