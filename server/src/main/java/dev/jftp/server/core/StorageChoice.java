package dev.jftp.server.core;

import java.util.Locale;

/** Which backend keeps users' files ({@code --storage}). */
public sealed interface StorageChoice {
    /** The local disk, below the server root (the default). */
    record Local() implements StorageChoice {
    }

    /** This process's memory: gone when the server stops (tests, demos). */
    record Memory() implements StorageChoice {
    }

    StorageChoice LOCAL = new Local();
    StorageChoice MEMORY = new Memory();

    /** From the {@code --storage} value: "local" or "memory". */
    static StorageChoice parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "local" -> LOCAL;
            case "memory" -> MEMORY;
            default -> throw new IllegalArgumentException("--storage takes local or memory, got '" + text + "'");
        };
    }
}
