package dev.jftp.client.glob;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Expands wildcards in local paths, relative to the local working directory (lcd). */
public final class LocalGlob {
    private LocalGlob() {
    }

    /** A literal local path (no wildcards, no escapes): ~ expanded, resolved against the working directory. */
    public static Path expandLiteral(Path workingDir, Path home, String path) {
        if (path.equals("~")) {
            return home.toAbsolutePath().normalize();
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2)).toAbsolutePath().normalize();
        }
        return workingDir.resolve(path).normalize();
    }

    /**
     * The local paths the pattern names, sorted; a pattern without wildcards names itself, whether
     * or not it exists. {@code ~} at the start is the home directory.
     */
    public static List<Path> expand(Path workingDir, Path home, String pattern) throws IOException {
        String p = pattern;
        Path start = workingDir;
        if (p.equals("~") || p.startsWith("~/")) {
            start = home;
            p = p.length() <= 2 ? "" : p.substring(2);
        } else if (p.startsWith("/")) {
            start = workingDir.getRoot();
        }
        if (!Glob.hasMagic(p)) {
            return List.of(start.resolve(Glob.unescape(p)).normalize());
        }
        List<Path> current = List.of(start);
        List<String> segments = Glob.segments(p);
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            List<Path> next = new ArrayList<>();
            for (Path base : current) {
                if (!Glob.hasMagic(segment)) {
                    next.add(base.resolve(Glob.unescape(segment)));
                    continue;
                }
                if (!Files.isDirectory(base)) {
                    continue;
                }
                Glob glob = Glob.compile(segment);
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(base)) {
                    for (Path child : stream) {
                        if (glob.matches(child.getFileName().toString()) && (last || Files.isDirectory(child))) {
                            next.add(child);
                            if (next.size() > RemoteGlob.MAX_MATCHES) {
                                throw new IOException("pattern \"" + pattern + "\" matches more than " + RemoteGlob.MAX_MATCHES + " paths");
                            }
                        }
                    }
                } catch (java.nio.file.AccessDeniedException e) {
                    continue; // an unreadable directory has no matches, as in a shell
                }
            }
            current = next;
        }
        List<Path> result = new ArrayList<>(current.stream().map(Path::normalize).toList());
        result.sort(null);
        return result;
    }
}
