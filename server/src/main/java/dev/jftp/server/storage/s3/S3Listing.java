package dev.jftp.server.storage.s3;

import dev.jftp.server.storage.FileEntry;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A directory's entries, read one ListObjectsV2 page (delimiter "/") at a time: memory holds one
 * page, whatever the directory's size, and the next page is asked for only when the caller gets
 * there. Within a page, files (contents) and sub-directories (common prefixes) are merged back into
 * S3's key order. A failure while fetching a later page surfaces as an {@link UncheckedIOException}
 * from the iterator, as the local backend's listing does.
 *
 * <p>A sub-directory has no time of its own in a listing (S3 returns only its name): it is shown as
 * 1970-01-01 (the epoch) rather than costing one more request per directory.
 */
final class S3Listing implements DirectoryStream<FileEntry> {
    /** Fetches the page after the given continuation token. */
    interface Pages {
        ListObjectsV2Response after(String continuationToken) throws java.io.IOException;
    }

    private final String directoryPrefix;
    private final Pages pages;
    private final Function<String, Object> identity;
    private ListObjectsV2Response first;
    private boolean iterated;
    private boolean closed;

    S3Listing(String directoryPrefix, ListObjectsV2Response first, Pages pages, Function<String, Object> identity) {
        this.directoryPrefix = directoryPrefix;
        this.first = first;
        this.pages = pages;
        this.identity = identity;
    }

    @Override
    public Iterator<FileEntry> iterator() {
        if (closed || iterated) {
            throw new IllegalStateException(closed ? "listing closed" : "iterator already obtained");
        }
        iterated = true;
        return new Entries();
    }

    @Override
    public void close() {
        closed = true;
        first = null;
    }

    private final class Entries implements Iterator<FileEntry> {
        private List<FileEntry> page = List.of();
        private int index;
        private String nextToken;
        private boolean more = true;

        @Override
        public boolean hasNext() {
            while (index >= page.size() && more && !closed) {
                ListObjectsV2Response response;
                if (first != null) {
                    response = first;
                    first = null;
                } else {
                    try {
                        response = pages.after(nextToken);
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                page = entries(response);
                index = 0;
                nextToken = response.nextContinuationToken();
                more = Boolean.TRUE.equals(response.isTruncated()) && nextToken != null;
            }
            return index < page.size() && !closed;
        }

        @Override
        public FileEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.get(index++);
        }
    }

    /** One page's entries in key order (code point order, which is S3's UTF-8 byte order). */
    private List<FileEntry> entries(ListObjectsV2Response response) {
        List<S3Object> files = response.contents();
        List<CommonPrefix> directories = response.commonPrefixes();
        List<FileEntry> result = new ArrayList<>(files.size() + directories.size());
        int f = 0;
        int d = 0;
        while (f < files.size() || d < directories.size()) {
            boolean takeFile = d >= directories.size()
                    || f < files.size() && compareCodePoints(files.get(f).key(), directories.get(d).prefix()) < 0;
            FileEntry entry = takeFile ? file(files.get(f++)) : directory(directories.get(d++).prefix());
            if (entry != null) {
                result.add(entry);
            }
        }
        return result;
    }

    private FileEntry file(S3Object object) {
        String name = ObjectKeys.nameIn(directoryPrefix, object.key());
        if (name == null || object.key().endsWith("/")) {
            return null; // the directory's own marker, or a name no path can reach
        }
        return new FileEntry(name, FileEntry.Type.FILE, object.size(), object.lastModified(), FileEntry.NO_MODE,
                identity.apply(object.key()));
    }

    private FileEntry directory(String prefix) {
        String name = ObjectKeys.nameIn(directoryPrefix, prefix);
        if (name == null) {
            return null;
        }
        return new FileEntry(name, FileEntry.Type.DIRECTORY, 0, Instant.EPOCH, FileEntry.NO_MODE, identity.apply(prefix));
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
