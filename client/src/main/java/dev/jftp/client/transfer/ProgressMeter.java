package dev.jftp.client.transfer;

import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * A one-line progress meter like sftp's, redrawn in place with a carriage return:
 * {@code name  45%  460MB 115.0MB/s   00:05 ETA}. At the end the line shows the total time and
 * stays. Only used when the output is a terminal.
 */
public final class ProgressMeter implements TransferListener {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    private final PrintWriter out;
    private final IntSupplier width;
    private long lastDraw;

    public ProgressMeter(PrintWriter out, IntSupplier width) {
        this.out = out;
        this.width = width;
    }

    @Override
    public void started(Transfer transfer) {
        lastDraw = System.nanoTime();
        draw(transfer, false);
    }

    @Override
    public void progressed(Transfer transfer) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(transfer, false);
        }
    }

    @Override
    public void finished(Transfer transfer, boolean ok) {
        draw(transfer, ok);
        out.println();
        out.flush();
    }

    private void draw(Transfer t, boolean done) {
        out.print("\r" + line(t, done, System.nanoTime(), width.getAsInt()));
        out.flush();
    }

    static String line(Transfer t, boolean done, long nowNanos, int columns) {
        long have = t.offset() + t.bytes();
        long total = t.total();
        int percent = total > 0 ? (int) Math.min(100, have * 100 / total) : done ? 100 : 0;
        double seconds = Math.max(0, (nowNanos - t.startedNanos()) / 1e9);
        double rate = seconds > 0.001 ? t.bytes() / seconds : 0;
        String time;
        if (done) {
            time = clock(seconds) + "    ";
        } else if (rate > 0 && total > have) {
            time = clock((total - have) / rate) + " ETA";
        } else {
            time = "--:-- ETA";
        }
        String right = String.format(Locale.ROOT, " %3d%% %6s %7s/s %s", percent, size(have), rate(rate), time);
        int nameWidth = Math.max(8, columns - right.length() - 1);
        String name = t.name();
        if (name.length() > nameWidth) {
            name = name.substring(0, nameWidth);
        }
        return String.format(Locale.ROOT, "%-" + nameWidth + "s", name) + right;
    }

    /** Bytes in at most four digits and a unit, as sftp shows them ("1024MB"). */
    static String size(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 10_000 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%d%s", (long) value, UNITS[unit]);
    }

    private static String rate(double bytesPerSecond) {
        double value = bytesPerSecond;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", value, UNITS[unit]);
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
