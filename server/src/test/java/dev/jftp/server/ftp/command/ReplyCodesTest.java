package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reply codes for bad input (RFC 959 section 4.2 and 5.4), the multi-line reply format, and the
 * control connection's limits: a bad line gets a clear reply and the session goes on.
 */
class ReplyCodesTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        c = server.connectAsAlice();
    }

    @Test
    void anUnknownVerbGets500() throws IOException {
        Reply reply = c.command("XYZZY plugh");
        assertThat(reply.code()).isEqualTo(500);
        assertThat(reply.text()).contains("XYZZY");
        assertThat(c.command("").code()).isEqualTo(500);
    }

    /**
     * A bare CR inside a command line (not followed by LF, so not its end) must not be echoed raw
     * into a reply or a log line, where it would return the cursor and let the text after it
     * overwrite what came before. It is shown escaped, as \x0d.
     */
    @Test
    void aBareCarriageReturnInACommandIsEscapedInRepliesAndTheLog() throws IOException {
        ch.qos.logback.classic.Logger jftp = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.jftp");
        ch.qos.logback.classic.Level level = jftp.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        jftp.addAppender(logged);
        jftp.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            c.sendBytes("CWD no\rsuch\r\n".getBytes(StandardCharsets.US_ASCII));
            Reply cwd = c.reply();
            assertThat(cwd.code()).isEqualTo(550);
            assertThat(cwd.text()).doesNotContain("\r").contains("no\\x0dsuch");
            c.sendBytes("AB\rCD x\r\n".getBytes(StandardCharsets.US_ASCII));
            Reply unknown = c.reply();
            assertThat(unknown.code()).isEqualTo(500);
            assertThat(unknown.text()).doesNotContain("\r").contains("AB\\x0dCD");
            c.sendBytes("MKD a\u001b[2Jb\r\n".getBytes(StandardCharsets.US_ASCII)); // a terminal escape sequence
            assertThat(c.reply().text()).doesNotContain("\u001b");
        } finally {
            jftp.detachAppender(logged);
            jftp.setLevel(level);
        }
        List<String> lines = logged.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anyMatch(l -> l.contains("no\\x0dsuch"));
        assertThat(lines).noneMatch(l -> l.contains("\r") || l.contains("\u001b"));
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void knownButUnsupportedCommandsGet502() throws IOException {
        // This server has no TLS certificate: AUTH is not offered, and the commands that need a
        // security exchange first are out of sequence (RFC 2228: 503).
        assertThat(c.command("AUTH TLS").code()).isEqualTo(502);
        assertThat(c.command("PBSZ 0").code()).isEqualTo(503);
        assertThat(c.command("PROT P").code()).isEqualTo(503);
        assertThat(c.command("CCC").code()).isEqualTo(503);
        assertThat(c.command("SMNT /mnt").code()).isEqualTo(502);
        assertThat(c.command("SITE EXEC rm -rf /").code()).isEqualTo(502);
    }

    @Test
    void missingOrBadArgumentsGet501() throws IOException {
        for (String command : new String[] {"MKD", "XMKD", "RMD", "DELE", "RETR", "STOR", "APPE", "CWD", "RNFR", "RNTO",
                "SIZE", "MDTM", "TYPE", "MODE", "STRU", "PORT", "EPRT", "REST", "USER", "SITE", "HASH", "OPTS", "MFMT"}) {
            assertThat(c.command(command).code()).as(command).isEqualTo(501);
        }
        assertThat(c.command("REST abc").code()).isEqualTo(501);
        assertThat(c.command("REST -5").code()).isEqualTo(501);
        assertThat(c.command("TYPE Q").code()).isEqualTo(501);
        assertThat(c.command("PORT 1,2,3").code()).isEqualTo(501);
        assertThat(c.command("MFMT notatime f").code()).isEqualTo(501);
        assertThat(c.command("OPTS NOSUCHOPTION").code()).isEqualTo(501);
        assertThat(c.command("HELP NOSUCHCOMMAND").code()).isEqualTo(501);
    }

    @Test
    void unsupportedParametersGet504() throws IOException {
        assertThat(c.command("TYPE E").code()).isEqualTo(504);
        assertThat(c.command("TYPE L 7").code()).isEqualTo(504);
        assertThat(c.command("TYPE A T").code()).isEqualTo(504);
        assertThat(c.command("MODE B").code()).isEqualTo(504);
        assertThat(c.command("MODE C").code()).isEqualTo(504);
        assertThat(c.command("STRU R").code()).isEqualTo(504);
        assertThat(c.command("STRU P").code()).isEqualTo(504);
    }

    @Test
    void rntoWithoutRnfrIsABadSequence() throws IOException {
        Files.writeString(server.root().resolve("a"), "x");
        assertThat(c.command("RNTO b").code()).isEqualTo(503);
        // RNTO must follow RNFR directly (RFC 959 section 4.1.3)
        assertThat(c.command("RNFR a").code()).isEqualTo(350);
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        assertThat(c.command("RNTO b").code()).isEqualTo(503);
        assertThat(server.root().resolve("a")).exists();
        assertThat(server.root().resolve("b")).doesNotExist();
    }

    @Test
    void verbsAreCaseInsensitive() throws IOException {
        assertThat(c.command("noop").code()).isEqualTo(200);
        assertThat(c.command("pWd").code()).isEqualTo(257);
    }

    @Test
    void multiLineRepliesHaveTheRfc959Form() throws IOException {
        Reply feat = c.command("FEAT");
        assertThat(feat.isMultiLine()).isTrue();
        assertThat(feat.lines().get(0)).startsWith("211-");
        assertThat(feat.lines().get(feat.lines().size() - 1)).startsWith("211 ");
        // RFC 2389 section 3.2: each feature line starts with a single space
        for (String middle : feat.lines().subList(1, feat.lines().size() - 1)) {
            assertThat(middle).as("FEAT line").startsWith(" ").doesNotStartWith("  ");
        }
        Reply help = c.command("HELP");
        assertThat(help.lines().get(0)).startsWith("214-");
        assertThat(help.lines().subList(1, help.lines().size() - 1)).allSatisfy(line -> assertThat(line).doesNotMatch("^\\d{3} .*"));
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws IOException {
        c.sendBytes("NOOP\r\nPWD\r\nSYST\r\nTYPE I\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply().code()).isEqualTo(200);
        assertThat(c.reply().code()).isEqualTo(257);
        assertThat(c.reply().code()).isEqualTo(215);
        assertThat(c.reply().code()).isEqualTo(200);
    }

    @Test
    void bareLfLineEndsAreAccepted() throws IOException {
        c.sendBytes("NOOP\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply().code()).isEqualTo(200);
    }

    @Test
    void aCommandLineOver8KibGets500AndTheSessionStillWorks() throws IOException {
        Reply reply = c.command("MKD " + "x".repeat(9000));
        assertThat(reply.code()).isEqualTo(500);
        assertThat(reply.text()).containsIgnoringCase("too long");
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        assertThat(c.command("PWD").text()).startsWith("\"/\"");
        try (var files = Files.list(server.root())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aHugeLineIsDiscardedWithoutTroubleAndTheNextCommandWorks() throws IOException {
        c.sendBytes(("NOOP " + "y".repeat(1 << 20) + "\r\nPWD\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply().code()).isEqualTo(500);
        assertThat(c.reply().code()).isEqualTo(257);
    }

    @Test
    void invalidUtf8Gets501AndTheSessionStillWorks() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes("MKD bad".getBytes(StandardCharsets.US_ASCII));
        line.writeBytes(new byte[] {(byte) 0xE9, (byte) 0xFE, (byte) 0x80});
        line.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        c.sendBytes(line.toByteArray());
        Reply reply = c.reply();
        assertThat(reply.code()).isEqualTo(501);
        assertThat(reply.text()).contains("UTF-8");
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        try (var files = Files.list(server.root())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void telnetInterruptSequencesAreIgnored() throws IOException {
        // What "ftp" sends before ABOR: IAC IP IAC DM (RFC 959 section 4.1.3)
        c.sendBytes(new byte[] {(byte) 0xFF, (byte) 0xF4, (byte) 0xFF, (byte) 0xF2, 'N', 'O', 'O', 'P', '\r', '\n'});
        assertThat(c.reply().code()).isEqualTo(200);
    }
}
