package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.client.CommandLineOptions.UsageException;
import org.junit.jupiter.api.Test;

/** jftp's command line parsed as picocli parsed it before (the forms scripts may use), and its mistakes named. */
class CommandLineOptionsTest {
    private static CommandLineOptions parse(String... args) throws UsageException {
        return CommandLineOptions.parse(args);
    }

    @Test
    void optionsAndTheDestinationInAnyOrder() throws Exception {
        CommandLineOptions o = parse("-b", "cmds", "alice@host", "-P", "2121", "--active", "-i", "k1", "-i", "k2", "--tls", "--insecure");
        assertThat(o.batchFile).isEqualTo("cmds");
        assertThat(o.destination).isEqualTo("alice@host");
        assertThat(o.port).isEqualTo(2121);
        assertThat(o.active).isTrue();
        assertThat(o.tls).isTrue();
        assertThat(o.insecure).isTrue();
        assertThat(o.identityFiles).containsExactly("k1", "k2");
        assertThat(o.recursive || o.verbose || o.sftp || o.help || o.version).isFalse();
    }

    @Test
    void valuesAttachedClusteredOrAfterAnEqualsSign() throws Exception {
        assertThat(parse("-P2121", "h").port).isEqualTo(2121);
        assertThat(parse("-P=2121", "h").port).isEqualTo(2121);
        CommandLineOptions clustered = parse("-rvb", "-", "--sftp", "h");
        assertThat(clustered.recursive).isTrue();
        assertThat(clustered.verbose).isTrue();
        assertThat(clustered.batchFile).isEqualTo("-");
        assertThat(clustered.sftp).isTrue();
        assertThat(parse("-rP21", "h").port).isEqualTo(21);
        assertThat(parse("--", "-odd-host").destination).isEqualTo("-odd-host");
        assertThat(parse("-h").help).isTrue();
        assertThat(parse("--version").version).isTrue();
        assertThat(parse().destination).isNull();
    }

    @Test
    void mistakesAreNamedAsBefore() {
        assertThatThrownBy(() -> parse("-x", "h")).isInstanceOf(UsageException.class).hasMessage("Unknown option: '-x'");
        assertThatThrownBy(() -> parse("--bogus")).hasMessage("Unknown option: '--bogus'");
        assertThatThrownBy(() -> parse("-rx")).hasMessage("Unknown option: '-x'");
        assertThatThrownBy(() -> parse("h", "-P")).hasMessage("Missing required parameter for option '-P' (PORT)");
        assertThatThrownBy(() -> parse("-b", "-P", "21", "h")).hasMessage("Missing required parameter for option '-b' (BATCHFILE)");
        assertThatThrownBy(() -> parse("-P", "abc", "h")).hasMessage("Invalid value for option '-P': 'abc' is not an int");
        assertThatThrownBy(() -> parse("a", "b")).hasMessage("Unmatched argument at index 1: 'b'");
        assertThatThrownBy(() -> parse("-P", "1", "-P", "2")).hasMessage("option '-P' (PORT) should be specified only once");
        assertThatThrownBy(() -> parse("--tls=yes")).hasMessage("Invalid value for option '--tls': 'yes' takes no value");
    }

    @Test
    void theHelpNamesEveryOptionWithinEightyColumns() {
        String help = CommandLineOptions.help();
        assertThat(help).startsWith("Usage: jftp [-hrvV] [--active] [--tls] [--insecure] [--sftp] [-P=PORT]");
        for (CommandLineOptions.Option option : CommandLineOptions.Option.values()) {
            assertThat(help).contains(option.displayName());
        }
        assertThat(help).contains("  -P=PORT             Port to connect to (default 21; 22 with SFTP).\n")
                .contains("  -h, --help          Show this help message and exit.\n")
                .contains("[DESTINATION]").contains("JFTP_PASSWORD");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }
}
