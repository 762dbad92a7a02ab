package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.JftpdTest;
import dev.jftp.client.support.TestServer;
import org.junit.jupiter.api.Test;

class SessionCommandsTest extends JftpdTest {
    @Test
    void closeAndOpenReconnect() {
        client.ok("close");
        assertThat(client.session().isConnected()).isFalse();
        assertThat(client.run("pwd")).isFalse();
        assertThat(client.err()).isEqualTo("Not connected. Use \"open\" to connect.\n");
        client.clear().ok("open").ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: /\n");
        assertThat(client.err()).isEqualTo("Connected to 127.0.0.1.\n");
        client.clear();
        assertThat(client.run("open")).isFalse();
        assertThat(client.err()).isEqualTo("Already connected to 127.0.0.1; use \"close\" first.\n");
    }

    @Test
    void openAfterTheServerWentAwayReconnectsToTheSameDirectory() throws Exception {
        remoteFile("deep/er/file.txt", "f");
        client.ok("cd deep/er");
        int port = server.port();
        server.close(); // the server goes away while the session sits at the prompt
        server = TestServer.start(root, port);
        client.clear().ok("open");
        assertThat(client.err()).as("no \"Already connected\": the dead connection was noticed")
                .startsWith("Connection to 127.0.0.1 lost: ").endsWith("Connected to 127.0.0.1.\n");
        client.clear().ok("pwd").ok("ls -1");
        assertThat(client.out()).isEqualTo("Remote working directory: /deep/er\nfile.txt\n");
    }

    @Test
    void openAfterALostConnectionReturnsToTheSameDirectory() throws Exception {
        remoteFile("deep/file.txt", "f");
        client.ok("cd deep");
        int port = server.port();
        server.close();
        assertThat(client.run("ls")).isFalse();
        assertThat(client.err()).contains("Connection to 127.0.0.1 lost").contains("Use \"open\" to reconnect.");
        server = TestServer.start(root, port);
        client.clear().ok("open").ok("pwd");
        assertThat(client.out()).isEqualTo("Remote working directory: /deep\n");
        client.clear().ok("close").ok("open").ok("pwd");
        assertThat(client.out()).as("after close, open starts at home as usual").isEqualTo("Remote working directory: /\n");
    }

    @Test
    void aWrongPasswordIsAskedForAgainUpToThreeTimes() {
        client.ok("close");
        client.typedPasswords.add("wrong1");
        client.typedPasswords.add(TestServer.PASSWORD);
        client.clear().ok("open alice@127.0.0.1 " + server.port());
        assertThat(client.prompts).isEqualTo(2);
        assertThat(client.err()).isEqualTo("Permission denied, please try again.\nConnected to 127.0.0.1.\n");
    }

    @Test
    void threeWrongPasswordsEndWithAnError() {
        client.ok("close");
        client.typedPasswords.addAll(java.util.List.of("wrong1", "wrong2", "wrong3", TestServer.PASSWORD));
        assertThat(client.clear().run("open alice@127.0.0.1 " + server.port())).isFalse();
        assertThat(client.prompts).isEqualTo(3);
        assertThat(client.session().isConnected()).isFalse();
        assertThat(client.err()).isEqualTo("""
                Permission denied, please try again.
                Permission denied, please try again.
                alice@127.0.0.1: Permission denied (3 failed logins).
                """);
    }

    @Test
    void aClosedPortFailsBeforeAnyPasswordIsAskedFor() throws Exception {
        client.ok("close");
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        client.typedPasswords.add(TestServer.PASSWORD);
        assertThat(client.clear().run("open alice@127.0.0.1 " + closedPort)).isFalse();
        assertThat(client.err()).isEqualTo("Connection to 127.0.0.1 port " + closedPort + " refused\n");
        assertThat(client.prompts).as("ssh and sftp connect before they ask").isZero();
    }

