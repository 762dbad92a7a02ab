package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The command line as sftp users type it (and as picocli took it before). */
class ArgumentsTest {
    @Test
    void optionValuesComeSeparateAttachedOrAfterAnEqualsSign() throws Exception {
        assertThat(Arguments.parse(new String[] {"-P", "2121", "-b", "cmds", "host"}))
                .isEqualTo(new Arguments(2121, "cmds", false, false, false, false, false, false, false, "host"));
        assertThat(Arguments.parse(new String[] {"-P2121", "-bcmds"}).port()).isEqualTo(2121);
        assertThat(Arguments.parse(new String[] {"-P=2121", "-b=-"}).batchFile()).isEqualTo("-");
    }

    @Test
    void oneLetterOptionsClusterAndLongOnesStandAlone() throws Exception {
        Arguments a = Arguments.parse(new String[] {"-rvP", "21", "--active", "--tls", "--insecure", "alice@host:dir"});
        assertThat(a).isEqualTo(new Arguments(21, null, true, true, true, true, true, false, false, "alice@host:dir"));
        assertThat(Arguments.parse(new String[] {"-h"}).help()).isTrue();
        assertThat(Arguments.parse(new String[] {"--version"}).version()).isTrue();
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        assertThat(Arguments.parse(new String[] {"--", "-odd-host"}).destination()).isEqualTo("-odd-host");
        assertThat(Arguments.parse(new String[] {}).destination()).isNull();
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-x"})).hasMessage("Unknown option: '-x'");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--bogus"})).hasMessage("Unknown option: '--bogus'");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-P", "abc"})).hasMessage("Invalid value for option '-P': 'abc' is not an int");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"-b"})).hasMessage("Missing required parameter for option '-b' (BATCHFILE)");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"a", "b"})).hasMessage("Unmatched argument at index 1: 'b'");
    }
}
