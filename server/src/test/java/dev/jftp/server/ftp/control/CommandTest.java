package dev.jftp.server.ftp.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void verbIsUpperCasedAndTheArgumentKeptExactly() {
        Command c = Command.parse("stor  two spaces ");
        assertThat(c.verb()).isEqualTo("STOR");
        assertThat(c.argument()).isEqualTo(" two spaces ");
        assertThat(Command.parse("NOOP")).isEqualTo(new Command("NOOP", ""));
        assertThat(Command.parse("NOOP").hasArgument()).isFalse();
    }

    @Test
    void neverLogsAPassword() {
        assertThat(Command.parse("PASS hunter2").forLog()).isEqualTo("PASS ****").doesNotContain("hunter2");
        assertThat(Command.parse("pass hunter2").forLog()).doesNotContain("hunter2");
        assertThat(Command.parse("RETR a").forLog()).isEqualTo("RETR a");
        assertThat(Command.parse("RETR a\rb\u001b[2J\tc").forLog()).isEqualTo("RETR a\\x0db\\x1b[2J\tc");
    }
}
