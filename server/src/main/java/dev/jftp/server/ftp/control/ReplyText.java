package dev.jftp.server.ftp.control;

/** Pieces of reply text that several commands write the same way. */
public final class ReplyText {
    private ReplyText() {
    }

    /** RFC 959 Appendix II: a path in a 257 reply is quoted, with inner quotes doubled. */
    public static String quotedPath(String path) {
        return "\"" + path.replace("\"", "\"\"") + "\"";
    }
}
