package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jftp.server.testing.ExternalCommand;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of bin/jftpd, run as a real process: what it prints, the ways to configure
 * users, how it stops, and the limits it is given. Transfers are driven with Apache Commons Net and
 * raw sockets.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JftpdCliIT {
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    @TempDir
    Path work;

    private JftpdProcess start(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0"));
        all.addAll(List.of(args));
        return JftpdProcess.start(work, all.toArray(String[]::new));
    }

    private static FTPClient connect(int port) throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setConnectTimeout(20_000);
        ftp.setDefaultTimeout(30_000);
        ftp.setDataTimeout(Duration.ofSeconds(30));
        ftp.connect("127.0.0.1", port);
        ftp.setSoTimeout(30_000);
        assertThat(ftp.getReplyCode()).isEqualTo(220);
        return ftp;
    }

    private static FTPClient login(int port, String user, String password) throws IOException {
        FTPClient ftp = connect(port);
        assertThat(ftp.login(user, password)).as("login %s: %s", user, ftp.getReplyString()).isTrue();
        ftp.enterLocalPassiveMode();
        assertThat(ftp.setFileType(FTP.BINARY_FILE_TYPE)).isTrue();
        return ftp;
    }

    private static void quit(FTPClient ftp) throws IOException {
        assertThat(ftp.logout()).isTrue();
        ftp.disconnect();
    }

    private static byte[] retrieve(FTPClient ftp, String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile(path, out)).as("RETR %s: %s", path, ftp.getReplyString()).isTrue();
        return out.toByteArray();
    }

    // ---- what it prints ----

    @Test
    void portZeroPrintsExactlyOneListeningLineAndSigtermWhileIdleExitsZeroPromptly() throws Exception {
        JftpdProcess jftpd = start("--user", "a:b");
        try {
            FTPClient idle = login(jftpd.port(), "a", "b"); // a logged-in session that does nothing must not hold up the stop
            assertThat(jftpd.port()).isPositive();
            assertThat(jftpd.host()).isEqualTo("127.0.0.1");

            long started = System.nanoTime();
            jftpd.terminate();
            Integer exit = jftpd.awaitExit(PROMPTLY);

            assertThat(exit).as("exit status within %s s of SIGTERM; stderr:%n%s", PROMPTLY.toSeconds(), jftpd.stderr()).isEqualTo(0);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
            assertThat(jftpd.stdoutLines()).as("standard output carries only the ready line")
                    .singleElement().satisfies(l -> assertThat(l).isEqualTo("jftpd listening on 127.0.0.1:" + jftpd.port()));
            assertThat(jftpd.stderr()).contains("jftpd: stopping");
            // The idle session was closed by the stop.
            assertThat(readsEndOfStream(idle)).isTrue();
            idle.disconnect();
        } finally {
            jftpd.close();
        }
    }

    /** True when the control connection is closed by the peer (a NOOP gets no reply). */
    private static boolean readsEndOfStream(FTPClient ftp) {
        try {
            int code = ftp.sendCommand("NOOP");
            return code == 421 || code < 0;
        } catch (IOException e) {
            return true; // FTPConnectionClosedException or a reset: closed
        }
    }

    @Test
    void withNoUserConfiguredItMakesOneWithARandomPasswordAndPrintsHowToLogIn() throws Exception {
        // No --root, no user options, and no ./jftpd.users in the working directory: the README's first command.
        try (JftpdProcess jftpd = start()) {
            Pattern example = Pattern.compile("curl ftp://jftp:(\\S+)@127\\.0\\.0\\.1:(\\d+)/");
            Matcher m = example.matcher(jftpd.stderr());
            assertThat(m.find()).as("stderr shows how to log in:%n%s", jftpd.stderr()).isTrue();
            String password = m.group(1);
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(jftpd.port());
            assertThat(password).hasSizeGreaterThanOrEqualTo(12);
            assertThat(jftpd.stderr()).contains("user 'jftp', password '" + password + "'");
            assertThat(work.resolve("ftp-root")).isDirectory();

            FTPClient ftp = login(jftpd.port(), "jftp", password);
            assertThat(ftp.storeFile("hello.txt", new ByteArrayInputStream("hi\n".getBytes(StandardCharsets.US_ASCII)))).isTrue();
            quit(ftp);
            assertThat(work.resolve("ftp-root/hello.txt")).hasBinaryContent("hi\n".getBytes(StandardCharsets.US_ASCII));

            FTPClient wrong = connect(jftpd.port());
            assertThat(wrong.login("jftp", password + "x")).isFalse();
            assertThat(wrong.getReplyCode()).isEqualTo(530);
            wrong.disconnect();
        }
        // A second run makes another password.
        try (JftpdProcess again = start()) {
            assertThat(again.stderr()).contains("user 'jftp', password '");
            Matcher m = Pattern.compile("password '(\\S+)'").matcher(again.stderr());
            assertThat(m.find()).isTrue();
            FTPClient ftp = login(again.port(), "jftp", m.group(1));
            assertThat(retrieve(ftp, "hello.txt")).isEqualTo("hi\n".getBytes(StandardCharsets.US_ASCII));
            quit(ftp);
        }
    }

    @Test
    void userOptionAddsReadWriteUsersWhoseHomeIsTheRoot() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        try (JftpdProcess jftpd = start("--root", root.toString(), "--user", "a:b", "--user", "second:pass:with:colons")) {
            assertThat(jftpd.stderr()).doesNotContain("no user configured", "pass:with:colons");
            FTPClient a = login(jftpd.port(), "a", "b");
            byte[] data = TestData.binary(100_000, 40);
            assertThat(a.makeDirectory("dir")).isTrue();
            assertThat(a.storeFile("dir/file.bin", new ByteArrayInputStream(data))).isTrue();
            assertThat(a.rename("dir/file.bin", "dir/renamed.bin")).isTrue();
            assertThat(root.resolve("dir/renamed.bin")).hasBinaryContent(data);
            quit(a);

            FTPClient second = login(jftpd.port(), "second", "pass:with:colons");
            assertThat(second.printWorkingDirectory()).isEqualTo("/");
            assertThat(retrieve(second, "dir/renamed.bin")).isEqualTo(data);
            assertThat(second.deleteFile("dir/renamed.bin")).isTrue();
            assertThat(second.removeDirectory("dir")).isTrue();
            quit(second);
            assertThat(root.resolve("dir")).doesNotExist();
        }
    }

    @Test
    void storageMemoryKeepsFilesInTheProcessAndNothingOnDisk() throws Exception {
        Path root = work.resolve("root");
        byte[] data = TestData.binary(300_000, 41);
        try (JftpdProcess jftpd = start("--root", root.toString(), "--storage", "memory", "--user", "a:b")) {
            FTPClient a = login(jftpd.port(), "a", "b");
            assertThat(a.makeDirectory("dir")).isTrue();
            assertThat(a.storeFile("dir/file.bin", new ByteArrayInputStream(data))).isTrue();
            assertThat(a.appendFile("dir/file.bin", new ByteArrayInputStream(data))).as(a.getReplyString()).isTrue();
            assertThat(a.listNames("dir")).containsExactly("file.bin");
            assertThat(a.rename("dir/file.bin", "renamed.bin")).isTrue();
            byte[] twice = new byte[2 * data.length];
            System.arraycopy(data, 0, twice, 0, data.length);
            System.arraycopy(data, 0, twice, data.length, data.length);
            assertThat(retrieve(a, "renamed.bin")).isEqualTo(twice);
            quit(a);
        }
        assertThat(root).as("--storage memory writes no file below --root").doesNotExist();

        ExternalCommand.Result bad = JftpdProcess.run(work, null, "--storage", "tape", "--port", "0", "--user", "a:b");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--storage takes local, memory or s3://BUCKET/PREFIX");
    }

    @Test
    void usersFileWrittenByUserAddWorksAndHoldsNoPlainTextPassword() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Path users = work.resolve("conf/users");
        ExternalCommand.Result carol = JftpdProcess.run(work, "carol-Secret-1\n", "user", "add", "carol", "--home", "carol", "--read-only", "--users", users.toString());
        assertThat(carol.exit()).as(carol.describe()).isZero();
        ExternalCommand.Result dave = JftpdProcess.run(work, "dave-Secret-2\n", "user", "add", "dave", "--home", "dave", "--users", users.toString());
        assertThat(dave.exit()).as(dave.describe()).isZero();

        String file = Files.readString(users);
        assertThat(file).doesNotContain("carol-Secret-1", "dave-Secret-2", "Secret");
        assertThat(file.lines().filter(l -> !l.startsWith("#")).toList()).satisfiesExactly(
                l -> assertThat(l).matches("carol:pbkdf2-sha256\\$\\d+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+:carol:read"),
                l -> assertThat(l).matches("dave:pbkdf2-sha256\\$\\d+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+:dave:read,write,delete,mkdir,rename"));

        byte[] shared = TestData.binary(50_000, 41);
        Files.createDirectories(root.resolve("carol"));
        Files.write(root.resolve("carol/shared.bin"), shared);
        Files.writeString(root.resolve("top-secret.txt"), "outside carol's home");

        try (JftpdProcess jftpd = start("--root", root.toString(), "--users", users.toString())) {
            assertThat(jftpd.stderr()).doesNotContain("no user configured");

            FTPClient c = login(jftpd.port(), "carol", "carol-Secret-1");
            assertThat(c.listNames()).containsExactly("shared.bin");
            assertThat(retrieve(c, "shared.bin")).isEqualTo(shared);
            // Read-only ...
            assertThat(c.storeFile("new.bin", new ByteArrayInputStream(new byte[10]))).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
            assertThat(c.deleteFile("shared.bin")).isFalse();
            assertThat(c.makeDirectory("d")).isFalse();
            // ... and jailed in her home.
            assertThat(c.changeWorkingDirectory("..")).isTrue();
            assertThat(c.printWorkingDirectory()).isEqualTo("/");
            assertThat(c.retrieveFile("../top-secret.txt", new ByteArrayOutputStream())).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
            quit(c);
            assertThat(root.resolve("carol/new.bin")).doesNotExist();

            FTPClient d = login(jftpd.port(), "dave", "dave-Secret-2");
            assertThat(d.storeFile("mine.bin", new ByteArrayInputStream(shared))).isTrue();
            quit(d);
            assertThat(root.resolve("dave/mine.bin")).hasBinaryContent(shared);

            FTPClient wrong = connect(jftpd.port());
            assertThat(wrong.login("carol", "dave-Secret-2")).isFalse();
            assertThat(wrong.getReplyCode()).isEqualTo(530);
            wrong.disconnect();
        }
    }

    @Test
    void anonymousLoginIsReadOnlyAndJailedInTheRoot() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        byte[] pub = TestData.binary(30_000, 42);
        Files.write(root.resolve("pub.bin"), pub);
        try (JftpdProcess jftpd = start("--root", root.toString(), "--anonymous")) {
            assertThat(jftpd.stderr()).doesNotContain("no user configured");
            for (String name : List.of("anonymous", "ftp")) {
                FTPClient ftp = login(jftpd.port(), name, "someone@example.org");
                assertThat(ftp.listNames()).containsExactly("pub.bin");
                assertThat(retrieve(ftp, "pub.bin")).isEqualTo(pub);
                assertThat(ftp.storeFile("upload.bin", new ByteArrayInputStream(new byte[5]))).isFalse();
                assertThat(ftp.getReplyCode()).isEqualTo(550);
                assertThat(ftp.appendFile("pub.bin", new ByteArrayInputStream(new byte[5]))).isFalse();
                assertThat(ftp.deleteFile("pub.bin")).isFalse();
                assertThat(ftp.getReplyCode()).isEqualTo(550);
                assertThat(ftp.makeDirectory("d")).isFalse();
                assertThat(ftp.rename("pub.bin", "other.bin")).isFalse();
                assertThat(ftp.changeWorkingDirectory("/..")).isTrue();
                assertThat(ftp.printWorkingDirectory()).isEqualTo("/");
                quit(ftp);
            }
            assertThat(root.resolve("pub.bin")).hasBinaryContent(pub);
            try (var files = Files.list(root)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("pub.bin");
            }
            // Anonymous only: no other user exists.
            FTPClient named = connect(jftpd.port());
            assertThat(named.login("jftp", "anything")).isFalse();
            named.disconnect();
        }
    }

    // ---- stopping ----

    @Test
    void sigtermDuringATransferLetsItFinishThenExitsZero() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        int size = 64 * 1024 * 1024;
        Path big = TestData.writeBinary(root.resolve("big.bin"), size, 43);
        String expected = sha256(Files.readAllBytes(big));

        JftpdProcess jftpd = start("--root", root.toString(), "--user", "a:b");
        try {
            FTPClient ftp = login(jftpd.port(), "a", "b");
            InputStream in = ftp.retrieveFileStream("big.bin");
            assertThat(in).as(ftp.getReplyString()).isNotNull();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long received = readUpTo(in, digest, buffer, 1024 * 1024);

            // The transfer is running and the client is not reading: the server waits on a full socket.
            jftpd.terminate();
            assertThat(jftpd.awaitStderr("jftpd: stopping", PROMPTLY)).as(jftpd.stderr()).isTrue();
            assertThat(jftpd.isAlive()).as("still running while the transfer goes on").isTrue();
            // It no longer accepts new connections.
            awaitRefused(jftpd.port());

            received += readUpTo(in, digest, buffer, Long.MAX_VALUE);
            in.close();
            assertThat(received).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);
            assertThat(ftp.completePendingCommand()).as("226 after the transfer: %s", ftp.getReplyString()).isTrue();

            Integer exit = jftpd.awaitExit(PROMPTLY);
            assertThat(exit).as(jftpd.stderr()).isEqualTo(0);
            assertThat(jftpd.stderr()).contains("RETR session=").contains("bytes=" + size).contains("status=ok");
            ftp.disconnect();
        } finally {
            jftpd.close();
        }
    }

    private static long readUpTo(InputStream in, MessageDigest digest, byte[] buffer, long limit) throws IOException {
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            digest.update(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** Waits (bounded) until connecting to the port is refused; throws if it never is. */
    private static void awaitRefused(int port) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 150; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            } catch (ConnectException refused) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("port " + port + " still accepts connections after SIGTERM");
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    // ---- limits ----

    /** Connects and returns the first reply line (220 greeting, or 421 when refused). */
    private static String greeting(Socket socket, int port) throws IOException {
        socket.setSoTimeout(20_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
        BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? "(closed)" : line;
    }

    @Test
    void maxSessionsRefusesConnectionsBeyondTheLimitWith421() throws Exception {
        try (JftpdProcess jftpd = start("--user", "a:b", "--max-sessions", "2");
             Socket first = new Socket(); Socket second = new Socket()) {
            assertThat(greeting(first, jftpd.port())).startsWith("220");
            assertThat(greeting(second, jftpd.port())).startsWith("220");
            try (Socket third = new Socket()) {
                assertThat(greeting(third, jftpd.port())).isEqualTo("421 Too many users connected, try again later");
            }
            // A session that ends gives its place back.
            first.close();
            assertThat(eventuallyGreets(jftpd.port(), "220")).isTrue();
        }
    }

    /** Tries a bounded number of times (the server notices the closed session asynchronously). */
    private static boolean eventuallyGreets(int port, String prefix) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Socket s = new Socket()) {
                if (greeting(s, port).startsWith(prefix)) {
                    return true;
                }
            }
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * With the defaults, 200 clients from one address (a load test from one host, users behind one
     * NAT address) all log in and stay logged in together: there is no per-address limit unless
     * --max-sessions-per-ip sets one. (It was 50 by default: the 51st got 421.)
     */
    @Test
    void twoHundredConcurrentSessionsFromOneAddressAllLogInWithTheDefaults() throws Exception {
        int clients = 200;
        try (JftpdProcess jftpd = start("--user", "a:b");
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Counted down by each client once it is logged in or refused, so that a refusal ends the wait.
            CountDownLatch answered = new CountDownLatch(clients);
            AtomicInteger loggedIn = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            CountDownLatch leave = new CountDownLatch(1);
            List<Future<String>> sessions = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                sessions.add(pool.submit(() -> {
                    try (Socket socket = new Socket()) {
                        String greeting = greeting(socket, jftpd.port());
                        if (!greeting.startsWith("220")) {
                            answered.countDown();
                            return greeting;
                        }
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                        var out = socket.getOutputStream();
                        out.write("USER a\r\nPASS b\r\n".getBytes(StandardCharsets.US_ASCII));
                        String user = in.readLine();
                        String pass = in.readLine();
                        if (pass == null || !pass.startsWith("230")) {
                            answered.countDown();
                            return user + " / " + pass;
                        }
                        mostAtOnce.accumulateAndGet(loggedIn.incrementAndGet(), Math::max);
                        answered.countDown();
                        // Stay logged in until every client has its answer: the server holds them all at once.
                        if (!leave.await(120, TimeUnit.SECONDS)) {
                            return "not told to leave";
                        }
                        out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                        return in.readLine();
                    }
                }));
            }
            assertThat(answered.await(150, TimeUnit.SECONDS)).as("every client answered").isTrue();
            leave.countDown();
            List<String> ends = new ArrayList<>();
            for (var session : sessions) {
                ends.add(session.get(60, TimeUnit.SECONDS));
            }
            assertThat(ends).as("what each client got in the end").allSatisfy(end -> assertThat(end).startsWith("221"));
            assertThat(mostAtOnce.get()).as("sessions logged in at once").isEqualTo(clients);
        }
    }

    @Test
    void maxSessionsPerIpRefusesASecondSessionFromTheSameAddressOnly() throws Exception {
        try (JftpdProcess jftpd = start("--user", "a:b", "--max-sessions-per-ip", "1");
             Socket first = new Socket()) {
            assertThat(greeting(first, jftpd.port())).startsWith("220");
            try (Socket second = new Socket()) {
                assertThat(greeting(second, jftpd.port())).isEqualTo("421 Too many connections from your address");
            }
            // Another address is a different client (all of 127.0.0.0/8 is loopback on Linux).
            try (Socket other = new Socket()) {
                try {
                    other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                } catch (IOException e) {
                    assumeTrue(false, "cannot use 127.0.0.2 as a second client address here: " + e);
                }
                assertThat(greeting(other, jftpd.port())).startsWith("220");
            }
        }
    }

    @Test
    void passivePortsAreTakenFromTheGivenRange() throws Exception {
        int low = freePortRange(3);
        try (JftpdProcess jftpd = start("--user", "a:b", "--passive-ports", low + "-" + (low + 2))) {
            FTPClient ftp = login(jftpd.port(), "a", "b");
            assertThat(ftp.storeFile("f.txt", new ByteArrayInputStream("x".getBytes(StandardCharsets.US_ASCII)))).isTrue();
            for (int i = 0; i < 8; i++) {
                ftp.setUseEPSVwithIPv4(i % 2 == 0);
                assertThat(ftp.listNames()).containsExactly("f.txt");
                assertThat(ftp.getPassivePort()).isBetween(low, low + 2);
            }
            quit(ftp);
        }
    }

    /** The first port of {@code count} consecutive ports that are free now, above the ephemeral range. */
    private static int freePortRange(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int low = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            boolean free = true;
            for (int p = low; p < low + count && free; p++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                } catch (IOException busy) {
                    free = false;
                }
            }
            if (free) {
                return low;
            }
        }
        throw new IllegalStateException("no free port range found");
    }

    @Test
    void idleTimeoutClosesAQuietSessionWith421() throws Exception {
        try (JftpdProcess jftpd = start("--user", "a:b", "--idle-timeout", "1");
             Socket socket = new Socket()) {
            assertThat(greeting(socket, jftpd.port())).startsWith("220");
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(reader.readLine()).startsWith("421 Idle timeout");
            assertThat(reader.readLine()).isNull();
        }
    }

    @Test
    void badOptionsAreRefusedWithAClearMessage() throws Exception {
        ExternalCommand.Result badPort = JftpdProcess.run(work, null, "--port", "70000");
        assertThat(badPort.exit()).isEqualTo(2);
        assertThat(badPort.stderr()).contains("--port must be 0-65535");
        assertThat(badPort.stdout()).isEmpty();

        ExternalCommand.Result badUser = JftpdProcess.run(work, null, "--user", "nocolon", "--port", "0");
        assertThat(badUser.exit()).isEqualTo(2);
        assertThat(badUser.stderr()).contains("--user takes NAME:PASSWORD");

        ExternalCommand.Result badRange = JftpdProcess.run(work, null, "--passive-ports", "80-90", "--port", "0", "--user", "a:b");
        assertThat(badRange.exit()).isEqualTo(2);
        assertThat(badRange.stderr()).contains("passive ports must be a range within 1024-65535");
    }
}
