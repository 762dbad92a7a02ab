package dev.jftp.client.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.client.ClientException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DestinationTest {
    @Test
    void parsesSftpUrlsWithAbsolutePathsAndTildeForTheHome() throws Exception {
        Destination d = Destination.parse("sftp://alice:pw@example.org:2222/var/log/x%20y.txt");
        assertThat(d.sftp()).isTrue();
        assertThat(d.implicitTls()).isFalse();
        assertThat(d.user()).isEqualTo("alice");
        assertThat(new String(d.password())).isEqualTo("pw");
        assertThat(d.port()).isEqualTo(2222);
        assertThat(d.path()).isEqualTo("/var/log/x y.txt");
        assertThat(Destination.parse("sftp://example.org/~/notes/").path()).isEqualTo("notes/");
        assertThat(Destination.parse("sftp://example.org/~/").path()).isNull();
        assertThat(Destination.parse("sftp://example.org").path()).isNull();
        assertThat(Destination.parse("sftp://example.org").port()).isEqualTo(-1);
        assertThat(Destination.parse("ftp://example.org/a").sftp()).isFalse();
        assertThat(Destination.withoutPasswords("open sftp://alice:pw@example.org/")).isEqualTo("open sftp://alice@example.org/");
    }

    @Test
    void parsesTheSftpForm() throws Exception {
        Destination d = Destination.parse("alice@example.org:logs/today");
        assertThat(d.user()).isEqualTo("alice");
        assertThat(d.host()).isEqualTo("example.org");
        assertThat(d.path()).isEqualTo("logs/today");
        assertThat(d.port()).isEqualTo(-1);
        assertThat(Destination.parse("host").user()).isNull();
        assertThat(Destination.parse("host").path()).isNull();
        Destination v6 = Destination.parse("bob@[::1]:/tmp");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.path()).isEqualTo("/tmp");
    }

    @Test
    void parsesUrls() throws Exception {
        Destination d = Destination.parse("ftp://al%40ice:p%3Ass@127.0.0.1:2121/dir/my%20file.txt");
        assertThat(d.user()).isEqualTo("al@ice");
        assertThat(new String(d.password())).isEqualTo("p:ss");
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(2121);
        assertThat(d.path()).isEqualTo("dir/my file.txt");
        assertThat(Destination.parse("ftp://h/%2Fetc/x").path()).isEqualTo("/etc/x");
        assertThat(Destination.parse("FTP://h").path()).isNull();
        assertThat(Destination.parse("ftp://[::1]:21/a;type=i").path()).isEqualTo("a");
    }

    @Test
    void refusesWhatIsNotADestination() {
        assertThatThrownBy(() -> Destination.parse("http://x/")).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> Destination.parse("ftp://h:99999/")).isInstanceOf(ClientException.class).hasMessageContaining("Bad port");
        assertThatThrownBy(() -> Destination.parse("@host")).isInstanceOf(ClientException.class);
    }

    @Test
    void netrcGivesLoginsAndPasswords() {
        Netrc n = Netrc.parse("""
                machine ftp.example.org login alice password "s e c"
                macdef init
                cd /pub
                bin

                machine other login bob password two
                default login anonymous password guest@
                """);
        assertThat(n.find("FTP.example.org", null).password()).isEqualTo("s e c");
        assertThat(n.find("ftp.example.org", "carol")).as("neither the machine's login nor the default's").isNull();
        assertThat(n.find("ftp.example.org", "anonymous").password()).isEqualTo("guest@");
        assertThat(n.find("other", "bob").password()).isEqualTo("two");
        assertThat(n.find("unknown", null).password()).isEqualTo("guest@");
    }

    @Test
    void aNetrcOthersCanReadKeepsItsPasswordsToItself(@TempDir Path home) throws Exception {
        Path file = home.resolve(".netrc");
        Files.writeString(file, "machine h login alice password secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        StringWriter warnings = new StringWriter();
        PasswordLookup lookup = new PasswordLookup(Map.of(), home, new PrintWriter(warnings, true));
        assertThat(lookup.find("h", "alice")).isNull();
        assertThat(warnings.toString()).contains("others can read it");
        assertThat(lookup.defaultUser("h")).isEqualTo("alice");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(new String(new PasswordLookup(Map.of(), home, new PrintWriter(warnings, true)).find("h", "alice"))).isEqualTo("secret");
        assertThat(new String(new PasswordLookup(Map.of("JFTP_PASSWORD", "env"), home, new PrintWriter(warnings, true)).find("h", "alice"))).isEqualTo("env");
        assertThat(new String(new PasswordLookup(Map.of(), home, new PrintWriter(warnings, true)).find("x", "anonymous"))).isEqualTo("jftp@");
    }
}
