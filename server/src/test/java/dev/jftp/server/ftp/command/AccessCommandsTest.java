package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** USER, PASS, ACCT, REIN, QUIT and what may be done before logging in (RFC 959 section 4.1.1). */
class AccessCommandsTest {
    /** Every command that needs a login, each with an argument so that only the login check can refuse it. */
    private static final List<String> NEED_LOGIN = List.of(
            "CWD /", "XCWD /", "CDUP", "XCUP", "PWD", "XPWD", "MKD d", "XMKD d", "RMD d", "XRMD d", "DELE f",
            "RNFR f", "RNTO g", "LIST", "NLST", "MLSD", "MLST", "RETR f", "STOR f", "STOU", "APPE f", "ALLO 10",
            "REST 0", "PORT 127,0,0,1,4,1", "EPRT |1|127.0.0.1|1025|", "PASV", "EPSV", "SIZE f", "MDTM f",
            "MFMT 20200101000000 f", "HASH f", "SITE HELP", "SITE CHMOD 644 f", "SMNT x", "STAT /");

    @RegisterExtension
    final RunningServer server = RunningServer.perTest();

    @BeforeEach
    void start() throws IOException {
        Files.writeString(server.root().resolve("f"), "content");
    }

    @Test
    void greetsWith220AndLogsInWithTheRightPassword() throws IOException {
        ControlConnection c = server.connect();
        assertThat(c.greeting().code()).isEqualTo(220);
        assertThat(c.command("USER alice").code()).isEqualTo(331);
        Reply pass = c.command("PASS " + RunningServer.ALICE_PASSWORD);
        assertThat(pass.code()).isEqualTo(230);
        assertThat(c.command("PWD").text()).startsWith("\"/\"");
    }

    @Test
    void commonsNetLogsInAndOut() throws IOException {
        FTPClient ftp = server.alice();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/");
        assertThat(ftp.logout()).isTrue();
        assertThat(ftp.getReplyCode()).isEqualTo(221);
    }

    @Test
    void everyCommandThatNeedsALoginGets530Before() throws IOException {
        ControlConnection c = server.connect();
        for (String command : NEED_LOGIN) {
            assertThat(c.command(command).code()).as(command).isEqualTo(530);
        }
        assertThat(server.root().resolve("d")).doesNotExist();
        assertThat(server.root().resolve("f")).hasContent("content");
        // and after all that the session still works
        assertThat(c.login(RunningServer.ALICE, RunningServer.ALICE_PASSWORD).code()).isEqualTo(230);
    }

    @Test
    void theCommandsAllowedBeforeLoginWork() throws IOException {
        ControlConnection c = server.connect();
        assertThat(c.command("FEAT").code()).isEqualTo(211);
        assertThat(c.command("SYST").code()).isEqualTo(215);
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        assertThat(c.command("HELP").code()).isEqualTo(214);
        assertThat(c.command("OPTS UTF8 ON").code()).isEqualTo(200);
        assertThat(c.command("STAT").code()).isEqualTo(211);
        assertThat(c.command("TYPE I").code()).isEqualTo(200);
        assertThat(c.command("MODE S").code()).isEqualTo(200);
        assertThat(c.command("STRU F").code()).isEqualTo(200);
        assertThat(c.command("AUTH TLS").code()).isEqualTo(502);
        assertThat(c.command("QUIT").code()).isEqualTo(221);
        assertThat(c.awaitClosedByServer()).isTrue();
    }

    @Test
    void aWrongPasswordGets530AndTheRightOneStillWorksAfterwards() throws IOException {
        ControlConnection c = server.connect();
        assertThat(c.login(RunningServer.ALICE, "wrong").code()).isEqualTo(530);
        assertThat(c.command("PWD").code()).isEqualTo(530);
        assertThat(c.login(RunningServer.ALICE, RunningServer.ALICE_PASSWORD).code()).isEqualTo(230);
    }

    @Test
    void anUnknownUserGets530LikeAWrongPassword() throws IOException {
        ControlConnection c = server.connect();
        assertThat(c.command("USER mallory").code()).isEqualTo(331);
        assertThat(c.command("PASS anything").code()).isEqualTo(530);
    }

