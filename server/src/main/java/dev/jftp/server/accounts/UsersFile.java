package dev.jftp.server.accounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The users file: one account per line, {@code name:hash:home:permissions}, for example
 * <pre>
 * alice:pbkdf2-sha256$600000$c2FsdA$aGFzaA:alice:read,write,delete,mkdir,rename
 * bob:pbkdf2-sha256$600000$c2FsdA$aGFzaA:/srv/ftp/shared:read
 * </pre>
 * A relative home is taken below the storage's root (for the local disk, the server root). Blank lines and lines starting with '#' are
 * ignored. Passwords are stored only as {@link PasswordHasher} hashes.
 */
public final class UsersFile {
    private UsersFile() {
    }

    /** The accounts of {@code file}, in the file's order; a malformed line is an IllegalArgumentException naming it. */
    public static List<StoredAccount> load(Path file) throws IOException {
        Map<String, StoredAccount> accounts = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] fields = line.split(":", -1);
            if (fields.length != 4) {
                throw new IllegalArgumentException(where + "expected name:hash:home:permissions");
            }
            String name = fields[0];
            if (!isValidName(name)) {
                throw new IllegalArgumentException(where + "bad user name '" + name + "'");
            }
            if (!PasswordHasher.isValidHash(fields[1])) {
                throw new IllegalArgumentException(where + "the password must be a " + PasswordHasher.SCHEME
                        + " hash (create entries with 'jftpd user add')");
            }
            Set<Permission> permissions;
            try {
                permissions = Permission.parseList(fields[3]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            if (accounts.put(name, new StoredAccount(name, fields[1], fields[2], permissions, List.of())) != null) {
                throw new IllegalArgumentException(where + "user '" + name + "' appears twice");
            }
        }
        return List.copyOf(accounts.values());
    }

    /** Adds or replaces one entry, keeping the other lines (and comments) as they are. */
    public static void put(Path file, String name, String hash, String home, Set<Permission> permissions) throws IOException {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("bad user name '" + name + "': use letters, digits, '.', '_', '-' and '@'");
        }
        if (home.contains(":") || home.contains("\n")) {
            throw new IllegalArgumentException("a home directory may not contain ':' or a line break");
        }
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
        if (lines.isEmpty()) {
            lines.add("# jftpd users: name:hash:home:permissions (home relative to the server root)");
        }
        String entry = name + ":" + hash + ":" + home + ":" + Permission.format(permissions);
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(name + ":")) {
                lines.set(i, entry);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(entry);
        }
        replace(file, lines);
    }

    /** Writes {@code lines} to a new file (mode 600) and renames it over {@code file}: all or nothing. */
    private static void replace(Path file, List<String> lines) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".users", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temp, lines, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Removes the entry of {@code name}, keeping the other lines; false when there was none. */
    public static boolean remove(Path file, String name) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (!lines.removeIf(line -> line.startsWith(name + ":"))) {
            return false;
        }
        replace(file, lines);
        return true;
    }

    public static boolean isValidName(String name) {
        return !name.isEmpty() && name.length() <= 64 && name.matches("[A-Za-z0-9._@-]+");
    }
}
