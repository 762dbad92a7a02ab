package dev.jftp.protocol.ascii;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both directions of TYPE A conversion, whole and cut into pieces at every place. */
class LineEndsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Converts {@code input} to local form, fed in pieces of {@code piece} bytes, through direct buffers of {@code room}. */
    private static byte[] toLocal(byte[] input, int piece, int room) {
        ToLocalLineEnds converter = new ToLocalLineEnds();
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        ByteBuffer local = ByteBuffer.allocateDirect(room);
        for (int at = 0; at < input.length; at += piece) {
            ByteBuffer wire = ByteBuffer.allocateDirect(piece);
            wire.put(input, at, Math.min(piece, input.length - at)).flip();
            while (wire.hasRemaining()) {
                local.clear();
                converter.convert(wire, local);
                result.write(drain(local), 0, local.position());
            }
        }
        local.clear();
        converter.finish(local);
        result.write(drain(local), 0, local.position());
        return result.toByteArray();
    }

    private static byte[] drain(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }

    private static byte[] toWire(byte[] input, int piece, int room) {
        ToWireLineEnds converter = new ToWireLineEnds();
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        ByteBuffer wire = ByteBuffer.allocateDirect(room);
        for (int at = 0; at < input.length; at += piece) {
            ByteBuffer local = ByteBuffer.allocate(piece);
            local.put(input, at, Math.min(piece, input.length - at)).flip();
            while (local.hasRemaining()) {
                wire.clear();
                converter.convert(local, wire);
                result.write(drain(wire), 0, wire.position());
            }
        }
        return result.toByteArray();
    }

    /** The rule spelled out byte by byte, to compare the fast code with. */
    private static byte[] toLocalByRule(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
                continue;
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    private static byte[] toWireByRule(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    @Test
    void crlfBecomesLfAndLoneCrOrLfStay() {
        assertThat(text(toLocal(bytes("a\r\nb\r\n"), 64, 64))).isEqualTo("a\nb\n");
        assertThat(text(toLocal(bytes("a\rb\nc\r\r\n"), 64, 64))).isEqualTo("a\rb\nc\r\n");
    }

    @Test
    void aCrAtTheEndOfABufferIsHeldBackForTheNextRead() {
        ToLocalLineEnds converter = new ToLocalLineEnds();
        ByteBuffer local = ByteBuffer.allocate(16);
        converter.convert(ByteBuffer.wrap(bytes("line\r")), local);
        assertThat(text(drain(local))).isEqualTo("line");
        assertThat(converter.holdsCr()).isTrue();
        converter.convert(ByteBuffer.wrap(bytes("\nnext\r")), local);
        assertThat(text(drain(local))).isEqualTo("line\nnext");
        converter.finish(local); // the data ends after a CR alone: it is data
        assertThat(text(drain(local))).isEqualTo("line\nnext\r");
        assertThat(converter.holdsCr()).isFalse();
    }

    @Test
    void aLfAloneGetsItsCrAndACrlfInTheFileStaysOne() {
        assertThat(text(toWire(bytes("a\nb\r\nc\rd\n\n"), 64, 64))).isEqualTo("a\r\nb\r\nc\rd\r\n\r\n");
        assertThat(text(toWire(bytes("\n"), 64, 64))).isEqualTo("\r\n");
        assertThat(text(toWire(bytes("\r"), 64, 64))).isEqualTo("\r");
    }

    @Test
    void aCrAtTheEndOfOneBufferAndItsLfAtTheStartOfTheNextStayOneLineEnd() {
        assertThat(text(toWire(bytes("ab\r\ncd"), 3, 64))).isEqualTo("ab\r\ncd");
        assertThat(text(toLocal(bytes("ab\r\ncd"), 3, 64))).isEqualTo("ab\ncd");
    }

    @Test
    void everyWayOfCuttingTheDataGivesTheSameResultAsTheRule() {
        byte[] sample = bytes("x\r\n\n\r\r\n\rab\ncd\r\r\n\n\n\r\rz\r");
        byte[] expectedLocal = toLocalByRule(sample);
        byte[] expectedWire = toWireByRule(sample);
        for (int piece = 1; piece <= sample.length; piece++) {
            for (int room = 2; room <= sample.length * 2 + 2; room++) {
                assertThat(toLocal(sample, piece, room)).as("to local, piece %d room %d", piece, room).isEqualTo(expectedLocal);
                assertThat(toWire(sample, piece, room)).as("to wire, piece %d room %d", piece, room).isEqualTo(expectedWire);
            }
        }
    }

    @Test
    void randomTextRoundTripsAndMatchesTheRule() {
        Random random = new Random(42);
        byte[] alphabet = bytes("\r\n\nab cdefgh\r");
        for (int round = 0; round < 50; round++) {
            byte[] data = new byte[1 + random.nextInt(5000)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int piece = 1 + random.nextInt(700);
            int room = 2 + random.nextInt(900);
            assertThat(toLocal(data, piece, room)).isEqualTo(toLocalByRule(data));
            byte[] wire = toWire(data, piece, room);
            assertThat(wire).isEqualTo(toWireByRule(data));
            // Text with LF line ends only comes back as it was.
            byte[] unixText = text(data).replace("\r", "").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(toLocal(toWire(unixText, piece, room), piece, room)).isEqualTo(unixText);
        }
    }
}
