package dev.jftp.client.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    @Test
    void showsNamePercentBytesRateAndEta() {
        Transfer t = new Transfer("data.bin", 0, 200L * 1024 * 1024, false, TransferListener.NONE);
        t.add(100L * 1024 * 1024);
        String line = ProgressMeter.line(t, false, t.startedNanos() + 2_000_000_000L, 80);
        assertThat(line).as("the last column stays free, so no terminal wraps the line").hasSize(79);
        assertThat(line).startsWith("data.bin ");
        assertThat(line).contains(" 50% ").contains("100MB").contains("50.0MB/s").endsWith("00:02 ETA");
        String done = ProgressMeter.line(t, true, t.startedNanos() + 2_000_000_000L, 80);
        assertThat(done).contains("00:02").doesNotContain("ETA");
    }

    @Test
    void resumedTransfersCountTheOffset() {
        Transfer t = new Transfer("x", 150, 200, false, TransferListener.NONE);
        t.add(50);
        assertThat(ProgressMeter.line(t, true, t.startedNanos() + 1_000_000_000L, 60)).contains("100%").contains("200B");
    }

    @Test
    void drawsInPlaceAndEndsTheLine() {
        StringWriter out = new StringWriter();
        ProgressMeter meter = new ProgressMeter(new PrintWriter(out), () -> 60);
        Transfer t = new Transfer("f", 0, 10, false, meter);
        meter.started(t);
        t.add(10);
        meter.finished(t, true);
        assertThat(out.toString()).startsWith("\r").contains("100%").endsWith(System.lineSeparator());
    }

    @Test
    void sizesHaveAtMostFourDigits() {
        assertThat(ProgressMeter.size(999)).isEqualTo("999B");
        assertThat(ProgressMeter.size(1024L * 1024 * 1024)).isEqualTo("1024MB");
        assertThat(ProgressMeter.size(50_000)).isEqualTo("48KB");
    }
}
