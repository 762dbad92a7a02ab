package dev.jftp.client.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Certificates the user accepted, as ssh's known_hosts: one line per server,
 * {@code host:port SHA256:<hex fingerprint>}. Lines starting with # and blank lines are skipped.
 */
public final class KnownHosts {
    private final Path file;

    public KnownHosts(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The SHA-256 fingerprint of a certificate's DER encoding, as colon-separated hex (as openssl shows it). */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The fingerprint stored for {@code host:port}, or null. */
    public synchronized String lookup(String host, int port) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String key = key(host, port);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length >= 2 && fields[0].equals(key) && fields[1].startsWith("SHA256:")) {
                return fields[1].substring("SHA256:".length());
            }
        }
        return null;
    }

    /** Adds {@code host:port}'s fingerprint (the file and its directory made private to the user). */
    public synchronized void add(String host, int port, String fingerprint) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, key(host, port) + " SHA256:" + fingerprint + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }
}
