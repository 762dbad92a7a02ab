package dev.jftp.client.glob;

import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Expands wildcards in remote paths on the client side, segment by segment, over the server's
 * listings (MLSD, else LIST, else NLST), so it works the same on every server. Wildcards may appear
 * in any segment ({@code logs/2024-* /*.gz}).
 */
public final class RemoteGlob {
    /** More matches than this is a mistake, not a request. */
    static final int MAX_MATCHES = 100_000;

    private RemoteGlob() {
    }

    /**
     * The remote paths the pattern names. A pattern without wildcards names itself (whether it
     * exists is for the command to find out), as an entry of unknown kind. Matches come sorted.
     */
    public static List<RemoteEntry> expand(RemoteFiles remote, String pattern) throws IOException {
        if (!Glob.hasMagic(pattern)) {
            return List.of(RemoteEntry.unknown(Glob.unescape(pattern)));
        }
        List<String> segments = Glob.segments(pattern);
        List<RemoteEntry> current = new ArrayList<>();
        current.add(new RemoteEntry(pattern.startsWith("/") ? "/" : "", RemoteEntry.Kind.DIRECTORY, -1, null, -1, null, null, null));
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            List<RemoteEntry> next = new ArrayList<>();
            for (RemoteEntry base : current) {
                if (!Glob.hasMagic(segment)) {
                    String path = base.name().isEmpty() ? Glob.unescape(segment) : RemotePaths.join(base.name(), Glob.unescape(segment));
                    next.add(last ? RemoteEntry.unknown(path) : new RemoteEntry(path, RemoteEntry.Kind.UNKNOWN, -1, null, -1, null, null, null));
                    continue;
                }
                Glob glob = Glob.compile(segment);
                for (RemoteEntry entry : listQuietly(remote, base.name())) {
                    if (!glob.matches(entry.name())) {
                        continue;
                    }
                    if (!last && entry.kind() == RemoteEntry.Kind.FILE) {
                        continue;
                    }
                    next.add(entry.withName(base.name().isEmpty() ? entry.name() : RemotePaths.join(base.name(), entry.name())));
                    if (next.size() > MAX_MATCHES) {
                        throw new IOException("pattern \"" + pattern + "\" matches more than " + MAX_MATCHES + " paths");
                    }
                }
            }
            current = next;
        }
        current.sort(Comparator.comparing(RemoteEntry::name));
        return current;
    }

    /** A directory that cannot be listed has no matches (as in a shell). */
    private static List<RemoteEntry> listQuietly(RemoteFiles remote, String dir) throws IOException {
        try {
            return remote.list(dir);
        } catch (ConnectionLostException e) {
            throw e;
        } catch (RemoteRefusalException e) {
            return List.of();
        }
    }
}
