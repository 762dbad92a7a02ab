package dev.jftp.server.ftp.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciiLineEndsTest {
    private static String convert(String wire, boolean[] heldBack) {
        ByteBuffer b = ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1));
        heldBack[0] = DataConnection.toLocalLineEnds(b);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfBecomesLfAndLoneCrOrLfStay() {
        boolean[] held = new boolean[1];
        assertThat(convert("a\r\nb\r\n", held)).isEqualTo("a\nb\n");
        assertThat(held[0]).isFalse();
        assertThat(convert("a\rb\nc\r\r\n", held)).isEqualTo("a\rb\nc\r\n");
    }

    @Test
    void aCrAtTheEndOfTheBufferIsHeldBackForTheNextRead() {
        boolean[] held = new boolean[1];
        assertThat(convert("line\r", held)).isEqualTo("line");
        assertThat(held[0]).isTrue();
    }
}
