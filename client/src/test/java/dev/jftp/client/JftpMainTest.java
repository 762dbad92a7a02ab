package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.support.TestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole program (command line, login, batch mode, URL download) with its world replaced by test doubles. */
class JftpMainTest {
    @TempDir
    Path base;
    Path root;
    Path home;
    Path cwd;
    TestServer server;
    final Map<String, String> env = new HashMap<>();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Deque<String> typed = new ArrayDeque<>();
    int prompts;
    boolean terminal;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(base.resolve("root"));
        home = Files.createDirectories(base.resolve("home"));
        cwd = Files.createDirectories(base.resolve("cwd"));
        server = TestServer.start(root);
        env.put("USER", "alice");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int jftp(String stdin, String... args) {
        Environment environment = new Environment(env, home, cwd, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), terminal, 80, prompt -> {
                    prompts++;
                    String next = typed.poll();
                    return next == null ? null : next.toCharArray();
                });
        return Jftp.run(args, environment);
    }

    private String port() {
        return Integer.toString(server.port());
    }

    private Path batch(String text) throws Exception {
        return Files.writeString(base.resolve("batch.txt"), text);
    }

    @Test
    void aBatchThatSucceedsEchoesEveryCommandAndExitsZero() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("", "-b", batch("# comment\n\nget a.txt\nmkdir d\n@pwd\nls -1\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo("jftp> get a.txt\njftp> mkdir d\nRemote working directory: /\njftp> ls -1\na.txt\nd\n");
        assertThat(cwd.resolve("a.txt")).hasContent("a");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theFirstFailureStopsTheBatchWithExitStatusOne() throws Exception {
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("", "-b", batch("mkdir one\nget missing.txt\nmkdir two\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("jftp> mkdir one\njftp> get missing.txt\n");
        assertThat(err.toString()).isEqualTo("File \"missing.txt\" not found.\n");
        assertThat(root.resolve("one")).isDirectory();
        assertThat(root.resolve("two")).doesNotExist();
    }

    @Test
    void aLeadingDashLetsACommandFail() throws Exception {
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("", "-b", batch("-get missing.txt\n- rm missing.txt\nmkdir after\nbogus\nmkdir never\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(root.resolve("after")).isDirectory();
        assertThat(root.resolve("never")).doesNotExist();
        assertThat(err.toString()).contains("File \"missing.txt\" not found.").contains("Invalid command \"bogus\"");
    }

    @Test
    void batchFromStandardInput() throws Exception {
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("mkdir fromstdin\nbye\nmkdir notreached\n", "-b", "-", "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(root.resolve("fromstdin")).isDirectory();
        assertThat(root.resolve("notreached")).doesNotExist();
    }

    @Test
    void theEchoHidesAPasswordGivenToUser() throws Exception {
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("", "-b", batch("user reader " + TestServer.PASSWORD + "\npwd\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(out.toString()).startsWith("jftp> user reader ****\n").doesNotContain(TestServer.PASSWORD);
    }

    @Test
    void aMissingBatchFileIsReported() {
        assertThat(jftp("", "-b", "nosuch.batch", "-P", port(), "alice@127.0.0.1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jftp: Couldn't open batch file \"nosuch.batch\"\n");
    }

    @Test
    void commandsPipedWithoutDashBAllRunAndAFailureSetsTheStatus() throws Exception {
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("get missing\nmkdir still\n", "-P", port(), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(root.resolve("still")).isDirectory();
        assertThat(out.toString()).contains("jftp> get missing").contains("jftp> mkdir still");
    }

    @Test
    void batchModeNeverAsksForAPasswordEvenOnATerminal() throws Exception {
        // sftp -b sets BatchMode: a script fails instead of hanging at a prompt. (The prompts
        // themselves: SessionCommandsTest, and InteractiveIT on a real terminal.)
        terminal = true;
        typed.add(TestServer.PASSWORD);
        int status = jftp("", "-b", batch("mkdir never\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isEqualTo(1);
        assertThat(prompts).isZero();
        assertThat(root.resolve("never")).doesNotExist();
        assertThat(err.toString()).isEqualTo("No password for alice@127.0.0.1: set JFTP_PASSWORD or put the host in ~/.netrc"
                + " (jftp asks only on a terminal, never with -b)\n");
    }

    @Test
    void withoutATerminalThePasswordMustBeStored() {
        assertThat(jftp("", "-P", port(), "alice@127.0.0.1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("No password for alice@127.0.0.1: set JFTP_PASSWORD or put the host in ~/.netrc"
                + " (jftp asks only on a terminal, never with -b)\n");
        assertThat(prompts).isZero();
        err.getBuffer().setLength(0);
        env.put("JFTP_PASSWORD", "wrong");
        assertThat(jftp("", "-P", port(), "alice@127.0.0.1")).isEqualTo(1);
        assertThat(err.toString()).contains("Permission denied (the stored password was refused and there is no terminal to ask for another)");
    }

    @Test
    void netrcSuppliesLoginAndPassword() throws Exception {
        Path netrc = Files.writeString(home.resolve(".netrc"), "machine 127.0.0.1 login alice password " + TestServer.PASSWORD + "\n");
        Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
        env.put("USER", "somebody-else");
        int status = jftp("", "-b", batch("mkdir vianetrc\n").toString(), "-P", port(), "127.0.0.1");
        assertThat(status).isZero();
        assertThat(root.resolve("vianetrc")).isDirectory();
    }

    @Test
    void aUrlNamingAFileDownloadsItAndExits() throws Exception {
        Files.createDirectories(root.resolve("pub"));
        Files.writeString(root.resolve("pub/file one.txt"), "one");
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("", "ftp://alice@127.0.0.1:" + port() + "/pub/file%20one.txt");
        assertThat(status).isZero();
        assertThat(cwd.resolve("file one.txt")).hasContent("one");
        assertThat(out.toString()).isEqualTo("Fetching pub/file one.txt to " + cwd.resolve("file one.txt") + "\n");

        out.getBuffer().setLength(0);
        assertThat(jftp("", "ftp://alice:" + TestServer.PASSWORD + "@127.0.0.1:" + port() + "/pub/nosuch")).isEqualTo(1);
        assertThat(err.toString()).contains("File \"pub/nosuch\" not found.");
        assertThat(cwd.resolve("nosuch")).doesNotExist();
    }

    @Test
    void hostColonPatternFetchesEveryMatch() throws Exception {
        Files.createDirectories(root.resolve("pub"));
        Files.writeString(root.resolve("pub/a.txt"), "a");
        Files.writeString(root.resolve("pub/b.txt"), "b");
        Files.writeString(root.resolve("pub/c.log"), "c");
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        assertThat(jftp("", "-P", port(), "alice@127.0.0.1:pub/*.txt")).isZero();
        assertThat(cwd.resolve("a.txt")).hasContent("a");
        assertThat(cwd.resolve("b.txt")).hasContent("b");
        assertThat(cwd.resolve("c.log")).doesNotExist();
        assertThat(err.toString()).isEqualTo("Connected to 127.0.0.1.\n");
    }

    @Test
    void theEchoHidesThePasswordOfAUrl() throws Exception {
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("", "-b", batch("close\nopen ftp://alice:" + TestServer.PASSWORD + "@127.0.0.1:" + port() + "/\npwd\n").toString(),
                "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(out.toString()).contains("jftp> open ftp://alice@127.0.0.1:" + port() + "/\n").doesNotContain(TestServer.PASSWORD);
    }

    @Test
    void hostColonDirectoryStartsThere() throws Exception {
        Files.createDirectories(root.resolve("pub/inner"));
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("pwd\n", "-P", port(), "alice@127.0.0.1:pub/inner");
        assertThat(status).isZero();
        assertThat(out.toString()).contains("Remote working directory: /pub/inner");
    }

    @Test
    void verboseShowsTheDialogueButNotThePassword() throws Exception {
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("", "-v", "-b", batch("pwd\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(err.toString()).contains("<-- 220 jftpd ready").contains("--> USER alice").contains("--> PASS ****")
                .contains("--> PWD").contains("<-- 257 \"/\" is the current directory").doesNotContain(TestServer.PASSWORD);
    }

    @Test
    void activeModeFromTheCommandLine() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int status = jftp("", "--active", "-v", "-b", batch("get a.txt\n").toString(), "-P", port(), "alice@127.0.0.1");
        assertThat(status).isZero();
        assertThat(err.toString()).contains("--> EPRT |1|127.0.0.1|").doesNotContain("--> EPSV");
        assertThat(cwd.resolve("a.txt")).hasContent("a");
    }

    @Test
    void recursiveFromTheCommandLine() throws Exception {
        Files.createDirectories(root.resolve("tree/sub"));
        Files.writeString(root.resolve("tree/sub/x"), "x");
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        assertThat(jftp("", "-r", "-b", batch("get tree\n").toString(), "-P", port(), "alice@127.0.0.1")).isZero();
        assertThat(cwd.resolve("tree/sub/x")).hasContent("x");
    }

    @Test
    void connectionProblemsAreReported() {
        env.put("JFTP_PASSWORD", TestServer.PASSWORD);
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(jftp("", "-P", Integer.toString(closedPort), "alice@127.0.0.1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("Connection to 127.0.0.1 port " + closedPort + " refused\n");
        err.getBuffer().setLength(0);
        assertThat(jftp("", "http://example.org/")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jftp: Only ftp:// and ftps:// URLs are understood, not \"http://example.org/\"\n");
    }

    @Test
    void helpAndVersion() {
        assertThat(jftp("", "--version")).isZero();
        assertThat(out.toString()).contains("jftp 0.1.0");
        assertThat(jftp("", "--help")).isZero();
        assertThat(out.toString()).contains("-P=PORT").contains("-b=BATCHFILE").contains("--active");
    }
}
