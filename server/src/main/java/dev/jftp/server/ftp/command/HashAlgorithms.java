package dev.jftp.server.ftp.command;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The algorithms of HASH and OPTS HASH, by the names draft-bryan-ftpext-hash gives them. */
final class HashAlgorithms {
    private static final Map<String, String> JDK_NAMES = Map.of("SHA-256", "SHA-256", "SHA-1", "SHA-1", "MD5", "MD5", "SHA-512", "SHA-512");

    private HashAlgorithms() {
    }

    /** The algorithm's name as HASH replies give it, for a name in any case; empty when unknown. */
    static Optional<String> named(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return JDK_NAMES.containsKey(upper) ? Optional.of(upper) : Optional.empty();
    }

    /** Every name, sorted, for a reply that lists them. */
    static String names() {
        return new TreeSet<>(JDK_NAMES.keySet()).toString();
    }

    static MessageDigest digest(String name) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance(JDK_NAMES.get(name));
    }
}
