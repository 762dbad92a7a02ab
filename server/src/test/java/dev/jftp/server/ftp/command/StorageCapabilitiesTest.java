package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.StorageCapabilities;
import dev.jftp.server.storage.memory.MemoryStorage;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FTP over storages other than the local disk: over memory, transfers (from a channel that is no
 * FileChannel) and listings work as on a disk; over a storage that lacks something, as S3 lacks
 * appending, modes and settable times, the commands that need it are refused cleanly (502/504,
 * with a reason), FEAT and SITE HELP do not offer them, and the files stay as they were.
 */
class StorageCapabilitiesTest {
    private static final StorageCapabilities LIKE_S3 = new StorageCapabilities(false, false, false, false, true, false, false);

    @TempDir
    Path root;

    @Test
    void memoryStorageServesUploadsDownloadsAndListings() throws IOException {
        try (RunningServer server = RunningServer.start(root, c -> c.withStorage(new MemoryStorage()))) {
            ControlConnection c = server.connectAsAlice();
            c.command("TYPE I");
            assertThat(c.upload("STOR a.txt", "line one\nline two\n".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(226);
            assertThat(c.command("MKD sub").code()).isEqualTo(257);
            assertThat(new String(c.download("RETR a.txt"), StandardCharsets.UTF_8)).isEqualTo("line one\nline two\n");
            assertThat(c.command("REST 5").code()).isEqualTo(350);
            assertThat(new String(c.download("RETR a.txt"), StandardCharsets.UTF_8)).isEqualTo("one\nline two\n");
            c.command("TYPE A");
            assertThat(new String(c.download("RETR a.txt"), StandardCharsets.UTF_8)).isEqualTo("line one\r\nline two\r\n");
            assertThat(new String(c.download("NLST"), StandardCharsets.UTF_8)).isEqualTo("a.txt\r\nsub\r\n");
            assertThat(c.command("SIZE a.txt").text()).isEqualTo("18");
            c.command("TYPE I");
            assertThat(c.upload("APPE a.txt", "three\n".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(226);
            assertThat(c.command("SIZE a.txt").text()).isEqualTo("24");
            assertThat(c.command("MFMT 20210615083045 a.txt").code()).isEqualTo(213);
            assertThat(c.command("MDTM a.txt").text()).isEqualTo("20210615083045");
            assertThat(c.command("SITE CHMOD 600 a.txt").code()).isEqualTo(200);
            assertThat(c.command("MLST a.txt").all()).contains("UNIX.mode=0600;");
            assertThat(root).isEmptyDirectory(); // nothing went to the disk
        }
    }

    @Test
    void whatTheStorageCannotDoIsRefusedCleanlyAndNotOffered() throws IOException {
        try (RunningServer server = RunningServer.start(root, c -> c.withStorage(new MemoryStorage(LIKE_S3)))) {
            ControlConnection c = server.connectAsAlice();
            c.command("TYPE I");
            assertThat(c.upload("STOR f.txt", "0123456789".getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(226);

            Reply feat = c.command("FEAT");
            assertThat(feat.all()).contains(" MLST type*;size*;modify*;perm*;unique*;", " REST STREAM", " SIZE", " MDTM")
                    .doesNotContain("MFMT").doesNotContain("UNIX.mode");
            assertThat(c.command("OPTS MLST type;size").text()).doesNotContain("UNIX.mode");
            assertThat(c.command("SITE HELP").all()).doesNotContain("CHMOD");

            c.openData().close();
            Reply appe = c.command("APPE f.txt");
            assertThat(appe.code()).isEqualTo(502);
            assertThat(appe.text()).contains("cannot append");
            assertThat(c.command("REST 4").code()).isEqualTo(350);
            c.openData().close();
            Reply resume = c.command("STOR f.txt");
            assertThat(resume.code()).isEqualTo(504);
            assertThat(resume.text()).contains("send the whole file");
            Reply mfmt = c.command("MFMT 20210615083045 f.txt");
            assertThat(mfmt.code()).isEqualTo(502);
            assertThat(mfmt.text()).contains("MFMT is not available");
            Reply chmod = c.command("SITE CHMOD 600 f.txt");
            assertThat(chmod.code()).isEqualTo(504);
            assertThat(chmod.text()).contains("no permission bits");
            assertThat(c.command("MLST f.txt").all()).contains("type=file;size=10;").doesNotContain("UNIX.mode");

            // Reading from an offset needs nothing special: REST + RETR works.
            assertThat(c.command("REST 4").code()).isEqualTo(350);
            assertThat(new String(c.download("RETR f.txt"), StandardCharsets.US_ASCII)).isEqualTo("456789");
            assertThat(new String(c.download("RETR f.txt"), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
            assertThat(new String(c.download("LIST"), StandardCharsets.UTF_8)).startsWith("-rw-r--r-- 1 ftp      ftp                10 ");
            assertThat(c.command("NOOP").code()).isEqualTo(200);
        }
    }
}
