package dev.jftp.server.ftp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.RunningServer;
import java.io.IOException;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SYST, FEAT/OPTS (RFC 2389), HELP, NOOP, STAT, ALLO. */
class InfoCommandsTest {
    @RegisterExtension
    final RunningServer server = RunningServer.perTest();


    @Test
    void systSaysUnixTypeL8() throws IOException {
        Reply reply = server.connect().command("SYST");
        assertThat(reply.code()).isEqualTo(215);
        assertThat(reply.text()).isEqualTo("UNIX Type: L8");
    }

    @Test
    void featListsTheExtensions() throws IOException {
        FTPClient ftp = server.alice();
        assertThat(ftp.features()).isTrue();
        for (String feature : new String[] {"UTF8", "SIZE", "MDTM", "MFMT", "EPSV", "EPRT", "TVFS"}) {
            assertThat(ftp.hasFeature(feature)).as(feature).isTrue();
        }
        assertThat(ftp.featureValue("REST")).isEqualTo("STREAM");
        assertThat(ftp.featureValue("MLST")).contains("type*").contains("size*").contains("modify*").contains("perm*").contains("unique*");
        assertThat(ftp.featureValue("HASH")).contains("SHA-256").contains("SHA-1").contains("MD5");
    }

    @Test
    void optsUtf8OnIsAccepted() throws IOException {
        ControlConnection c = server.connect();
        assertThat(c.command("OPTS UTF8 ON").code()).isEqualTo(200);
        assertThat(c.command("OPTS utf8 on").code()).isEqualTo(200);
        assertThat(c.command("OPTS MLST type;size;").code()).isEqualTo(200);
    }

    @Test
    void helpListsCommandsAndExplainsOne() throws IOException {
        ControlConnection c = server.connect();
        Reply all = c.command("HELP");
        assertThat(all.code()).isEqualTo(214);
        assertThat(all.all()).contains("RETR").contains("STOR").contains("MLSD").contains("EPSV");
        Reply one = c.command("HELP retr");
        assertThat(one.code()).isEqualTo(214);
        assertThat(one.text()).contains("RETR path");
        FTPClient ftp = server.alice();
        assertThat(ftp.listHelp("MFMT")).contains("MFMT");
    }

    @Test
    void noopAndAllo() throws IOException {
        ControlConnection c = server.connectAsAlice();
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        assertThat(c.command("ALLO 1000").code()).isEqualTo(202);
        assertThat(c.command("ALLO 1000 R 10").code()).isEqualTo(202);
        assertThat(server.alice().allocate(4096)).isTrue();
    }

    @Test
    void statWithoutArgumentDescribesTheSession() throws IOException {
        ControlConnection c = server.connectAsAlice();
        c.command("TYPE I");
        Reply stat = c.command("STAT");
        assertThat(stat.code()).isEqualTo(211);
        assertThat(stat.isMultiLine()).isTrue();
        assertThat(stat.all()).contains("Logged in as alice").contains("BINARY").contains("127.0.0.1");
        assertThat(server.alice().getStatus()).contains("211");
    }
}
