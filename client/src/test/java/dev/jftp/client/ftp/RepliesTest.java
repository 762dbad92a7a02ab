package dev.jftp.client.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the client reads from replies: FEAT's features, 257's quoted path. */
class RepliesTest {
    @Test
    void parsesFeatures() {
        Features f = Features.parse(new Reply(211, java.util.List.of("211-Features:", " MDTM", " REST STREAM", " MLST type*;size*;", "211 End")));
        assertThat(f.has("mdtm")).isTrue();
        assertThat(f.hasRestStream()).isTrue();
        assertThat(f.parameters("MLST")).isEqualTo("type*;size*;");
        assertThat(f.has("MFMT")).isFalse();
        assertThat(Features.parse(new Reply(500, java.util.List.of("500 no"))).has("MDTM")).isFalse();
    }

    @Test
    void readsQuotedPathsOf257Replies() {
        assertThat(FtpClient.quotedPath("\"/a \"\"b\"\"\" is the current directory")).isEqualTo("/a \"b\"");
        assertThat(FtpClient.quotedPath("\"/\"")).isEqualTo("/");
    }
}
