package dev.jftp.server.ftp.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The line buffer starts small and grows: long lines up to the limit still arrive whole. */
@Timeout(10)
class ControlLineReaderGrowthTest {
    private static ControlLineReader reader(String text) {
        return new ControlLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aLineLongerThanTheInitialBufferArrivesWhole() throws IOException {
        String path = "d/".repeat(2000) + "file-é.txt";
        ControlLineReader r = reader("RETR " + path + "\r\nNOOP\r\n");
        assertThat(r.read()).isEqualTo(new ControlLine.Text("RETR " + path));
        assertThat(r.read()).isEqualTo(new ControlLine.Text("NOOP"));
        assertThat(r.read()).isInstanceOf(ControlLine.EndOfStream.class);
    }

    @Test
    void aLineAtTheLimitIsKeptAndOneOverItIsRefusedThenReadingGoesOn() throws IOException {
        String atLimit = "x".repeat(ControlLineReader.DEFAULT_LIMIT);
        String overLimit = "y".repeat(ControlLineReader.DEFAULT_LIMIT + 1);
        ControlLineReader r = reader(atLimit + "\n" + overLimit + "\r\nPWD\r\n");
        assertThat(r.read()).isEqualTo(new ControlLine.Text(atLimit));
        assertThat(r.read()).isEqualTo(new ControlLine.TooLong(ControlLineReader.DEFAULT_LIMIT));
        assertThat(r.read()).isEqualTo(new ControlLine.Text("PWD"));
    }

    @Test
    void manyPipelinedLinesBeyondOneReadBufferAllArrive() throws IOException {
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            burst.append("SIZE file-").append(i).append("\r\n");
        }
        ControlLineReader r = reader(burst.toString());
        for (int i = 0; i < 300; i++) {
            assertThat(r.read()).isEqualTo(new ControlLine.Text("SIZE file-" + i));
        }
        assertThat(r.read()).isInstanceOf(ControlLine.EndOfStream.class);
    }
}
