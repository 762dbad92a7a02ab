package dev.jftp.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The "time-val" of RFC 3659 section 2.3 (YYYYMMDDHHMMSS[.sss], always UTC), used by MDTM, MFMT and MLSx.
 * Written and read digit by digit rather than with a {@code DateTimeFormatter}: building one loads
 * some 70 classes and spins method handles, which a one-shot client's put paid when its AOT cache's
 * training had not (it parses the MLST reply about its target); the server formats one per entry
 * of every MLSD listing.
 */
public final class FtpTime {
    /** The earliest and the latest times a four-digit year can say; others are clamped to them. */
    private static final long FIRST_SECOND = LocalDateTime.of(0, 1, 1, 0, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    private FtpTime() {
    }

    /** The instant's whole seconds as YYYYMMDDHHMMSS; a time outside years 0000-9999 becomes the nearer end. */
    public static String format(Instant instant) {
        long second = Math.clamp(instant.getEpochSecond(), FIRST_SECOND, LAST_SECOND);
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        char[] out = new char[14];
        put(out, 0, t.getYear(), 4);
        put(out, 4, t.getMonthValue(), 2);
        put(out, 6, t.getDayOfMonth(), 2);
        put(out, 8, t.getHour(), 2);
        put(out, 10, t.getMinute(), 2);
        put(out, 12, t.getSecond(), 2);
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Parses "YYYYMMDDHHMMSS" with an optional ".fraction" of up to 9 digits; a date that does not exist (Feb 30) is refused. */
    public static Instant parse(String text) {
        if (text == null || text.length() < 14 || !digits(text, 0, 14)) {
            throw new IllegalArgumentException("expected YYYYMMDDHHMMSS");
        }
        long nanos = 0;
        if (text.length() > 14) {
            int fraction = text.length() - 15;
            if (text.charAt(14) != '.' || fraction < 1 || fraction > 9 || !digits(text, 15, text.length())) {
                throw new IllegalArgumentException("bad fraction of a second");
            }
            nanos = number(text, 15, text.length());
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        try {
            LocalDateTime t = LocalDateTime.of(number(text, 0, 4), number(text, 4, 6), number(text, 6, 8),
                    number(text, 8, 10), number(text, 10, 12), number(text, 12, 14));
            return Instant.ofEpochSecond(t.toEpochSecond(ZoneOffset.UTC), nanos);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a valid date: " + text.substring(0, 14), e);
        }
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The decimal number in text[from, to), which holds digits only (at most 9). */
    private static int number(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (text.charAt(i) - '0');
        }
        return n;
    }
}
