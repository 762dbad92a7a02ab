package dev.jftp.server.storage;

/** How an upload treats the file already at its name. */
public enum UploadMode {
    /** STOR: the new content replaces the old one atomically when the transfer succeeds. */
    REPLACE,
    /** APPE: bytes are appended to the existing file in place, the way resume needs. */
    APPEND,
    /** REST n + STOR: the file is cut to n bytes and written from there in place. */
    RESUME
}