    @Test
    void openNamesHostPortAndStartDirectory() throws Exception {
        remoteFile("start/here.txt", "h");
        client.ok("close");
        client.typedPasswords.add(TestServer.PASSWORD);
        client.ok("open alice@127.0.0.1:start " + server.port()).ok("pwd");
        assertThat(client.prompts).as("the password was asked for once").isEqualTo(1);
        assertThat(client.out()).contains("Remote working directory: /start");
        client.clear().ok("close");
        assertThat(client.run("open 127.0.0.1 notaport")).isFalse();
        assertThat(client.err()).isEqualTo("open: bad port \"notaport\"\n");
    }

    @Test
    void userLogsInAgainAsSomeoneElse() throws Exception {
        client.ok("user reader secret");
        localFile("x.txt", "x");
        assertThat(client.run("put x.txt")).isFalse();
        assertThat(client.err()).as("reader may not write").contains("Permission denied");
        client.clear();
        assertThat(client.run("user alice wrong")).isFalse();
        assertThat(client.err()).contains("Login as alice failed");
        client.clear().ok("user alice secret").ok("put x.txt");
        assertThat(root.resolve("x.txt")).hasContent("x");
    }

    @Test
    void typeAndModeSwitchesReport() {
        client.ok("binary").ok("ascii").ok("binary").ok("passive off").ok("passive on").ok("progress").ok("progress");
        assertThat(client.out()).isEqualTo("""
                Transfer type: binary
                Transfer type: ascii (line ends converted; resume is off)
                Transfer type: binary
                Passive mode: off (active: EPRT, else PORT)
                Passive mode: on (EPSV, else PASV)
                Progress meter disabled
                Progress meter enabled
                """);
        assertThat(client.run("passive maybe")).isFalse();
        assertThat(client.err()).isEqualTo("Usage: passive [on|off]\n");
    }

    @Test
    void versionAndHelpDescribe() {
        client.ok("version");
        assertThat(client.out()).contains("jftp " + ClientSession.VERSION).contains("Server: jftpd ready (UNIX Type: L8)").contains("MLST");
        client.clear().ok("help");
        for (CommandTable.Command c : client.session().commands().all()) {
            assertThat(client.out()).contains(c.usage());
        }
        client.clear().ok("? get");
        assertThat(client.out()).isEqualTo("get [-afPpRr] remote [local]\n    Download file(s)\n");
        assertThat(client.run("help nosuch")).isFalse();
        assertThat(client.err()).isEqualTo("help: no command \"nosuch\"\n");
    }

    @Test
    void bangRunsALocalCommand() throws Exception {
        client.ok("!echo hello > made-by-shell.txt");
        assertThat(client.local.resolve("made-by-shell.txt")).hasContent("hello");
        client.ok("!cat made-by-shell.txt");
        assertThat(client.out()).isEqualTo("hello\n");
        assertThat(client.run("!exit 3")).isFalse();
        assertThat(client.err()).isEqualTo("Shell exited with status 3\n");
    }

    @Test
    void byeExitAndQuitEndTheSession() throws Exception {
        for (String word : new String[] {"bye", "exit", "quit"}) {
            try (var other = new dev.jftp.client.support.TestClient(base.resolve(word)).connect(server)) {
                other.ok(word);
                assertThat(other.session().exitRequested()).isTrue();
                assertThat(other.session().isConnected()).isFalse();
            }
        }
    }

    @Test
    void anUnknownCommandIsNamed() {
        assertThat(client.run("fetch x")).isFalse();
        assertThat(client.err()).isEqualTo("Invalid command \"fetch\" (\"help\" lists the commands)\n");
        client.clear();
        assertThat(client.run("get 'unterminated")).isFalse();
        assertThat(client.err()).isEqualTo("Unterminated quote (') in command line\n");
        client.clear().ok("   ").ok("# a comment");
        assertThat(client.err()).isEmpty();
    }
}
