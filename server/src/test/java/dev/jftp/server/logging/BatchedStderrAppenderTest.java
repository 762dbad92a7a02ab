package dev.jftp.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchedStderrAppenderTest {
    private final LoggerContext context = new LoggerContext();

    private BatchedStderrAppender appender(OutputStream out, int queueLimit) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        BatchedStderrAppender appender = new BatchedStderrAppender(out);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setQueueLimit(queueLimit);
        appender.start();
        return appender;
    }

    private void log(BatchedStderrAppender appender, String message) {
        appender.doAppend(new LoggingEvent("test", context.getLogger("test"), Level.INFO, message, null, null));
    }

    @Test
    void linesAreWrittenInOrderWithinAPeriodAndTheRestOnStop() throws Exception {
        CountDownLatch firstWrite = new CountDownLatch(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
            @Override
            public synchronized void flush() {
                firstWrite.countDown();
            }
        };
        BatchedStderrAppender appender = appender(bytes, 1000);
        log(appender, "one");
        log(appender, "two");
        assertThat(firstWrite.await(10, TimeUnit.SECONDS)).as("written by the writer thread, unasked").isTrue();
        log(appender, "three");
        appender.stop();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void aFullQueueDropsLinesAndSaysHowMany() {
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream stalled = new OutputStream() { // a standard error nobody reads: the writer waits
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                bytes.write(b, off, len);
            }
        };
        BatchedStderrAppender appender = appender(stalled, 3);
        for (int i = 0; i < 10; i++) {
            log(appender, "line " + i); // never blocks, however stalled the output
        }
        release.countDown();
        appender.stop();
        String written = bytes.toString(StandardCharsets.UTF_8);
        java.util.regex.Matcher dropped = java.util.regex.Pattern.compile("(\\d+) log lines dropped").matcher(written);
        assertThat(dropped.find()).as(written).isTrue();
        long kept = written.lines().filter(l -> l.startsWith("line ")).count();
        // The writer may take a line or two off the queue while the ten are logged; no line is lost unsaid.
        assertThat(kept).isBetween(3L, 5L);
        assertThat(kept + Long.parseLong(dropped.group(1))).isEqualTo(10);
        assertThat(written).startsWith("line 0\nline 1\nline 2\n");
    }
}
