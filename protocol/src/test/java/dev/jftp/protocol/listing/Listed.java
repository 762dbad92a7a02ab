package dev.jftp.protocol.listing;

import java.time.Instant;

/** A listed entry as a server's storage would describe it, for the format tests. */
record Listed(String name, Kind kind, long size, Instant modified, int mode, String uniqueId) implements ListedFile {
    enum Kind { FILE, DIRECTORY, OTHER }

    @Override
    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    @Override
    public boolean isFile() {
        return kind == Kind.FILE;
    }
}
