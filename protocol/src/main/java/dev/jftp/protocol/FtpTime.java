package dev.jftp.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;

/** The "time-val" of RFC 3659 section 2.3 (YYYYMMDDHHMMSS[.sss], always UTC), used by MDTM, MFMT and MLSx. */
public final class FtpTime {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    /** Strict, so that a day that does not exist (Feb 30) is refused rather than moved to another. */
    private static final DateTimeFormatter PARSE = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

    private FtpTime() {
    }

    public static String format(Instant instant) {
        return SECONDS.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses "YYYYMMDDHHMMSS" with an optional ".fraction" of up to 9 digits. */
    public static Instant parse(String text) {
        if (text == null || text.length() < 14) {
            throw new IllegalArgumentException("expected YYYYMMDDHHMMSS");
        }
        String whole = text.substring(0, 14);
        if (!whole.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("expected YYYYMMDDHHMMSS");
        }
        long nanos = 0;
        if (text.length() > 14) {
            String fraction = text.substring(14);
            if (fraction.length() < 2 || fraction.length() > 10 || fraction.charAt(0) != '.'
                    || !fraction.substring(1).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad fraction of a second");
            }
            String digits = (fraction.substring(1) + "000000000").substring(0, 9);
            nanos = Long.parseLong(digits);
        }
        try {
            return LocalDateTime.parse(whole, PARSE).toInstant(ZoneOffset.UTC).plusNanos(nanos);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a valid date: " + whole, e);
        }
    }
}
