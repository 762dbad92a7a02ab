package dev.jftp.server.accounts;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a user may do besides logging in. */
public enum Permission {
    READ, WRITE, DELETE, MKDIR, RENAME;

    public static final Set<Permission> ALL = EnumSet.allOf(Permission.class);
    public static final Set<Permission> READ_ONLY = EnumSet.of(READ);

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "read,write,delete" (case-insensitive; "all" means every permission). */
    public static Set<Permission> parseList(String text) {
        Set<Permission> result = EnumSet.noneOf(Permission.class);
        for (String word : text.split(",")) {
            String w = word.trim().toUpperCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (w.equals("ALL")) {
                result.addAll(ALL);
            } else {
                try {
                    result.add(Permission.valueOf(w));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown permission '" + word.trim() + "' (read, write, delete, mkdir, rename, all)");
                }
            }
        }
        return result;
    }

    public static String format(Set<Permission> permissions) {
        // In declaration order: StoredAccount keeps an unordered Set.copyOf, whose order varies by run.
        return String.join(",", permissions.stream().sorted().map(Permission::word).toList());
    }
}
