package dev.jftp.client.login;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ~/.netrc, the FTP convention for stored logins: "machine HOST login NAME password SECRET",
 * "default ...", "macdef NAME" (skipped to the next blank line). As with ftp(1), a file that others
 * may read is not trusted with passwords.
 */
public final class Netrc {
    /** One machine (or the default, with a null host). */
    public record Entry(String host, String login, String password) {
    }

    private final List<Entry> entries;

    private Netrc(List<Entry> entries) {
        this.entries = entries;
    }

    public static final Netrc EMPTY = new Netrc(List.of());

    /** Reads the file; a missing file is empty, a file readable by others has its passwords ignored. */
    public static Netrc load(Path file, PrintWriter warnings) {
        if (!Files.isRegularFile(file)) {
            return EMPTY;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            warnings.println("Cannot read " + file + ": " + e.getMessage());
            return EMPTY;
        }
        boolean exposed = false;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            exposed = perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            exposed = false; // no Unix permissions to check on this file system
        }
        Netrc netrc = parse(text);
        if (exposed && netrc.entries.stream().anyMatch(e -> e.password() != null)) {
            warnings.println("Ignoring passwords in " + file + ": others can read it (chmod 600 " + file + ")");
            return new Netrc(netrc.entries.stream().map(e -> new Entry(e.host(), e.login(), null)).toList());
        }
        return netrc;
    }

    public static Netrc parse(String text) {
        List<String> tokens = tokens(text);
        List<Entry> entries = new ArrayList<>();
        String host = null;
        String login = null;
        String password = null;
        boolean inEntry = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            switch (token) {
                case "machine", "default" -> {
                    if (inEntry) {
                        entries.add(new Entry(host, login, password));
                    }
                    inEntry = true;
                    host = token.equals("machine") && i + 1 < tokens.size() ? tokens.get(++i) : null;
                    login = null;
                    password = null;
                }
                case "login" -> login = i + 1 < tokens.size() ? tokens.get(++i) : null;
                case "password" -> password = i + 1 < tokens.size() ? tokens.get(++i) : null;
                case "account" -> i++;
                default -> {
                    // unknown words are skipped, as ftp(1) does
                }
            }
        }
        if (inEntry) {
            entries.add(new Entry(host, login, password));
        }
        return new Netrc(List.copyOf(entries));
    }

    /** Whitespace-separated tokens, "quoted" allowed; a macdef and its body (up to a blank line) are dropped. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int l = 0; l < lines.length; l++) {
            List<String> lineTokens = lineTokens(lines[l]);
            int macro = lineTokens.indexOf("macdef");
            if (macro >= 0) {
                tokens.addAll(lineTokens.subList(0, macro));
                while (l + 1 < lines.length && !lines[l + 1].isBlank()) {
                    l++;
                }
            } else {
                tokens.addAll(lineTokens);
            }
        }
        return tokens;
    }

    private static List<String> lineTokens(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        boolean inToken = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                } else {
                    token.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(token.toString());
                    token.setLength(0);
                    inToken = false;
                }
            } else if (c == '"') {
                quoted = true;
                inToken = true;
            } else {
                token.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            tokens.add(token.toString());
        }
        return tokens;
    }

    /**
     * The entry for {@code host}: its machine entry, else the default one. With a {@code user}, an
     * entry for another login does not count.
     */
    public Entry find(String host, String user) {
        Entry fallback = null;
        for (Entry e : entries) {
            boolean userFits = user == null || e.login() == null || e.login().equals(user);
            if (e.host() != null && e.host().toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT)) && userFits) {
                return e;
            }
            if (e.host() == null && userFits && fallback == null) {
                fallback = e;
            }
        }
        return fallback;
    }
}