    @Test
    void theThirdWrongPasswordClosesTheConnectionWith421() throws IOException {
        ControlConnection c = server.connect();
        assertThat(c.login(RunningServer.ALICE, "wrong1").code()).isEqualTo(530);
        assertThat(c.login(RunningServer.ALICE, "wrong2").code()).isEqualTo(530);
        assertThat(c.login(RunningServer.ALICE, "wrong3").code()).isEqualTo(421);
        assertThat(c.awaitClosedByServer()).isTrue();
        // others, and the same user on a new connection, are not locked out
        assertThat(server.connectAsAlice().command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void passWithoutUserIsABadSequence() throws IOException {
        ControlConnection c = server.connect();
        assertThat(c.command("PASS secret").code()).isEqualTo(503);
    }

    @Test
    void userNeedsAName() throws IOException {
        assertThat(server.connect().command("USER").code()).isEqualTo(501);
    }

    @Test
    void acctIsSuperfluous() throws IOException {
        ControlConnection c = server.connectAsAlice();
        assertThat(c.command("ACCT billing").code()).isEqualTo(202);
    }

    @Test
    void reinLogsOutAndAnotherUserCanLogIn() throws IOException {
        ControlConnection c = server.connectAsAlice();
        assertThat(c.command("CWD /").code()).isEqualTo(250);
        assertThat(c.command("TYPE I").code()).isEqualTo(200);
        assertThat(c.command("REIN").code()).isEqualTo(220);
        assertThat(c.command("PWD").code()).isEqualTo(530);
        assertThat(c.command("STAT").all()).contains("Not logged in").contains("ASCII");
        assertThat(c.login(RunningServer.READER, RunningServer.READER_PASSWORD).code()).isEqualTo(230);
        assertThat(c.command("DELE f").code()).isEqualTo(550);
        assertThat(server.root().resolve("f")).exists();
    }

    @Test
    void commonsNetReinitialize() throws IOException {
        FTPClient ftp = server.alice();
        assertThat(ftp.reinitialize()).isTrue();
        assertThat(ftp.login(RunningServer.READER, RunningServer.READER_PASSWORD)).isTrue();
    }

    @Test
    void anonymousLogsInWithAnyPasswordReadOnlyWhenEnabled() throws IOException {
        assertThat(server.connect().login("anonymous", "guest@example.com").code()).isEqualTo(530);
        try (RunningServer open = RunningServer.start(server.root(), config -> config.withAnonymous(true))) {
            for (String name : new String[] {"anonymous", "ftp", "Anonymous"}) {
                ControlConnection c = open.connect();
                assertThat(c.login(name, "guest@example.com").code()).as(name).isEqualTo(230);
                assertThat(new String(c.download("RETR f"))).isEqualTo("content");
                assertThat(c.command("DELE f").code()).isEqualTo(550);
                assertThat(c.command("MKD d").code()).isEqualTo(550);
                assertThat(c.command("CWD ..").code()).isEqualTo(250);
                assertThat(c.command("PWD").text()).startsWith("\"/\"");
            }
            ControlConnection noPassword = open.connect();
            assertThat(noPassword.command("USER ftp").code()).isEqualTo(331);
            assertThat(noPassword.command("PASS").code()).isEqualTo(230);
        }
        assertThat(server.root().resolve("f")).hasContent("content");
        assertThat(server.root().resolve("d")).doesNotExist();
    }

    @Test
    void quitReplies221AndCloses() throws IOException {
        ControlConnection c = server.connectAsAlice();
        assertThat(c.command("QUIT").code()).isEqualTo(221);
        assertThat(c.awaitClosedByServer()).isTrue();
    }

    @Test
    void theReadOnlyUserMayReadButChangeNothing() throws IOException {
        ControlConnection c = server.connectAs(RunningServer.READER, RunningServer.READER_PASSWORD);
        assertThat(new String(c.download("RETR f"))).isEqualTo("content");
        for (String command : List.of("DELE f", "MKD d", "RMD d", "RNFR f", "MFMT 20200101000000 f", "SITE CHMOD 600 f")) {
            Reply reply = c.command(command);
            assertThat(reply.code()).as(command).isEqualTo(550);
            assertThat(reply.text()).as(command).containsIgnoringCase("permission");
        }
        for (String command : List.of("STOR f", "APPE f", "STOU")) {
            var data = c.openPassive();
            assertThat(c.command(command).code()).as(command).isEqualTo(550);
            data.close();
        }
        assertThat(server.root().resolve("f")).hasContent("content");
        try (var files = Files.list(server.root())) {
            assertThat(files).containsExactly(server.root().resolve("f"));
        }
    }
}
