package dev.jftp.client.ftp;

import dev.jftp.protocol.ReplyCode;
import java.util.ArrayList;
import java.util.List;

/**
 * One server reply (RFC 959 section 4.2): a three-digit code and one or more lines of text.
 *
 * @param code  the reply code
 * @param lines the lines as received, without line ends (the first and last carry the code)
 */
public record Reply(int code, List<String> lines) {
    public Reply {
        lines = List.copyOf(lines);
    }

    /** Whether this is the reply {@code expected}. */
    public boolean is(ReplyCode expected) {
        return code == expected.code();
    }

    public boolean isPreliminary() {
        return ReplyCode.isPositivePreliminary(code);
    }

    public boolean isCompletion() {
        return ReplyCode.isPositiveCompletion(code);
    }

    public boolean isIntermediate() {
        return ReplyCode.isPositiveIntermediate(code);
    }

    /** 500, 502 and 504: the server does not know or does not offer the command. */
    public boolean isNotSupported() {
        return is(ReplyCode.SYNTAX_ERROR) || is(ReplyCode.NOT_IMPLEMENTED) || is(ReplyCode.PARAMETER_NOT_IMPLEMENTED);
    }

    /** The text of every line with the leading "nnn-" or "nnn " taken off. */
    public List<String> textLines() {
        List<String> texts = new ArrayList<>(lines.size());
        String prefix = Integer.toString(code);
        for (String line : lines) {
            if (line.length() >= 4 && line.startsWith(prefix) && (line.charAt(3) == '-' || line.charAt(3) == ' ')) {
                texts.add(line.substring(4));
            } else if (line.equals(prefix)) {
                texts.add("");
            } else {
                texts.add(line);
            }
        }
        return texts;
    }

    /** The text of a one-line reply, or of the first line of a multi-line one. */
    public String message() {
        return textLines().get(0).strip();
    }

    @Override
    public String toString() {
        return code + " " + message();
    }
}
