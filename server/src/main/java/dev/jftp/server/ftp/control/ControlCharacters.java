package dev.jftp.server.ftp.control;

/**
 * Makes client-supplied text safe to put into a reply line or a log line. A command line may carry
 * a bare CR (one not followed by LF, which RFC 959's Telnet lines do not allow but a client can
 * send), an ESC starting a terminal sequence, or other control characters; echoed raw, a CR
 * returns the cursor so that the text after it overwrites what came before, in a client's view
 * of the reply and in a terminal showing the log. They are shown as {@code \xNN} instead, as
 * listings show the bytes of a name that are not UTF-8. Tab stays.
 */
public final class ControlCharacters {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ControlCharacters() {
    }

    /** {@code text} with every control character but tab written as {@code \xNN}; the same string when there is none. */
    public static String escape(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text; // the usual case: one scan, no copy
        }
        StringBuilder sb = new StringBuilder(n + 8).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                sb.append("\\x").append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }
}
