package dev.jftp.server.filesystem;

/** How an upload treats the file already at its name. */
public enum UploadMode {
    /** STOR: the new content replaces the old one atomically when the transfer succeeds. */
    REPLACE,
    /** APPE: bytes are appended to the existing file in place, the way resume needs. */
    APPEND,
    /** REST n + STOR: the file is truncated to n and written from there in place. */
    RESUME
}
