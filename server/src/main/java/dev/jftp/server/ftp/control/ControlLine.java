package dev.jftp.server.ftp.control;

/** What the control connection delivered: a command line, or the reason there is none. */
public sealed interface ControlLine {
    /** A complete line, without its CRLF, decoded as UTF-8. */
    record Text(String text) implements ControlLine {
    }

    /** A line longer than the limit; its bytes were discarded up to the end of the line. */
    record TooLong(int limit) implements ControlLine {
    }

    /** A line whose bytes are not valid UTF-8 (RFC 2640 asks for UTF-8 path names). */
    record InvalidEncoding() implements ControlLine {
    }

    /** The client closed the connection. */
    record EndOfStream() implements ControlLine {
    }
}
