package dev.jftp.protocol.listing;

import dev.jftp.protocol.FtpTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns listing lines into {@link RemoteEntry}s: MLSx fact lines (RFC 3659 section 7) and Unix "ls -l" LIST lines. */
public final class ListingParser {
    /** Month abbreviations of "ls -l", in order. */
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    /**
     * Compiled on first use of a LIST line: an MLST or MLSD reply (all a one-shot put or get
     * parses) does not pay for the expression.
     */
    private static final class UnixLine {
        /**
         * A Unix long listing line: type and mode, link count, owner, optional group, size, date, name.
         * The date is "Mon dd HH:mm" (within six months) or "Mon dd  yyyy".
         */
        static final Pattern PATTERN = Pattern.compile(
                "([bcdlps-])([rwxsStT-]{9})[.+@]?\\s+\\d+\\s+(\\S+)\\s+(?:(\\S+)\\s+)?(\\d+)\\s+"
                        + "([A-Za-z]{3})\\s+(\\d{1,2})\\s+(\\d{1,2}:\\d{2}|\\d{4})\\s(.*)");
    }

    private ListingParser() {
    }

    /**
     * Parses one MLSD/MLST line "fact=value;...; name". Returns null for lines without facts and,
     * unless {@code keepDirectoryItself}, for the "cdir"/"pdir" entries (the directory itself and its
     * parent), which MLST may use to describe a directory.
     */
    public static RemoteEntry parseFacts(String line, boolean keepDirectoryItself) {
        int space = line.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String name = line.substring(space + 1);
        RemoteEntry.Kind kind = RemoteEntry.Kind.UNKNOWN;
        long size = -1;
        Instant modified = null;
        int mode = -1;
        String owner = null;
        String group = null;
        String target = null;
        for (String fact : line.substring(0, space).split(";")) {
            int eq = fact.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = fact.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = fact.substring(eq + 1);
            switch (key) {
                case "type" -> {
                    String type = value.toLowerCase(Locale.ROOT);
                    if (type.equals("cdir") || type.equals("pdir")) {
                        if (!keepDirectoryItself) {
                            return null;
                        }
                        kind = RemoteEntry.Kind.DIRECTORY;
                    } else if (type.equals("file")) {
                        kind = RemoteEntry.Kind.FILE;
                    } else if (type.equals("dir")) {
                        kind = RemoteEntry.Kind.DIRECTORY;
                    } else if (type.startsWith("os.unix=slink") || type.startsWith("os.unix=symlink")) {
                        kind = RemoteEntry.Kind.LINK;
                        int colon = value.indexOf(':');
                        target = colon < 0 ? null : value.substring(colon + 1);
                    } else {
                        kind = RemoteEntry.Kind.OTHER;
                    }
                }
                case "size", "sizd" -> size = parseLong(value);
                case "modify" -> modified = parseTime(value);
                case "unix.mode" -> mode = parseMode(value);
                case "unix.owner", "unix.uid" -> owner = owner == null || key.equals("unix.owner") ? value : owner;
                case "unix.group", "unix.gid" -> group = group == null || key.equals("unix.group") ? value : group;
                default -> {
                    // other facts (perm, unique, lang, ...) are not shown
                }
            }
        }
        return new RemoteEntry(name, kind, size, modified, mode, owner, group, target);
    }

    /** Parses one Unix "ls -l" line; null when the line has another form ("total 12", DOS style). */
    public static RemoteEntry parseUnixLine(String line, Instant now) {
        Matcher m = UnixLine.PATTERN.matcher(line);
        if (!m.matches()) {
            return null;
        }
        RemoteEntry.Kind kind = switch (m.group(1).charAt(0)) {
            case '-' -> RemoteEntry.Kind.FILE;
            case 'd' -> RemoteEntry.Kind.DIRECTORY;
            case 'l' -> RemoteEntry.Kind.LINK;
            default -> RemoteEntry.Kind.OTHER;
        };
        int mode = modeBits(m.group(2));
        String owner = m.group(3);
        String group = m.group(4);
        long size = parseLong(m.group(5));
        Instant modified = parseUnixDate(m.group(6), m.group(7), m.group(8), now);
        String name = m.group(9);
        String target = null;
        if (kind == RemoteEntry.Kind.LINK) {
            int arrow = name.indexOf(" -> ");
            if (arrow >= 0) {
                target = name.substring(arrow + 4);
                name = name.substring(0, arrow);
            }
        }
        return new RemoteEntry(name, kind, size, modified, mode, owner, group, target);
    }

    private static int modeBits(String letters) {
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            char c = letters.charAt(i);
            if (c != '-' && c != 'S' && c != 'T') {
                mode |= 1 << (8 - i);
            }
        }
        if (letters.charAt(2) == 's' || letters.charAt(2) == 'S') {
            mode |= 04000;
        }
        if (letters.charAt(5) == 's' || letters.charAt(5) == 'S') {
            mode |= 02000;
        }
        if (letters.charAt(8) == 't' || letters.charAt(8) == 'T') {
            mode |= 01000;
        }
        return mode;
    }

    /** "Mon dd HH:mm" has no year: it is the latest such date that is not in the future (give or take a day). */
    private static Instant parseUnixDate(String month, String day, String yearOrTime, Instant now) {
        try {
            int index = MONTHS.indexOf(month.toLowerCase(Locale.ROOT));
            if (index < 0 || index % 3 != 0) {
                return null;
            }
            int monthNumber = index / 3 + 1;
            int dayNumber = Integer.parseInt(day);
            if (yearOrTime.contains(":")) {
                String[] hm = yearOrTime.split(":");
                LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
                int year = today.getYear();
                if (MonthDay.of(monthNumber, dayNumber).atYear(year).isAfter(today.plusDays(1))) {
                    year--;
                }
                return LocalDateTime.of(year, monthNumber, dayNumber, Integer.parseInt(hm[0]), Integer.parseInt(hm[1]))
                        .toInstant(ZoneOffset.UTC);
            }
            return LocalDate.of(Integer.parseInt(yearOrTime), monthNumber, dayNumber).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int parseMode(String value) {
        try {
            return Integer.parseInt(value.trim(), 8) & 07777;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Parses an RFC 3659 time-val; null when it is not one. */
    public static Instant parseTime(String value) {
        try {
            return FtpTime.parse(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
