package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Python's standard ftplib against the real bin/jftpd, in passive and in active mode. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PythonFtplibIT {
    /**
     * A session of ordinary ftplib calls. It prints one "KEY value" line per result for the test to
     * check, and exits non-zero (with a traceback) on any FTP error reply.
     */
    private static final String SCRIPT = """
            import ftplib, os, sys
            host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
            local, passive, start = sys.argv[5], sys.argv[6] == "passive", sys.argv[7]
            ftp = ftplib.FTP()
            print("WELCOME", ftp.connect(host, port, timeout=30).splitlines()[0])
            print("LOGIN", ftp.login(user, password))
            ftp.set_pasv(passive)
            print("CWD", ftp.cwd(start))
            print("PWD", ftp.pwd())
            print("NLST", " ".join(sorted(ftp.nlst())))
            lines = []
            ftp.dir(lines.append)
            print("DIR", len(lines))
            for line in lines:
                print("DIRLINE", line)
            print("MKD", ftp.mkd("made"))
            print("CWD", ftp.cwd("made"))
            print("PWD", ftp.pwd())
            with open(os.path.join(local, "up.bin"), "rb") as f:
                print("STOR", ftp.storbinary("STOR up.bin", f))
            with open(os.path.join(local, "down.bin"), "wb") as f:
                print("RETR", ftp.retrbinary("RETR up.bin", f.write))
            print("SIZE", ftp.size("up.bin"))
            print("RENAME", ftp.rename("up.bin", "renamed.bin"))
            print("NLST", " ".join(sorted(ftp.nlst())))
            for name, facts in sorted(ftp.mlsd(facts=["type", "size", "modify"])):
                print("MLSD", name, facts.get("type"), facts.get("size", "-"), len(facts.get("modify", "")))
            print("CDUP", ftp.cwd(".."))
            with open(os.path.join(local, "given.bin"), "wb") as f:
                print("RETR", ftp.retrbinary("RETR given.bin", f.write))
            with open(os.path.join(local, "lines.txt"), "rb") as f:
                print("STORLINES", ftp.storlines("STOR lines.txt", f))
            received = []
            print("RETRLINES", ftp.retrlines("RETR lines.txt", received.append))
            with open(os.path.join(local, "lines-back.txt"), "w") as f:
                f.write("".join(line + "\\n" for line in received))
            print("DELE", ftp.delete("victim.bin"))
            try:
                ftp.delete("victim.bin")
                print("DELE-AGAIN unexpectedly ok")
            except ftplib.error_perm as e:
                print("DELE-AGAIN", e)
            print("QUIT", ftp.quit())
            """;

    @RegisterExtension
    static final JftpdForClient jftpd = new JftpdForClient("python3", "python3", "py:thon pass");

    @Test
    void passiveSession() throws IOException {
        runSession("passive");
    }

    @Test
    void activeSession() throws IOException {
        runSession("active");
    }

    private void runSession(String mode) throws IOException {
        Path home = Files.createDirectories(jftpd.root().resolve(mode));
        Path local = Files.createDirectories(jftpd.work().resolve("local-" + mode));
        Path script = Files.writeString(jftpd.work().resolve("session.py"), SCRIPT, StandardCharsets.UTF_8);
        Path upload = TestData.writeBinary(local.resolve("up.bin"), 2 * 1024 * 1024 + 11, 10);
        Path given = TestData.writeBinary(home.resolve("given.bin"), 777_777, 11);
        TestData.writeBinary(home.resolve("victim.bin"), 10, 12);
        TestData.writeText(local.resolve("lines.txt"), 200, "py");

        ExternalCommand.Result result = ExternalCommand.in(local).timeout(Duration.ofSeconds(120))
                .run("python3", script.toString(), "127.0.0.1", String.valueOf(jftpd.port()), "py", "thon pass", local.toString(), mode, mode);

        assertThat(result.exit()).as(result.describe()).isZero();
        List<String> out = result.stdout().lines().toList();
        assertThat(out).contains(
                "WELCOME 220 jftpd ready",
                "LOGIN 230 User py logged in",
                "PWD /" + mode,
                "NLST given.bin victim.bin",
                "DIR 2",
                "PWD /" + mode + "/made",
                "SIZE " + Files.size(upload),
                "NLST renamed.bin",
                "MLSD renamed.bin file " + Files.size(upload) + " 14",
                "QUIT 221 Goodbye");
        assertThat(out).filteredOn(l -> l.startsWith("DIRLINE ")).anySatisfy(l -> assertThat(l).startsWith("DIRLINE -").endsWith(" given.bin"));
        assertThat(out).filteredOn(l -> l.startsWith("STOR ") || l.startsWith("RETR ") || l.startsWith("STORLINES ") || l.startsWith("RETRLINES "))
                .hasSize(5).allSatisfy(l -> assertThat(l).contains(" 226 "));
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("MKD ").isEqualTo("MKD /" + mode + "/made"));
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("DELE 250"));
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("DELE-AGAIN 550"));

        assertThat(home.resolve("made/renamed.bin")).hasSameBinaryContentAs(upload);
        assertThat(local.resolve("down.bin")).hasSameBinaryContentAs(upload);
        assertThat(local.resolve("given.bin")).hasSameBinaryContentAs(given);
        assertThat(home.resolve("victim.bin")).doesNotExist();
        // storlines sends CRLF; the server stores the local convention (LF), and retrlines reads it back.
        assertThat(home.resolve("lines.txt")).hasSameBinaryContentAs(local.resolve("lines.txt"));
        assertThat(local.resolve("lines-back.txt")).hasSameBinaryContentAs(local.resolve("lines.txt"));
    }
}
