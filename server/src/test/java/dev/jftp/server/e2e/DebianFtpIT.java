package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Debian's stock {@code ftp} command (tnftp on Debian 12) against the real bin/jftpd, driven as a
 * script would drive it: {@code ftp -n} with the commands on standard input.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DebianFtpIT {
    @RegisterExtension
    static final JftpdForClient jftpd = new JftpdForClient("ftp", "ftp", "deb:ian");

    @Test
    void passiveSession() throws IOException {
        runSession("passive", List.of("-p"));
    }

    @Test
    void activeSession() throws IOException {
        runSession("active", List.of("-A"));
    }

    private void runSession(String dirName, List<String> modeFlags) throws IOException {
        Path dir = Files.createDirectories(jftpd.root().resolve(dirName));
        Path local = Files.createDirectories(jftpd.work().resolve("local-" + dirName));
        Path notes = TestData.writeText(dir.resolve("notes.txt"), 300, "notes");
        Path data = TestData.writeBinary(dir.resolve("data.bin"), 1024 * 1024 + 7, 20);
        TestData.writeBinary(dir.resolve("victim.bin"), 100, 21);
        Path upText = TestData.writeText(local.resolve("up.txt"), 150, "up");
        Path upBinary = TestData.writeBinary(local.resolve("up.bin"), 700_000, 22);

        String commands = String.join("\n",
                "open 127.0.0.1 " + jftpd.port(),
                "user deb ian",
                "ls",
                "cd " + dirName,
                "pwd",
                "ascii",
                "ls",
                "get notes.txt notes-ascii.txt",
                "put up.txt up.txt",
                "binary",
                "get data.bin data.bin",
                "put up.bin up.bin",
                "delete victim.bin",
                "mkdir made",
                "rename up.bin made/up.bin",
                "nlist",
                "bye",
                "");
        List<String> command = new ArrayList<>(List.of("ftp", "-n", "-v"));
        command.addAll(modeFlags);
        ExternalCommand.Result result = ExternalCommand.in(local).stdin(commands).timeout(Duration.ofSeconds(120)).run(command);

        assertThat(result.exit()).as(result.describe()).isZero();
        String out = result.stdout();
        assertThat(out).as(result.describe()).contains(
                "220 jftpd ready",
                "230 User deb logged in",
                "250 Directory changed to \"/" + dirName + "\"",
                "Remote directory: /" + dirName,
                "200 Switching to ASCII mode",
                "200 Switching to Binary mode",
                "250 File deleted",
                "257 \"/" + dirName + "/made\" created",
                "250 Rename successful",
                "221 Goodbye");
        assertThat(out + result.stderr()).as(result.describe())
                .doesNotContainIgnoringCase("bare linefeed")
                .doesNotContain("421 ", "425 ", "426 ", "451 ", "500 ", "501 ", "502 ", "530 ", "550 ");
        if (modeFlags.contains("-A")) {
            assertThat(out).doesNotContain("Entering Passive Mode", "Entering Extended Passive Mode").contains("200 EPRT command successful");
        } else {
            assertThat(out).contains("229 Entering Extended Passive Mode");
        }
        // The listing of the directory, in ls -l form.
        assertThat(out.lines()).anySatisfy(l -> assertThat(l).startsWith("-").contains(" " + Files.size(data) + " ").endsWith(" data.bin"));

        // ASCII: CRLF on the wire, the local convention (LF) on both disks: the same bytes.
        assertThat(local.resolve("notes-ascii.txt")).hasSameBinaryContentAs(notes);
        assertThat(dir.resolve("up.txt")).hasSameBinaryContentAs(upText);
        // Binary: byte for byte.
        assertThat(local.resolve("data.bin")).hasSameBinaryContentAs(data);
        assertThat(dir.resolve("made/up.bin")).hasSameBinaryContentAs(upBinary);
        assertThat(dir.resolve("up.bin")).doesNotExist();
        assertThat(dir.resolve("victim.bin")).doesNotExist();
        assertThat(out.lines()).contains("made", "notes.txt", "data.bin", "up.txt");
    }

    @Test
    void resumesWithRegetAndMovesFilesByWildcard() throws IOException {
        Path dir = Files.createDirectories(jftpd.root().resolve("wild"));
        Path local = Files.createDirectories(jftpd.work().resolve("local-wild"));
        Path big = TestData.writeBinary(dir.resolve("big.bin"), 3 * 1024 * 1024, 23);
        Files.write(local.resolve("big.bin"), java.util.Arrays.copyOf(Files.readAllBytes(big), 1_000_003));
        for (int i = 1; i <= 3; i++) {
            TestData.writeText(dir.resolve("r" + i + ".txt"), i, "r" + i);
            TestData.writeText(local.resolve("l" + i + ".txt"), i, "l" + i);
        }

        String commands = String.join("\n",
                "open 127.0.0.1 " + jftpd.port(),
                "user deb ian",
                "prompt",
                "cd wild",
                "binary",
                "reget big.bin",
                "mget r*.txt",
                "mkdir in",
                "cd in",
                "mput l*.txt",
                "size l2.txt",
                "cd ..",
                "mdelete r*.txt",
                "bye",
                "");
        ExternalCommand.Result result = ExternalCommand.in(local).stdin(commands).timeout(Duration.ofSeconds(120)).run("ftp", "-n", "-v");

        assertThat(result.exit()).as(result.describe()).isZero();
        assertThat(result.stdout()).as(result.describe()).contains("350 Restarting at 1000003", "221 Goodbye")
                .doesNotContain("550 ", "500 ", "501 ", "425 ", "426 ");
        assertThat(local.resolve("big.bin")).hasSameBinaryContentAs(big);
        for (int i = 1; i <= 3; i++) {
            assertThat(local.resolve("r" + i + ".txt")).hasContent(TestData.text(i, "r" + i).stripTrailing());
            assertThat(dir.resolve("in/l" + i + ".txt")).hasSameBinaryContentAs(local.resolve("l" + i + ".txt"));
            assertThat(dir.resolve("r" + i + ".txt")).doesNotExist();
        }
        assertThat(result.stdout()).contains("l2.txt\t" + Files.size(local.resolve("l2.txt")));
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneWorksAfterwards() throws IOException {
        String commands = String.join("\n",
                "open 127.0.0.1 " + jftpd.port(),
                "user deb wrong",
                "user deb ian",
                "pwd",
                "bye",
                "");
        ExternalCommand.Result result = ExternalCommand.in(jftpd.work()).stdin(commands).timeout(Duration.ofSeconds(60)).run("ftp", "-n", "-v");

        assertThat(result.stdout()).as(result.describe()).contains("530 Login incorrect", "230 User deb logged in", "Remote directory: /", "221 Goodbye");
    }
}
