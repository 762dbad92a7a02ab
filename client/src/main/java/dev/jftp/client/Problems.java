package dev.jftp.client;

import dev.jftp.client.remote.RemoteRefusalException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Plain words for what went wrong with a local file or a server reply. */
public final class Problems {
    private Problems() {
    }

    /**
     * As {@link #describe(IOException)}, without the path the server may have put in front of its
     * message ("x: No such file or directory"), since the caller names the path already.
     */
    public static String describe(IOException e, String path) {
        String text = describe(e);
        for (String prefix : new String[] {path + ": ", "\"" + path + "\": ", "/" + path + ": "}) {
            if (text.startsWith(prefix) && text.length() > prefix.length()) {
                return text.substring(prefix.length());
            }
        }
        return text;
    }

    /** True when the server's refusal says that the file is not there. */
    public static boolean isNotFound(RemoteRefusalException e) {
        return e.isNotFound();
    }

    /** "No such file or directory", "Permission denied", ... for a local I/O failure. */
    public static String describe(IOException e) {
        if (e instanceof RemoteRefusalException refusal) {
            return refusal.reason();
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
