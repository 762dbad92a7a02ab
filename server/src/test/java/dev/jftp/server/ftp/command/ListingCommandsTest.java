package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LIST, NLST, MLSD over the data connection and STAT path over the control connection. */
class ListingCommandsTest {
    private static final Instant OLD_TIME = Instant.parse("2019-01-02T03:04:05Z");

    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(server.root().resolve("a.txt"), "aaa");
        Files.writeString(server.root().resolve("b.txt"), "bbbbbb");
        Files.writeString(server.root().resolve("c.log"), "c");
        Files.writeString(server.root().resolve(".hidden"), "secret");
        Files.createDirectories(server.root().resolve("sub dir"));
        Files.writeString(server.root().resolve("sub dir/x1.txt"), "1");
        Files.writeString(server.root().resolve("sub dir/x2.log"), "22");
        Files.setLastModifiedTime(server.root().resolve("c.log"), FileTime.from(OLD_TIME));
        c = server.connectAsAlice();
    }

    private List<String> lines(String command) throws IOException {
        String text = new String(c.download(command), StandardCharsets.UTF_8);
        assertThat(text.isEmpty() || text.endsWith("\r\n")).as("listing ends in CRLF: %s", text).isTrue();
        assertThat(text.replace("\r\n", "")).as("no bare CR or LF in %s", text).doesNotContain("\n").doesNotContain("\r");
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\r\n"));
    }

    private static List<String> names(List<String> longLines) {
        return longLines.stream().map(l -> l.split(" +", 9)[8]).sorted().toList();
    }

    @Test
    void listShowsLsLongLinesWithoutHiddenFiles() throws IOException {
        List<String> lines = lines("LIST");
        assertThat(names(lines)).containsExactly("a.txt", "b.txt", "c.log", "sub dir");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("-rw.{7} +1 ftp +ftp +6 \\w{3} \\d\\d \\d\\d:\\d\\d b\\.txt"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("d.{9} .* sub dir"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" Jan 02  2019 c.log"));
    }

    @Test
    void listDashAShowsHiddenFilesAndDashLIsTolerated() throws IOException {
        assertThat(names(lines("LIST -la"))).containsExactly(".hidden", "a.txt", "b.txt", "c.log", "sub dir");
        assertThat(names(lines("LIST -a"))).contains(".hidden");
        assertThat(names(lines("LIST -l"))).doesNotContain(".hidden").contains("a.txt");
        assertThat(names(lines("LIST -la sub dir"))).containsExactly("x1.txt", "x2.log");
    }

    @Test
    void listOfADirectoryAFileAndNothing() throws IOException {
        assertThat(names(lines("LIST sub dir"))).containsExactly("x1.txt", "x2.log");
        List<String> single = lines("LIST b.txt");
        assertThat(single).hasSize(1);
        assertThat(single.get(0)).endsWith(" b.txt").contains(" 6 ");
        var data = c.openPassive();
        assertThat(c.command("LIST missing").code()).isEqualTo(550);
        data.close();
        assertThat(lines("LIST")).hasSize(4);
    }

    @Test
    void globsInTheLastSegment() throws IOException {
        assertThat(names(lines("LIST *.txt"))).containsExactly("a.txt", "b.txt");
        assertThat(lines("NLST *.txt")).containsExactlyInAnyOrder("a.txt", "b.txt");
        assertThat(lines("NLST ?.log")).containsExactly("c.log");
        assertThat(lines("NLST [ab].txt")).containsExactlyInAnyOrder("a.txt", "b.txt");
        assertThat(lines("NLST sub dir/*.log")).containsExactly("sub dir/x2.log");
        assertThat(names(lines("LIST -l sub dir/x*"))).containsExactly("x1.txt", "x2.log");
        assertThat(lines("NLST *.none")).isEmpty();
        // a pattern starting with a dot asks for hidden files
        assertThat(lines("NLST .h*")).containsExactly(".hidden");
        assertThat(lines("NLST *")).doesNotContain(".hidden");
    }

    @Test
    void nlstGivesNamesOnly() throws IOException {
        assertThat(lines("NLST")).containsExactlyInAnyOrder("a.txt", "b.txt", "c.log", "sub dir");
        assertThat(lines("NLST sub dir")).containsExactlyInAnyOrder("x1.txt", "x2.log");
        assertThat(lines("NLST a.txt")).containsExactly("a.txt");
        FTPClient ftp = server.alice();
        assertThat(ftp.listNames()).containsExactlyInAnyOrder("a.txt", "b.txt", "c.log", "sub dir");
    }

    @Test
    void listingsAreCrlfEvenInBinaryMode() throws IOException {
        c.command("TYPE I");
        assertThat(lines("LIST")).hasSize(4);
        c.command("TYPE A");
        assertThat(lines("NLST")).hasSize(4);
    }

    @Test
    void commonsNetParsesTheListing() throws IOException {
        FTPClient ftp = server.alice();
        FTPFile[] files = ftp.listFiles();
        assertThat(files).extracting(FTPFile::getName).containsExactlyInAnyOrder("a.txt", "b.txt", "c.log", "sub dir");
        assertThat(files).filteredOn(f -> f.getName().equals("b.txt")).singleElement()
                .satisfies(f -> assertThat(f.getSize()).isEqualTo(6))
                .satisfies(f -> assertThat(f.isFile()).isTrue());
        assertThat(files).filteredOn(f -> f.getName().equals("sub dir")).singleElement().satisfies(f -> assertThat(f.isDirectory()).isTrue());
        assertThat(ftp.listFiles("sub dir")).extracting(FTPFile::getName).containsExactlyInAnyOrder("x1.txt", "x2.log");
    }

    @Test
    void mlsdGivesFactsForEveryEntryInUtc() throws IOException {
        List<String> lines = lines("MLSD");
        assertThat(lines).hasSize(5); // MLSD shows hidden files too
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("type=file;size=1;modify=20190102030405;").endsWith("; c.log"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("type=dir;").endsWith("; sub dir"));
        assertThat(lines).allSatisfy(l -> assertThat(l).containsPattern("perm=[a-z]+;").containsPattern("unique=[^;]+;"));
        FTPClient ftp = server.alice();
        FTPFile[] entries = ftp.mlistDir("sub dir");
        assertThat(entries).extracting(FTPFile::getName).containsExactlyInAnyOrder("x1.txt", "x2.log");
        assertThat(ftp.mlistDir()).filteredOn(f -> f.getName().equals("c.log")).singleElement()
                .satisfies(f -> assertThat(f.getTimestamp().toInstant()).isEqualTo(OLD_TIME));
    }

    @Test
    void mlsdOfAFileOrNothingIsRefused() throws IOException {
        var data = c.openPassive();
        assertThat(c.command("MLSD a.txt").code()).isEqualTo(501);
        data.close();
        data = c.openPassive();
        assertThat(c.command("MLSD missing").code()).isEqualTo(550);
        data.close();
    }

    @Test
    void statPathListsOverTheControlConnection() throws IOException {
        Reply dir = c.command("STAT sub dir");
        assertThat(dir.code()).isEqualTo(213);
        assertThat(dir.isMultiLine()).isTrue();
        assertThat(dir.all()).contains(" x1.txt").contains(" x2.log");
        Reply file = c.command("STAT a.txt");
        assertThat(file.code()).isEqualTo(213);
        assertThat(file.all()).contains(" a.txt");
        assertThat(c.command("STAT missing").code()).isEqualTo(550);
        assertThat(server.alice().getStatus("b.txt")).contains("b.txt");
    }

    @Test
    void statPathWithAFileNamedLikeAReplyCannotEndTheReplyEarly() throws IOException {
        Files.writeString(server.root().resolve("sub dir/213 End"), "tricky");
        Reply reply = c.command("STAT sub dir");
        assertThat(reply.all()).contains("213 End");
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void temporaryUploadFilesAreNotListed() throws IOException {
        Files.writeString(server.root().resolve(".jftpd-upload-123.part"), "in progress");
        assertThat(names(lines("LIST -a"))).doesNotContain(".jftpd-upload-123.part");
    }

    @Test
    void namesWithLineBreaksAreEscapedAndCannotBreakTheListing() throws IOException {
        Files.writeString(server.root().resolve("evil\r\n226 done"), "x");
        List<String> lines = lines("NLST");
        assertThat(lines).hasSize(5).contains("evil\\x0d\\x0a226 done");
        assertThat(names(lines("LIST"))).contains("evil\\x0d\\x0a226 done");
    }

    @Test
    void aNameThatIsNotUtf8OnDiskStillLists() throws Exception {
        // Java cannot name such a file under a UTF-8 locale; the shell can, byte by byte.
        Process touch = new ProcessBuilder("sh", "-c", "touch \"$1/$(printf 'caf\\351 latin1.txt')\"", "sh", server.root().toString())
                .redirectErrorStream(true).start();
        assertThat(touch.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(touch.exitValue()).as(new String(touch.getInputStream().readAllBytes())).isZero();
        // the byte that is not UTF-8 is shown escaped; the rest of the listing is intact
        assertThat(lines("NLST")).containsExactlyInAnyOrder("a.txt", "b.txt", "c.log", "sub dir", "caf\\xe9 latin1.txt");
        assertThat(lines("LIST")).hasSize(5).anySatisfy(l -> assertThat(l).endsWith(" caf\\xe9 latin1.txt"));
        assertThat(lines("MLSD")).hasSize(6).anySatisfy(l -> assertThat(l).startsWith("type=file;size=0;").endsWith("; caf\\xe9 latin1.txt"));
        Reply stat = c.command("STAT .");
        assertThat(stat.code()).isEqualTo(213);
        assertThat(stat.all()).contains("caf\\xe9 latin1.txt");
    }

    @Test
    void aDirectoryOfManyEntriesListsCompletely() throws IOException {
        // Enough that LIST output (about 140 KB) passes through the listing buffer several times.
        Path big = Files.createDirectory(server.root().resolve("big"));
        for (int i = 0; i < 2000; i++) {
            Files.createFile(big.resolve("file-with-a-longer-name-" + i));
        }
        assertThat(lines("NLST big")).hasSize(2000).contains("file-with-a-longer-name-0", "file-with-a-longer-name-1999");
        List<String> list = lines("LIST big");
        assertThat(list).hasSize(2000);
        assertThat(String.join("\r\n", list).length()).isGreaterThan(2 * 64 * 1024);
    }
}
