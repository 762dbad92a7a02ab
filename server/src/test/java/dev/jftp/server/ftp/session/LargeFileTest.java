package dev.jftp.server.ftp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Files over 4 GiB (sizes and offsets beyond 32 bits), as sparse files that cost no disk space. */
class LargeFileTest {
    private static final long SIZE = 5L * 1024 * 1024 * 1024 + 7;
    private static final byte[] TAIL = "the last bytes!!".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        try (RandomAccessFile big = new RandomAccessFile(server.root().resolve("big.iso").toFile(), "rw")) {
            big.setLength(SIZE);
            big.seek(SIZE - TAIL.length);
            big.write(TAIL);
        }
        c = server.connectAsAlice();
        c.command("TYPE I");
    }

    @Test
    void sizeMlstAndListShowTheWholeSize() throws IOException {
        assertThat(c.command("SIZE big.iso").text()).isEqualTo(Long.toString(SIZE));
        assertThat(c.command("MLST big.iso").lines().get(1)).contains(";size=" + SIZE + ";");
        assertThat(new String(c.download("LIST"), StandardCharsets.UTF_8)).contains(" " + SIZE + " ").contains("big.iso");
        assertThat(new String(c.download("MLSD"), StandardCharsets.UTF_8)).contains(";size=" + SIZE + ";");
        FTPClient ftp = server.alice();
        assertThat(ftp.getSize("big.iso")).isEqualTo(Long.toString(SIZE));
        FTPFile[] files = ftp.listFiles();
        assertThat(files).singleElement().satisfies(f -> assertThat(f.getSize()).isEqualTo(SIZE));
        assertThat(ftp.mlistFile("big.iso").getSize()).isEqualTo(SIZE);
    }

    @Test
    void restNearTheEndRetrievesTheTail() throws IOException {
        assertThat(c.command("REST " + (SIZE - TAIL.length)).code()).isEqualTo(350);
        assertThat(c.download("RETR big.iso")).isEqualTo(TAIL);
        FTPClient ftp = server.alice();
        ftp.setRestartOffset(SIZE - 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile("big.iso", out)).isTrue();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(new String(TAIL, TAIL.length - 5, 5, StandardCharsets.US_ASCII));
        assertThat(c.command("REST " + (SIZE + 1)).code()).isEqualTo(350);
        var data = c.openPassive();
        assertThat(c.command("RETR big.iso").code()).isEqualTo(554);
        data.close();
    }

    @Test
    void resumeAndAppendBeyondFourGibibytes() throws IOException {
        assertThat(c.command("REST " + SIZE).code()).isEqualTo(350);
        Reply stored = c.upload("STOR big.iso", "+resumed".getBytes(StandardCharsets.US_ASCII));
        assertThat(stored.code()).isEqualTo(226);
        FTPClient ftp = server.alice();
        assertThat(ftp.appendFile("big.iso", new ByteArrayInputStream("+appended".getBytes(StandardCharsets.US_ASCII)))).isTrue();
        long expected = SIZE + "+resumed".length() + "+appended".length();
        assertThat(Files.size(server.root().resolve("big.iso"))).isEqualTo(expected);
        assertThat(c.command("SIZE big.iso").text()).isEqualTo(Long.toString(expected));
        assertThat(c.command("REST " + (SIZE - TAIL.length)).code()).isEqualTo(350);
        assertThat(new String(c.download("RETR big.iso"), StandardCharsets.US_ASCII)).isEqualTo(new String(TAIL, StandardCharsets.US_ASCII) + "+resumed+appended");
    }
}
