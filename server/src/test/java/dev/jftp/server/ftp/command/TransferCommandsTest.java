package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.local.LocalStorageView;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RETR, STOR, STOU, APPE, REST and TYPE over passive and active data connections: byte counts in
 * ASCII and binary mode, resume in both directions, UTF-8 names.
 */
class TransferCommandsTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();
    ControlConnection c;

    @BeforeEach
    void start() throws IOException {
        c = server.connectAsAlice();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] retrieve(FTPClient ftp, String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile(path, out)).as("RETR %s: %s", path, ftp.getReplyString()).isTrue();
        return out.toByteArray();
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(server.root())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(LocalStorageView.TEMP_PREFIX));
        }
    }

    @Test
    void passiveUploadAndDownloadAreByteExact() throws IOException {
        byte[] content = randomBytes(3 * 1024 * 1024 + 17, 1);
        FTPClient ftp = server.alice();
        assertThat(ftp.storeFile("random.bin", new ByteArrayInputStream(content))).isTrue();
        assertThat(ftp.getReplyCode()).isEqualTo(226);
        assertThat(Files.readAllBytes(server.root().resolve("random.bin"))).isEqualTo(content);
        assertThat(retrieve(ftp, "random.bin")).isEqualTo(content);
        assertNoTemporaryFiles();
    }

    @Test
    void activeUploadAndDownloadWithPort() throws IOException {
        byte[] content = randomBytes(1024 * 1024, 2);
        FTPClient ftp = server.alice();
        ftp.enterLocalActiveMode();
        assertThat(ftp.storeFile("active.bin", new ByteArrayInputStream(content))).as(ftp.getReplyString()).isTrue();
        assertThat(Files.readAllBytes(server.root().resolve("active.bin"))).isEqualTo(content);
        assertThat(retrieve(ftp, "active.bin")).isEqualTo(content);
        assertThat(ftp.listNames()).containsExactly("active.bin");
    }

    @Test
    void rawPortTransfer() throws IOException {
        Files.writeString(server.root().resolve("p.txt"), "over PORT");
        c.command("TYPE I");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(ControlConnection.TIMEOUT_MILLIS);
            int port = listener.getLocalPort();
            assertThat(c.command("PORT 127,0,0,1," + (port >> 8) + "," + (port & 0xff)).code()).isEqualTo(200);
            assertThat(c.command("RETR p.txt").code()).isEqualTo(150);
            try (Socket data = listener.accept()) {
                assertThat(new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("over PORT");
            }
            assertThat(c.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void rawEprtAndEpsvTransfers() throws IOException {
        c.command("TYPE I");
        Socket data = c.openExtendedPassive();
        assertThat(c.command("STOR e.txt").code()).isEqualTo(150);
        ControlConnection.writeAll(data, "via EPSV".getBytes(StandardCharsets.UTF_8));
        assertThat(c.reply().code()).isEqualTo(226);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(ControlConnection.TIMEOUT_MILLIS);
            assertThat(c.command("EPRT |1|127.0.0.1|" + listener.getLocalPort() + "|").code()).isEqualTo(200);
            assertThat(c.command("RETR e.txt").code()).isEqualTo(150);
            try (Socket active = listener.accept()) {
                assertThat(new String(active.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("via EPSV");
            }
            assertThat(c.reply().code()).isEqualTo(226);
        }
        FTPClient ftp = server.alice();
        ftp.setUseEPSVwithIPv4(true);
        assertThat(retrieve(ftp, "e.txt")).isEqualTo("via EPSV".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void asciiRetrSendsCrlfLineEnds() throws IOException {
        Files.write(server.root().resolve("unix.txt"), "one\ntwo\n\nthree".getBytes(StandardCharsets.US_ASCII));
        Files.write(server.root().resolve("dos.txt"), "one\r\ntwo\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.command("TYPE A").code()).isEqualTo(200);
        byte[] unix = c.download("RETR unix.txt");
        assertThat(new String(unix, StandardCharsets.US_ASCII)).isEqualTo("one\r\ntwo\r\n\r\nthree");
        assertThat(unix).hasSize(14 + 3);
        // lines that already end in CRLF get no second CR
        assertThat(new String(c.download("RETR dos.txt"), StandardCharsets.US_ASCII)).isEqualTo("one\r\ntwo\r\n");
    }

    @Test
    void asciiStorStoresLocalLineEnds() throws IOException {
        assertThat(c.command("TYPE A").code()).isEqualTo(200);
        assertThat(c.upload("STOR a.txt", "one\r\ntwo\r\nlone\rcr\r\n".getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(226);
        assertThat(Files.readAllBytes(server.root().resolve("a.txt"))).isEqualTo("one\ntwo\nlone\rcr\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void asciiStorOfManyLinesAcrossBufferBoundaries() throws IOException {
        StringBuilder wire = new StringBuilder();
        StringBuilder local = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            wire.append("line ").append(i).append("\r\n");
            local.append("line ").append(i).append('\n');
        }
        FTPClient ftp = server.alice();
        // Commons Net converts to CRLF on the wire in ASCII mode; the server must convert back
        assertThat(ftp.setFileType(FTP.ASCII_FILE_TYPE)).isTrue();
        assertThat(ftp.storeFile("lines.txt", new ByteArrayInputStream(local.toString().getBytes(StandardCharsets.US_ASCII)))).isTrue();
        assertThat(Files.readString(server.root().resolve("lines.txt"))).isEqualTo(local.toString());
        assertThat(c.command("TYPE A").code()).isEqualTo(200);
        assertThat(c.download("RETR lines.txt")).isEqualTo(wire.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void binaryTypesAreByteExact() throws IOException {
        byte[] mixed = "a\r\nb\nc\r".getBytes(StandardCharsets.US_ASCII);
        for (String type : new String[] {"TYPE I", "TYPE L 8"}) {
            assertThat(c.command(type).code()).as(type).isEqualTo(200);
            assertThat(c.upload("STOR mixed.bin", mixed).code()).isEqualTo(226);
            assertThat(Files.readAllBytes(server.root().resolve("mixed.bin"))).as(type).isEqualTo(mixed);
            assertThat(c.download("RETR mixed.bin")).as(type).isEqualTo(mixed);
        }
    }

    @Test
    void the150ReplyNamesTheMode() throws IOException {
        Files.writeString(server.root().resolve("f"), "x");
        c.command("TYPE I");
        Socket data = c.openPassive();
        assertThat(c.command("RETR f").text()).contains("BINARY");
        ControlConnection.readAll(data);
        c.reply();
        c.command("TYPE A");
        data = c.openPassive();
        assertThat(c.command("RETR f").text()).contains("ASCII");
        ControlConnection.readAll(data);
        assertThat(c.reply().code()).isEqualTo(226);
    }

    @Test
    void storReplacesAnExistingFileAndKeepsItsPermissions() throws IOException {
        Path target = server.root().resolve("keep.txt");
        Files.writeString(target, "old content that is longer");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        c.command("TYPE I");
        assertThat(c.upload("STOR keep.txt", "new".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(226);
        assertThat(target).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        assertNoTemporaryFiles();
    }

    @Test
    void storOfAnEmptyFile() throws IOException {
        c.command("TYPE I");
        assertThat(c.upload("STOR empty", new byte[0]).code()).isEqualTo(226);
        assertThat(server.root().resolve("empty")).isEmptyFile();
        assertThat(c.download("RETR empty")).isEmpty();
    }

    @Test
    void transferFailuresBeforeTheDataConnection() throws IOException {
        Files.createDirectory(server.root().resolve("d"));
        assertThat(c.command("RETR nothing-prepared").code()).isEqualTo(550);
        Files.writeString(server.root().resolve("f"), "x");
        assertThat(c.command("RETR f").code()).isEqualTo(425);
        Socket data = c.openPassive();
        assertThat(c.command("RETR missing").code()).isEqualTo(550);
        data.close();
        data = c.openPassive();
        assertThat(c.command("RETR d").code()).isEqualTo(550);
        data.close();
        data = c.openPassive();
        assertThat(c.command("STOR no/such/dir/f").code()).isEqualTo(550);
        data.close();
        data = c.openPassive();
        assertThat(c.command("STOR d").code()).isEqualTo(550);
        data.close();
        assertThat(server.root().resolve("d")).isDirectory();
        // a data connection serves one transfer only
        assertThat(new String(c.download("RETR f"))).isEqualTo("x");
        assertThat(c.command("RETR f").code()).isEqualTo(425);
    }

    @Test
    void stouStoresUnderANewNameAndSaysWhich() throws IOException {
        Files.writeString(server.root().resolve("stou"), "taken");
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            Socket data = c.openPassive();
            Reply start = c.command("STOU");
            assertThat(start.code()).isEqualTo(150);
            Matcher m = Pattern.compile("FILE: (\\S+)").matcher(start.text());
            assertThat(m.find()).as(start.text()).isTrue();
            ControlConnection.writeAll(data, ("unique " + i).getBytes(StandardCharsets.UTF_8));
            assertThat(c.reply().code()).isEqualTo(226);
            assertThat(server.root().resolve(m.group(1))).hasContent("unique " + i);
            names.add(m.group(1));
        }
        assertThat(names).hasSize(3).doesNotContain("stou");
        assertThat(server.root().resolve("stou")).hasContent("taken");
        FTPClient ftp = server.alice();
        assertThat(ftp.storeUniqueFile("wanted.txt", new ByteArrayInputStream("w".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(server.root().resolve("wanted.txt")).hasContent("w");
        assertThat(ftp.storeUniqueFile("wanted.txt", new ByteArrayInputStream("w2".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(server.root().resolve("wanted.txt")).hasContent("w");
        try (Stream<Path> files = Files.list(server.root())) {
            assertThat(files.map(p -> p.getFileName().toString())).filteredOn(n -> n.startsWith("wanted.txt")).hasSize(2);
        }
    }

    @Test
    void appeAppendsAndCreates() throws IOException {
        Files.writeString(server.root().resolve("log.txt"), "first\n");
        FTPClient ftp = server.alice();
        assertThat(ftp.appendFile("log.txt", new ByteArrayInputStream("second\n".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(server.root().resolve("log.txt")).hasContent("first\nsecond");
        assertThat(ftp.appendFile("new.txt", new ByteArrayInputStream("created".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(server.root().resolve("new.txt")).hasContent("created");
    }

    @Test
    void restThenRetrResumesADownload() throws IOException {
        byte[] content = randomBytes(100_000, 3);
        Files.write(server.root().resolve("r.bin"), content);
        FTPClient ftp = server.alice();
        ftp.setRestartOffset(60_000);
        byte[] tail = retrieve(ftp, "r.bin");
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(content, 60_000, content.length));
        // the offset applied to that transfer only
        assertThat(retrieve(ftp, "r.bin")).isEqualTo(content);
        c.command("TYPE I");
        assertThat(c.command("REST 100000").code()).isEqualTo(350);
        assertThat(c.download("RETR r.bin")).isEmpty();
    }

    @Test
    void restThenStorResumesAnUpload() throws IOException {
        byte[] content = randomBytes(200_000, 4);
        Files.write(server.root().resolve("partial.bin"), java.util.Arrays.copyOf(content, 70_000));
        FTPClient ftp = server.alice();
        ftp.setRestartOffset(70_000);
        assertThat(ftp.storeFile("partial.bin", new ByteArrayInputStream(content, 70_000, content.length - 70_000))).isTrue();
        assertThat(Files.readAllBytes(server.root().resolve("partial.bin"))).isEqualTo(content);
        // REST n + STOR truncates to n first: a resume after a bad tail
        ftp.setRestartOffset(10);
        assertThat(ftp.storeFile("partial.bin", new ByteArrayInputStream(new byte[] {1, 2, 3}))).isTrue();
        byte[] expected = java.util.Arrays.copyOf(content, 13);
        expected[10] = 1;
        expected[11] = 2;
        expected[12] = 3;
        assertThat(Files.readAllBytes(server.root().resolve("partial.bin"))).isEqualTo(expected);
    }

    @Test
    void resumeWithAppe() throws IOException {
        byte[] content = randomBytes(50_000, 5);
        Files.write(server.root().resolve("half.bin"), java.util.Arrays.copyOf(content, 20_000));
        FTPClient ftp = server.alice();
        long have = Long.parseLong(ftp.getSize("half.bin"));
        assertThat(ftp.appendFile("half.bin", new ByteArrayInputStream(content, (int) have, content.length - (int) have))).isTrue();
        assertThat(Files.readAllBytes(server.root().resolve("half.bin"))).isEqualTo(content);
    }

    @Test
    void restPastTheEndIsRefusedWith554() throws IOException {
        Files.writeString(server.root().resolve("small"), "12345");
        c.command("TYPE I");
        assertThat(c.command("REST 6").code()).isEqualTo(350);
        Socket data = c.openPassive();
        assertThat(c.command("RETR small").code()).isEqualTo(554);
        data.close();
        assertThat(c.command("REST 9").code()).isEqualTo(350);
        data = c.openPassive();
        assertThat(c.command("STOR small").code()).isEqualTo(554);
        data.close();
        assertThat(server.root().resolve("small")).hasContent("12345");
    }

    /**
     * RFC 3659 section 5.3: REST must come right before the transfer command it restarts. Any
     * other command in between clears it, so that it cannot apply to a later, unrelated download
     * (it survived LIST, NLST and NOOP and cut the start off the next RETR). PASV, EPSV, PORT and
     * EPRT keep it: clients send them on either side of REST (jftp itself sends REST, then EPSV).
     */
    @Test
    void restIsClearedByAnyCommandButTheTransferItRestartsAndTheDataConnectionSetUp() throws IOException {
        Files.writeString(server.root().resolve("r.txt"), "0123456789");
        c.command("TYPE I");
        for (String between : new String[] {"NOOP", "PWD", "SIZE r.txt", "TYPE I", "STAT", "XYZZY"}) {
            assertThat(c.command("REST 4").code()).isEqualTo(350);
            c.command(between);
            assertThat(new String(c.download("RETR r.txt"), StandardCharsets.US_ASCII)).as("RETR after REST 4, " + between)
                    .isEqualTo("0123456789");
        }
        for (String listing : new String[] {"LIST", "NLST", "MLSD"}) {
            assertThat(c.command("REST 4").code()).isEqualTo(350);
            c.download(listing);
            assertThat(new String(c.download("RETR r.txt"), StandardCharsets.US_ASCII)).as("RETR after REST 4, " + listing)
                    .isEqualTo("0123456789");
        }
        // REST, then PASV (inside download), then RETR: the restart applies.
        assertThat(c.command("REST 4").code()).isEqualTo(350);
        assertThat(new String(c.download("RETR r.txt"), StandardCharsets.US_ASCII)).isEqualTo("456789");
        c.useExtendedPassive(true);
        assertThat(c.command("REST 6").code()).isEqualTo(350);
        assertThat(new String(c.download("RETR r.txt"), StandardCharsets.US_ASCII)).isEqualTo("6789");
    }

    /** REST n + STOR of a file that does not exist: 554, and no file is made. */
    @Test
    void restThenStorOfAMissingFileCreatesNothing() throws IOException {
        c.command("TYPE I");
        assertThat(c.command("REST 5").code()).isEqualTo(350);
        try (Socket data = c.openPassive()) {
            assertThat(c.command("STOR missing.bin").code()).isEqualTo(554);
        }
        assertThat(server.root().resolve("missing.bin")).doesNotExist();
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        assertNoTemporaryFiles();
    }

    @Test
    void utf8NamesWithSpaces() throws IOException {
        FTPClient ftp = server.alice();
        assertThat(ftp.makeDirectory("dir with space")).isTrue();
        String name = "dir with space/naïve файл ☃ .txt";
        assertThat(ftp.storeFile(name, new ByteArrayInputStream("ünïcødé".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(server.root().resolve("dir with space").resolve("naïve файл ☃ .txt")).hasContent("ünïcødé");
        assertThat(ftp.listNames("dir with space")).containsExactly("naïve файл ☃ .txt");
        assertThat(new String(retrieve(ftp, name), StandardCharsets.UTF_8)).isEqualTo("ünïcødé");
        assertThat(ftp.deleteFile(name)).isTrue();
        assertThat(ftp.removeDirectory("dir with space")).isTrue();
        assertThat(server.root().resolve("dir with space")).doesNotExist();
    }
}
