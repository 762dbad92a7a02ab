package dev.jftp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jftp.server.ftp.data.PassivePortRange;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Fuzzes the jftpd command line (picocli over {@link Jftpd}'s options and the "user add"
 * subcommand): any arguments must either parse or be refused with picocli's ParameterException
 * (which picocli turns into a usage message and exit status 2), never with another exception; and a
 * --passive-ports value that parses is refused, if at all, with IllegalArgumentException.
 */
class JftpdOptionsFuzzTest {
    private static final List<String> WORDS = List.of("--bind", "--port", "--root", "--user", "--users",
            "--anonymous", "--passive-ports", "--passive-address", "--max-sessions", "--max-sessions-per-ip",
            "--idle-timeout", "--help", "--version", "-h", "-V", "user", "add", "--home", "--read-only",
            "--permissions", "--", "=", "0", "-1", "65536", "2147483648", "50000-50100", "alice:secret", "::1");

    @FuzzTest(maxDuration = "20s")
    void optionsParseOrGiveAUsageError(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 8);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (data.consumeBoolean()) {
                args.add(data.pickValue(WORDS));
            } else {
                String word = data.consumeString(40);
                // An @file argument makes picocli read that file: an operator's feature, not input to fuzz.
                args.add(word.startsWith("@") ? word.substring(1) : word);
            }
        }
        Jftpd jftpd = new Jftpd();
        CommandLine commandLine = new CommandLine(jftpd);
        try {
            commandLine.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException usageError) {
            assertThat(usageError.getMessage()).isNotBlank();
            return;
        }
        if (jftpd.passivePorts != null) {
            try {
                PassivePortRange range = PassivePortRange.parse(jftpd.passivePorts);
                assertThat(range.low()).isLessThanOrEqualTo(range.high());
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }
}
