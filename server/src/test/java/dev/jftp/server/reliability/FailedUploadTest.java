package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jftp.server.storage.local.LocalStorageView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, item 7: a name too long for the file system is refused before any data is accepted,
 * with a reply that names no server path; and an upload whose directory another session renames
 * meanwhile either lands in the renamed directory or leaves nothing behind in it. Neither the
 * replies nor the server's log lines (read at DEBUG) ever show where the files are on the server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailedUploadTest {
    private static final int UPLOADED = 101_000;

    @TempDir
    Path root;
    RunningServer server;
    ResourceBaseline baseline;
    final List<String> replies = new ArrayList<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level levelBefore;

    @BeforeEach
    void start() throws IOException {
        server = RunningServer.start(root, c -> c.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10)));
        try (ControlConnection c = server.loggedIn()) {
            stor(c, "STOR warm.bin", new byte[10], true);
            c.command("DELE warm.bin", 250);
            c.command("QUIT", 221);
        }
        ResourceBaseline.awaitNoSessions(server::sessionCount);
        baseline = ResourceBaseline.capture();
        levelBefore = rootLogger.getLevel();
        rootLogger.setLevel(Level.DEBUG);
        log.start();
        rootLogger.addAppender(log);
    }

    @AfterEach
    void stop() throws IOException {
        rootLogger.detachAppender(log);
        rootLogger.setLevel(levelBefore);
        try {
            String where = root.toRealPath().toString();
            assertThat(replies).as("replies").noneMatch(r -> r.contains(where) || r.contains("/proc/"));
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).as("log lines")
                    .noneMatch(m -> m.contains(where) || m.contains("/proc/"));
            assertThat(temporaryFiles()).as("temporary upload files left").isEmpty();
            ResourceBaseline.awaitNoSessions(server::sessionCount);
            baseline.assertReturned(server::sessionCount, Duration.ofSeconds(20));
        } finally {
            server.close();
        }
    }

    private Reply command(ControlConnection c, String line) throws IOException {
        Reply r = c.command(line);
        replies.add(r.toString());
        return r;
    }

    @Test
    void aNameTooLongIsRefusedBeforeTheUploadStarts() throws IOException {
        String name = "f".repeat(300);
        try (ControlConnection c = server.loggedIn()) {
            for (String verb : List.of("STOR", "APPE", "STOU")) {
                try (Socket data = c.openPassive()) {
                    Reply r = command(c, verb + " " + name);
                    assertThat(r.code()).as(verb + ": %s", r).isEqualTo(553);
                    assertThat(r.all()).contains("File name too long");
                }
            }
            Reply mkd = command(c, "MKD " + name);
            assertThat(mkd.code()).isEqualTo(550);
            assertThat(mkd.all()).contains("File name too long");
            Files.writeString(root.resolve("short"), "x");
            command(c, "RNFR short");
            Reply rnto = command(c, "RNTO " + name);
            assertThat(rnto.code()).isEqualTo(553);
            assertThat(rnto.all()).contains("File name too long");
            // 255 bytes is the limit, not less
            assertThat(stor(c, "STOR " + "g".repeat(255), new byte[5], true)).startsWith("226");
            command(c, "QUIT");
        }
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("short", "g".repeat(255));
        }
    }

    @Test
    void anUploadWhoseDirectoryIsRenamedLandsInTheRenamedDirectory() throws IOException {
        Files.createDirectories(root.resolve("d"));
        try (ControlConnection a = server.loggedIn(); ControlConnection b = server.loggedIn()) {
            Socket data = a.openPassive();
            assertThat(command(a, "STOR d/big.bin").code()).isEqualTo(150);
            OutputStream out = data.getOutputStream();
            out.write(new byte[UPLOADED]);
            out.flush();
            command(b, "RNFR d");
            assertThat(command(b, "RNTO e").code()).isEqualTo(250);
            out.write(new byte[UPLOADED]);
            data.close();
            assertThat(a.reply().code()).isEqualTo(226);
            assertThat(Files.size(root.resolve("e/big.bin"))).isEqualTo(2L * UPLOADED);
            assertThat(root.resolve("d")).doesNotExist();
            a.command("QUIT", 221);
            b.command("QUIT", 221);
        }
    }

    @Test
    void aFailedUploadWhoseDirectoryIsRenamedLeavesNothingBehind() throws IOException {
        Files.createDirectories(root.resolve("d"));
        try (ControlConnection a = server.loggedIn(); ControlConnection b = server.loggedIn()) {
            Socket data = a.openPassive();
            assertThat(command(a, "STOR d/big.bin").code()).isEqualTo(150);
            data.getOutputStream().write(new byte[UPLOADED]);
            data.getOutputStream().flush();
            command(b, "RNFR d");
            assertThat(command(b, "RNTO e").code()).isEqualTo(250);
            ControlConnection.resetQuietly(data); // the upload fails: the client's data connection breaks
            Reply failed = a.reply();
            replies.add(failed.toString());
            assertThat(failed.code()).as("%s", failed).isBetween(400, 599);

            assertThat(list(b, "MLSD e")).isEmpty();
            Reply rmd = command(b, "RMD e");
            assertThat(rmd.code()).as("RMD of the renamed directory: %s", rmd).isEqualTo(250);
            assertThat(root.resolve("e")).doesNotExist();
            a.command("QUIT", 221);
            b.command("QUIT", 221);
        }
    }

    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith(LocalStorageView.TEMP_PREFIX)).toList();
        }
    }

    private String stor(ControlConnection c, String command, byte[] content, boolean record) throws IOException {
        try (Socket data = c.openPassive()) {
            Reply r = c.command(command);
            if (r.code() != 150) {
                return r.toString();
            }
            data.getOutputStream().write(content);
            data.shutdownOutput();
            Reply end = c.reply();
            if (record) {
                replies.add(end.toString());
            }
            return end.toString();
        }
    }

    private String list(ControlConnection c, String command) throws IOException {
        try (Socket data = c.openPassive()) {
            Reply r = command(c, command);
            assertThat(r.code()).isEqualTo(150);
            String text = new String(ControlConnection.readAll(data), StandardCharsets.UTF_8);
            c.expect(226);
            return text;
        }
    }
}
