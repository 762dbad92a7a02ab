package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.TestClient;
import dev.jftp.client.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole program (command line, login, batch mode, URL download) with its world replaced by test doubles. */
class JftpMainTest {
    @TempDir
    Path base;
    Path root;
    TestServer server;
    TestClient client;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(base.resolve("root"));
        server = TestServer.start(root);
        client = new TestClient(base);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private String port() {
        return Integer.toString(server.port());
    }

    @Test
    void aBatchThatSucceedsEchoesEveryCommandAndExitsZero() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("", "-b", client.batch("# comment\n\nget a.txt\nmkdir d\n@pwd\nls -1\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(client.out()).isEqualTo("jftp> get a.txt\njftp> mkdir d\nRemote working directory: /\njftp> ls -1\na.txt\nd\n");
        assertThat(client.local.resolve("a.txt")).hasContent("a");
        assertThat(client.err()).isEmpty();
    }

    @Test
    void theFirstFailureStopsTheBatchWithExitStatusOne() throws Exception {
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("", "-b", client.batch("mkdir one\nget missing.txt\nmkdir two\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(client.out()).isEqualTo("jftp> mkdir one\njftp> get missing.txt\n");
        assertThat(client.err()).isEqualTo("File \"missing.txt\" not found.\n");
        assertThat(root.resolve("one")).isDirectory();
        assertThat(root.resolve("two")).doesNotExist();
    }

    @Test
    void aLeadingDashLetsACommandFail() throws Exception {
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("", "-b", client.batch("-get missing.txt\n- rm missing.txt\nmkdir after\nbogus\nmkdir never\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(root.resolve("after")).isDirectory();
        assertThat(root.resolve("never")).doesNotExist();
        assertThat(client.err()).contains("File \"missing.txt\" not found.").contains("Invalid command \"bogus\"");
    }

    @Test
    void batchFromStandardInput() throws Exception {
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("mkdir fromstdin\nbye\nmkdir notreached\n", "-b", "-", "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(root.resolve("fromstdin")).isDirectory();
        assertThat(root.resolve("notreached")).doesNotExist();
    }

    @Test
    void theEchoHidesAPasswordGivenToUser() throws Exception {
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("", "-b", client.batch("user reader " + TestServer.PASSWORD + "\npwd\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(client.out()).startsWith("jftp> user reader ****\n").doesNotContain(TestServer.PASSWORD);
    }

    @Test
    void aMissingBatchFileIsReported() {
        assertThat(client.jftp("", "-b", "nosuch.batch", "-P", port(), "alice@127.0.0.1")).isEqualTo(1);
        assertThat(client.err()).isEqualTo("jftp: Couldn't open batch file \"nosuch.batch\"\n");
    }

    @Test
    void commandsPipedWithoutDashBAllRunAndAFailureSetsTheStatus() throws Exception {
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("get missing\nmkdir still\n", "-P", port(), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(root.resolve("still")).isDirectory();
        assertThat(client.out()).contains("jftp> get missing").contains("jftp> mkdir still");
    }

    @Test
    void batchModeNeverAsksForAPasswordEvenOnATerminal() throws Exception {
        // sftp -b sets BatchMode: a script fails instead of hanging at a prompt. (The client.prompts
        // themselves: SessionCommandsTest, and InteractiveIT on a real terminal.)
        client.terminal = true;
        client.typedPasswords.add(TestServer.PASSWORD);
        int status = client.jftp("", "-b", client.batch("mkdir never\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(client.prompts).isZero();
        assertThat(root.resolve("never")).doesNotExist();
        assertThat(client.err()).isEqualTo("No password for alice@127.0.0.1: set JFTP_PASSWORD or put the host in ~/.netrc"
                + " (jftp asks only on a terminal, never with -b)\n");
    }

    @Test
    void withoutATerminalThePasswordMustBeStored() {
        assertThat(client.jftp("", "-P", port(), "alice@127.0.0.1")).isEqualTo(1);
        assertThat(client.err()).isEqualTo("No password for alice@127.0.0.1: set JFTP_PASSWORD or put the host in ~/.netrc"
                + " (jftp asks only on a terminal, never with -b)\n");
        assertThat(client.prompts).isZero();
        client.clear();
        client.environment.put("JFTP_PASSWORD", "wrong");
        assertThat(client.jftp("", "-P", port(), "alice@127.0.0.1")).isEqualTo(1);
        assertThat(client.err()).contains("Permission denied (the stored password was refused and there is no terminal to ask for another)");
    }

    @Test
    void netrcSuppliesLoginAndPassword() throws Exception {
        Path netrc = Files.writeString(client.home.resolve(".netrc"), "machine 127.0.0.1 login alice password " + TestServer.PASSWORD + "\n");
        Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
        client.environment.put("USER", "somebody-else");
        int status = client.jftp("", "-b", client.batch("mkdir vianetrc\n").toString(), "-P", port(), "127.0.0.1");
        assertThat(status).isZero();
        assertThat(root.resolve("vianetrc")).isDirectory();
    }

    @Test
    void aUrlNamingAFileDownloadsItAndExits() throws Exception {
        Files.createDirectories(root.resolve("pub"));
        Files.writeString(root.resolve("pub/file one.txt"), "one");
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("", "ftp://alice@127.0.0.1:" + port() + "/pub/file%20one.txt");
        assertThat(status).isZero();
        assertThat(client.local.resolve("file one.txt")).hasContent("one");
        assertThat(client.out()).isEqualTo("Fetching pub/file one.txt to " + client.local.resolve("file one.txt") + "\n");

        client.clear();
        assertThat(client.jftp("", "ftp://alice:" + TestServer.PASSWORD + "@127.0.0.1:" + port() + "/pub/nosuch")).isEqualTo(1);
        assertThat(client.err()).contains("File \"pub/nosuch\" not found.");
        assertThat(client.local.resolve("nosuch")).doesNotExist();
    }

    @Test
    void hostColonPatternFetchesEveryMatch() throws Exception {
        Files.createDirectories(root.resolve("pub"));
        Files.writeString(root.resolve("pub/a.txt"), "a");
        Files.writeString(root.resolve("pub/b.txt"), "b");
        Files.writeString(root.resolve("pub/c.log"), "c");
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        assertThat(client.jftp("", "-P", port(), "alice@127.0.0.1:pub/*.txt")).isZero();
        assertThat(client.local.resolve("a.txt")).hasContent("a");
        assertThat(client.local.resolve("b.txt")).hasContent("b");
        assertThat(client.local.resolve("c.log")).doesNotExist();
        assertThat(client.err()).isEqualTo("Connected to 127.0.0.1.\n");
    }

    @Test
    void theEchoHidesThePasswordOfAUrl() throws Exception {
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("", "-b", client.batch("close\nopen ftp://alice:" + TestServer.PASSWORD + "@127.0.0.1:" + port() + "/\npwd\n").toString(),
                "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(client.out()).contains("jftp> open ftp://alice@127.0.0.1:" + port() + "/\n").doesNotContain(TestServer.PASSWORD);
    }

    @Test
    void hostColonDirectoryStartsThere() throws Exception {
        Files.createDirectories(root.resolve("pub/inner"));
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("pwd\n", "-P", port(), "alice@127.0.0.1:pub/inner");
        assertThat(status).isZero();
        assertThat(client.out()).contains("Remote working directory: /pub/inner");
    }

    @Test
    void verboseShowsTheDialogueButNotThePassword() throws Exception {
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("", "-v", "-b", client.batch("pwd\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(client.err()).contains("<-- 220 jftpd ready").contains("--> USER alice").contains("--> PASS ****")
                .contains("--> PWD").contains("<-- 257 \"/\" is the current directory").doesNotContain(TestServer.PASSWORD);
    }

    @Test
    void activeModeFromTheCommandLine() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = client.jftp("", "--active", "-v", "-b", client.batch("get a.txt\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(client.err()).contains("--> EPRT |1|127.0.0.1|").doesNotContain("--> EPSV");
        assertThat(client.local.resolve("a.txt")).hasContent("a");
    }

    @Test
    void recursiveFromTheCommandLine() throws Exception {
        Files.createDirectories(root.resolve("tree/sub"));
        Files.writeString(root.resolve("tree/sub/x"), "x");
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        assertThat(client.jftp("", "-r", "-b", client.batch("get tree\n").toString(), "-P", port(), "alice@127.0.0.1")).isZero();
        assertThat(client.local.resolve("tree/sub/x")).hasContent("x");
    }

    @Test
    void connectionProblemsAreReported() {
        client.environment.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(client.jftp("", "-P", Integer.toString(closedPort), "alice@127.0.0.1")).isEqualTo(1);
        assertThat(client.err()).isEqualTo("Connection to 127.0.0.1 port " + closedPort + " refused\n");
        client.clear();
        assertThat(client.jftp("", "http://example.org/")).isEqualTo(1);
        assertThat(client.err()).isEqualTo("jftp: Only ftp://, ftps:// and sftp:// URLs are understood, not \"http://example.org/\"\n");
    }

    @Test
    void helpAndVersion() {
        assertThat(client.jftp("", "--version")).isZero();
        assertThat(client.out()).contains("jftp 0.1.0");
        assertThat(client.jftp("", "--help")).isZero();
        assertThat(client.out()).contains("-P=PORT").contains("-b=BATCHFILE").contains("--active");
    }
}
