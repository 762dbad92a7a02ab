package dev.jftp.client.shell;

import dev.jftp.client.glob.RemotePaths;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.session.ClientSession;
import dev.jftp.client.session.CommandTable;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command words first; then, by the command's argument kinds, remote paths (from
 * the server's listing of the directory typed so far, cached until the next command) or local paths.
 */
public final class JftpCompleter implements Completer {
    /** A directory with more entries than this is not offered in full. */
    private static final int MAX_CANDIDATES = 5000;

    private final ClientSession session;
    private final Map<String, List<RemoteEntry>> remoteListings = new HashMap<>();

    public JftpCompleter(ClientSession session) {
        this.session = session;
        session.setAfterCommand(remoteListings::clear);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (line.wordIndex() == 0) {
            for (CommandTable.Command c : session.commands().all()) {
                if (c.name().startsWith(word) && !c.name().equals("!")) {
                    candidates.add(new Candidate(c.name(), c.name(), null, null, null, null, true));
                }
            }
            return;
        }
        CommandTable.Command command = session.commands().find(line.words().get(0));
        if (command == null || word.startsWith("-")) {
            return;
        }
        int argument = 0;
        for (int i = 1; i < line.wordIndex(); i++) {
            if (!line.words().get(i).startsWith("-")) {
                argument++;
            }
        }
        switch (command.argument(argument)) {
            case REMOTE -> remote(word, candidates);
            case LOCAL -> local(word, candidates);
            default -> {
                // modes, ports, user names: nothing to offer
            }
        }
    }

    private void remote(String word, List<Candidate> candidates) {
        if (!session.isConnected()) {
            return;
        }
        String dir = RemotePaths.directoryPart(word);
        String prefix = word.substring(dir.length());
        List<RemoteEntry> entries = remoteListings.computeIfAbsent(dir, this::listRemote);
        for (RemoteEntry e : entries) {
            if (!e.name().startsWith(prefix) || (e.name().startsWith(".") && !prefix.startsWith("."))) {
                continue;
            }
            boolean directory = e.isDirectory();
            candidates.add(new Candidate(dir + e.name() + (directory ? "/" : ""), e.name() + (directory ? "/" : ""),
                    null, null, null, null, !directory));
            if (candidates.size() >= MAX_CANDIDATES) {
                return;
            }
        }
    }

    private List<RemoteEntry> listRemote(String dir) {
        try {
            RemoteFiles remote = session.remote();
            return remote.list(dir.isEmpty() ? "" : dir);
        } catch (IOException | dev.jftp.client.ClientException e) {
            return List.of(); // completion offers nothing; the next command reports the problem
        }
    }

    private void local(String word, List<Candidate> candidates) {
        String dirPart = word.substring(0, word.lastIndexOf('/') + 1);
        String prefix = word.substring(dirPart.length());
        Path dir;
        if (dirPart.startsWith("~/")) {
            dir = session.home().resolve(dirPart.substring(2));
        } else {
            dir = session.localDir().resolve(dirPart);
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (!name.startsWith(prefix) || (name.startsWith(".") && !prefix.startsWith("."))) {
                    continue;
                }
                boolean directory = Files.isDirectory(child);
                candidates.add(new Candidate(dirPart + name + (directory ? "/" : ""), name + (directory ? "/" : ""),
                        null, null, null, null, !directory));
                if (candidates.size() >= MAX_CANDIDATES) {
                    return;
                }
            }
        } catch (IOException e) {
            candidates.clear(); // an unreadable directory offers nothing
        }
    }
}
