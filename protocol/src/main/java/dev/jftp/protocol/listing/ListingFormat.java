package dev.jftp.protocol.listing;

import dev.jftp.protocol.FtpTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The text of directory listings: LIST in the "ls -l" form that curl, lftp, FileZilla and the stock
 * ftp client parse, NLST names only, and MLSx fact lines (RFC 3659 section 7). Times are UTC.
 * {@link ListingParser} reads them back. An entry that is neither a file nor a directory (a link
 * the server does not follow, a device) shows as a link in LIST, which clients do not copy.
 * An entry without a mode shows as 0644 (a file) or 0755 (a directory) in LIST and without
 * UNIX.mode in MLSx.
 */
public final class ListingFormat {
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Duration SIX_MONTHS = Duration.ofDays(182);

    private ListingFormat() {
    }

    /** One "ls -l" line, without the line end. */
    public static String longLine(ListedFile e, Instant now) {
        return longLine(e, now, null);
    }

    /**
     * One "ls -l" line, reusing {@code dates} for the date column: the files of a directory mostly
     * share a few modification minutes, and formatting a date costs more than the rest of the line
     * (caching it took a fifth off the CPU time of listing 100,000 files).
     */
    public static String longLine(ListedFile e, Instant now, DateColumn dates) {
        StringBuilder sb = new StringBuilder(80 + e.name().length());
        sb.append(e.isDirectory() ? 'd' : e.isFile() ? '-' : 'l');
        appendMode(sb, e.mode() >= 0 ? e.mode() : e.isDirectory() ? 0755 : 0644);
        sb.append(" 1 ftp      ftp      ");
        String size = Long.toString(e.size());
        for (int pad = 12 - size.length(); pad > 0; pad--) {
            sb.append(' ');
        }
        sb.append(size).append(' ');
        sb.append(dates != null ? dates.format(e.modified()) : DateColumn.formatDate(e.modified(), now)).append(' ');
        sb.append(printable(e.name()));
        return sb.toString();
    }

    /**
     * The date column of one listing: "MMM dd HH:mm" for the last six months, "MMM dd  yyyy" before
     * (as ls does), remembering the last minute formatted. One per listing; not thread-safe.
     */
    public static final class DateColumn {
        private final Instant now;
        private final long recentFrom;
        private final long recentUntil;
        private long lastMinute = Long.MIN_VALUE;
        private String lastText;

        public DateColumn(Instant now) {
            this.now = now;
            this.recentFrom = now.minus(SIX_MONTHS).getEpochSecond();
            this.recentUntil = now.plus(Duration.ofDays(1)).getEpochSecond();
        }

        String format(Instant modified) {
            long seconds = modified.getEpochSecond();
            long minute = Math.floorDiv(seconds, 60);
            // The six-month boundary falls inside a minute at most once per listing: format exactly there.
            if (minute != lastMinute || seconds <= recentFrom + 60 || seconds >= recentUntil - 60) {
                lastText = formatDate(modified, now);
                lastMinute = minute;
            }
            return lastText;
        }

        static String formatDate(Instant modified, Instant now) {
            boolean recent = modified.isBefore(now.plus(Duration.ofDays(1))) && modified.isAfter(now.minus(SIX_MONTHS));
            return (recent ? RECENT : OLD).format(modified);
        }
    }

    private static void appendMode(StringBuilder sb, int mode) {
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
    }

    /**
     * One MLSx line (RFC 3659 section 7.2): facts, a space, the name.
     *
     * @param perm the "perm" fact for this user (see {@link #permFact})
     */
    public static String factsLine(ListedFile e, String perm, String name) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("type=").append(e.isDirectory() ? "dir" : e.isFile() ? "file" : "OS.unix=other").append(';');
        sb.append("size=").append(e.size()).append(';');
        sb.append("modify=").append(FtpTime.format(e.modified())).append(';');
        sb.append("perm=").append(perm).append(';');
        sb.append("unique=").append(e.uniqueId()).append(';');
        if (e.mode() >= 0) {
            sb.append("UNIX.mode=0").append(Integer.toOctalString(e.mode() & 07777)).append(';');
        }
        sb.append(' ').append(printable(name));
        return sb.toString();
    }

    /**
     * The RFC 3659 section 7.5.5 "perm" fact: what this user may do with the entry, from their
     * permissions and the file's owner bits.
     */
    public static String permFact(ListedFile e, boolean mayWrite, boolean mayDelete, boolean mayRename, boolean mayMkdir) {
        boolean ownerWrite = e.mode() < 0 || (e.mode() & 0200) != 0; // no mode: the user's permissions decide
        StringBuilder sb = new StringBuilder(8);
        if (e.isDirectory()) {
            if (mayWrite && ownerWrite) {
                sb.append('c');
            }
            if (mayDelete) {
                sb.append('d');
            }
            sb.append('e');
            if (mayRename) {
                sb.append('f');
            }
            sb.append('l');
            if (mayMkdir && ownerWrite) {
                sb.append('m');
            }
            if (mayDelete && ownerWrite) {
                sb.append('p');
            }
        } else {
            if (mayWrite && ownerWrite) {
                sb.append('a');
            }
            if (mayDelete) {
                sb.append('d');
            }
            if (mayRename) {
                sb.append('f');
            }
            sb.append('r');
            if (mayWrite && ownerWrite) {
                sb.append('w');
            }
        }
        return sb.toString();
    }

    /**
     * A name as it can go on the wire: line breaks would end the listing line early, so they are
     * shown escaped, as are other control characters. (Bytes that are not valid UTF-8 on disk already
     * arrive here as U+FFFD from the JDK.)
     */
    public static String printable(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) {
                StringBuilder sb = new StringBuilder(name.length() + 8);
                for (int j = 0; j < name.length(); j++) {
                    char c = name.charAt(j);
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
                return sb.toString();
            }
        }
        return name;
    }
}
