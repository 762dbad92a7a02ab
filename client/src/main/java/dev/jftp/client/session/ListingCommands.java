package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import dev.jftp.client.Problems;
import dev.jftp.client.glob.Glob;
import dev.jftp.client.glob.RemoteGlob;
import dev.jftp.client.glob.RemotePaths;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Listings: ls (sftp's options over MLSD/LIST), dir (ls -l, as in ftp), lls (the local ls). */
final class ListingCommands {
    /** As ls -l and sftp show dates: "Dec  6 15:24" within six months, else "Dec  6  2020" (the day padded with a blank). */
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM ppd  yyyy", Locale.ENGLISH);
    private static final Duration SIX_MONTHS = Duration.ofDays(182);

    private ListingCommands() {
    }

    static void dir(ClientSession s, List<String> args) throws IOException, ClientException {
        List<String> withLong = new ArrayList<>();
        withLong.add("-l");
        withLong.addAll(args);
        ls(s, withLong);
    }

    /** ls [-1afhlnrSt] [path...]: -1 one per line, -a dot files, -f unsorted, -h human sizes, -l/-n long, -r reverse, -S by size, -t by time. */
    static void ls(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("ls", args, "1afhlnrSt");
        RemoteFiles remote = s.remote();
        PrintWriter out = s.io().out();
        if (f.operands().isEmpty()) {
            print(s, f, listDirectory(remote, "", ""));
            return;
        }
        for (String operand : f.operands()) {
            if (Glob.hasMagic(operand)) {
                List<RemoteEntry> matches = RemoteGlob.expand(remote, operand);
                if (matches.isEmpty()) {
                    throw new ClientException("Can't ls: \"" + operand + "\" not found");
                }
                print(s, f, withAllFacts(remote, matches));
                continue;
            }
            String path = Glob.unescape(operand);
            RemoteEntry entry;
            try {
                entry = remote.stat(path);
            } catch (RemoteRefusalException e) {
                throw new ClientException(Problems.isNotFound(e) ? "Can't ls: \"" + path + "\" not found"
                        : "Can't ls: \"" + path + "\": " + Problems.describe(e, path));
            }
            if (entry.isDirectory()) {
                if (f.operands().size() > 1) {
                    out.println(path + ":");
                }
                String prefix = path.endsWith("/") ? path : path + "/";
                print(s, f, listDirectory(remote, path, prefix));
            } else {
                print(s, f, List.of(entry.withName(path)));
            }
        }
    }

    private static List<RemoteEntry> listDirectory(RemoteFiles remote, String dir, String prefix) throws IOException, ClientException {
        try {
            List<RemoteEntry> entries = new ArrayList<>();
            for (RemoteEntry e : remote.list(dir)) {
                entries.add(prefix.isEmpty() ? e : e.withName(prefix + e.name()));
            }
            return entries;
        } catch (RemoteRefusalException e) {
            throw new ClientException("Can't ls: \"" + (dir.isEmpty() ? "." : dir) + "\": " + Problems.describe(e, dir));
        }
    }

    /** Entries a glob matched by name only (a literal segment) are looked up, so that -l has something to show. */
    private static List<RemoteEntry> withAllFacts(RemoteFiles remote, List<RemoteEntry> matches) throws IOException {
        List<RemoteEntry> full = new ArrayList<>(matches.size());
        for (RemoteEntry e : matches) {
            if (e.kind() == RemoteEntry.Kind.UNKNOWN) {
                try {
                    full.add(remote.stat(e.name()).withName(e.name()));
                } catch (RemoteRefusalException notThere) {
                    continue; // a literal tail that does not exist below a matched directory
                }
            } else {
                full.add(e);
            }
        }
        return full;
    }

    private static void print(ClientSession s, Flags f, List<RemoteEntry> entries) {
        List<RemoteEntry> shown = new ArrayList<>();
        for (RemoteEntry e : entries) {
            if (f.has('a') || !RemotePaths.baseName(e.name()).startsWith(".")) {
                shown.add(e);
            }
        }
        if (!f.has('f')) {
            Comparator<RemoteEntry> order = Comparator.comparing(RemoteEntry::name);
            if (f.has('S')) {
                order = Comparator.comparingLong(RemoteEntry::size).reversed().thenComparing(RemoteEntry::name);
            } else if (f.has('t')) {
                order = Comparator.comparing((RemoteEntry e) -> e.modified() == null ? Instant.EPOCH : e.modified()).reversed()
                        .thenComparing(RemoteEntry::name);
            }
            if (f.has('r')) {
                order = order.reversed();
            }
            shown.sort(order);
        }
        PrintWriter out = s.io().out();
        if (f.has('l') || f.has('n')) {
            Instant now = Instant.now();
            for (RemoteEntry e : shown) {
                out.println(longLine(e, f.has('h'), now));
            }
        } else if (f.has('1')) {
            shown.forEach(e -> out.println(e.name()));
        } else {
            columns(out, shown.stream().map(RemoteEntry::name).toList(), s.io().width());
        }
    }

    /** Names across the width, row by row, as sftp prints them. */
    static void columns(PrintWriter out, List<String> names, int width) {
        if (names.isEmpty()) {
            return;
        }
        int longest = names.stream().mapToInt(String::length).max().orElse(1);
        int column = longest + 2;
        int perRow = Math.max(1, width / column);
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean endOfRow = (i + 1) % perRow == 0 || i == names.size() - 1;
            row.append(endOfRow ? name : String.format("%-" + column + "s", name));
            if (endOfRow) {
                out.println(row);
                row.setLength(0);
            }
        }
    }

    static String longLine(RemoteEntry e, boolean human, Instant now) {
        char type = switch (e.kind()) {
            case DIRECTORY -> 'd';
            case LINK -> 'l';
            case FILE -> '-';
            case OTHER, UNKNOWN -> '?';
        };
        String mode = e.mode() >= 0 ? modeLetters(e.mode()) : "?????????";
        String size = e.size() < 0 ? "?" : human ? humanSize(e.size()) : Long.toString(e.size());
        String date;
        if (e.modified() == null) {
            date = "            ";
        } else {
            boolean recent = e.modified().isAfter(now.minus(SIX_MONTHS)) && e.modified().isBefore(now.plus(Duration.ofDays(1)));
            date = (recent ? RECENT : OLD).format(e.modified().atZone(ZoneId.systemDefault()));
        }
        String name = e.linkTarget() == null ? e.name() : e.name() + " -> " + e.linkTarget();
        return String.format(Locale.ROOT, "%c%s    ? %-8s %-8s %8s %s %s", type, mode,
                e.owner() == null ? "-" : e.owner(), e.group() == null ? "-" : e.group(), size, date, name);
    }

    static String modeLetters(int mode) {
        String letters = "rwxrwxrwx";
        StringBuilder sb = new StringBuilder(9);
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        return sb.toString();
    }

    /** As ls -h: 1023, 1.0K, 15M, 2.1G. */
    static String humanSize(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return Long.toString(bytes);
        }
        return value < 10 ? String.format(Locale.ROOT, "%.1f%s", value, units[unit]) : String.format(Locale.ROOT, "%d%s", Math.round(value), units[unit]);
    }

    /** lls [ls-options [path...]]: the local ls, run in the local directory, wildcards expanded here. */
    static void lls(ClientSession s, List<String> args) throws IOException, ClientException {
        List<String> command = new ArrayList<>();
        command.add("ls");
        boolean options = true;
        for (String arg : args) {
            if (options && arg.startsWith("-") && arg.length() > 1) {
                command.add(arg);
                continue;
            }
            options = false;
            if (Glob.hasMagic(arg)) {
                for (Path p : s.localMatches(arg)) {
                    command.add(p.toString());
                }
            } else {
                command.add(s.localPath(arg).toString());
            }
        }
        int status = s.io().runLocal(command, s.localDir());
        if (status != 0) {
            throw new ClientException("lls: ls exited with status " + status);
        }
    }
}
