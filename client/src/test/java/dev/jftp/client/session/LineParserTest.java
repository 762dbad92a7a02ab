package dev.jftp.client.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.client.ClientException;
import org.junit.jupiter.api.Test;

class LineParserTest {
    @Test
    void splitsOnBlanksAndGroupsQuotes() throws Exception {
        assertThat(LineParser.split("get  -p 'my file' \"other file\" last")).containsExactly("get", "-p", "my file", "other file", "last");
        assertThat(LineParser.split("put a\\ b")).containsExactly("put", "a b");
        assertThat(LineParser.split("get x''")).containsExactly("get", "x");
    }

    @Test
    void keepsEscapedWildcardsEscapedForTheGlob() throws Exception {
        assertThat(LineParser.split("get a\\*b")).containsExactly("get", "a\\*b");
        assertThat(LineParser.split("get *.log")).containsExactly("get", "*.log");
    }

    @Test
    void quoteRoundTrips() throws Exception {
        String name = "we ird'\"*name\\";
        assertThat(LineParser.split("get " + LineParser.quote(name)))
                .containsExactly("get", dev.jftp.client.glob.Glob.escape(name));
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> LineParser.split("get 'abc")).isInstanceOf(ClientException.class).hasMessageContaining("Unterminated quote");
    }

    @Test
    void flagsStopAtTheFirstOperandOrDoubleDash() throws Exception {
        Flags f = Flags.parse("get", java.util.List.of("-ap", "-r", "x", "-f"), "afPpRr");
        assertThat(f.has('a')).isTrue();
        assertThat(f.has('r')).isTrue();
        assertThat(f.has('f')).isFalse();
        assertThat(f.operands()).containsExactly("x", "-f");
        assertThat(Flags.parse("rm", java.util.List.of("--", "-x"), "").operands()).containsExactly("-x");
        assertThatThrownBy(() -> Flags.parse("get", java.util.List.of("-z", "x"), "afPpRr"))
                .isInstanceOf(ClientException.class).hasMessage("get: unknown option -z (options: -afPpRr)");
    }
}
