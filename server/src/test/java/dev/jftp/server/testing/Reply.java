package dev.jftp.server.testing;

import java.util.List;

/**
 * One complete FTP reply as it came over the wire (RFC 959 section 4.2).
 *
 * @param code  the three-digit reply code
 * @param lines every line of the reply, without CRLF, including the code prefixes
 */
public record Reply(int code, List<String> lines) {
    /** The text of a single-line reply, or of the last line, without the code. */
    public String text() {
        String last = lines.get(lines.size() - 1);
        return last.length() > 4 ? last.substring(4) : "";
    }

    /** The last line, code included: the one a multi-line reply ends with. */
    public String last() {
        return lines.get(lines.size() - 1);
    }

    /** All lines joined by newlines, for assertions on content. */
    public String all() {
        return String.join("\n", lines);
    }

    public boolean isMultiLine() {
        return lines.size() > 1;
    }

    @Override
    public String toString() {
        return all();
    }
}
