package dev.jftp.protocol.listing;

import java.time.Instant;

/**
 * What a server's listing line says of one entry, whatever stores it: {@link ListingFormat} makes
 * LIST and MLSx lines from it. The server's directory entries implement it.
 */
public interface ListedFile {
    /** The entry's name within its directory. */
    String name();

    boolean isDirectory();

    boolean isFile();

    /** Size in bytes. */
    long size();

    Instant modified();

    /** Unix permission bits (for example 0644), or a negative number when the storage has none. */
    int mode();

    /** The RFC 3659 "unique" fact (section 7.5.2), made on demand since only MLSx shows it. */
    String uniqueId();
}
