package dev.jftp.client.sftp;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.IDN;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * The server's host key checked against {@code ~/.ssh/known_hosts} as OpenSSH's ssh does it with
 * {@code StrictHostKeyChecking ask} (sshconnect.c, check_host_key): lines in OpenSSH's format,
 * plain, wildcard, negated or hashed ({@code |1|salt|hash}) host patterns, {@code [host]:port}
 * for ports other than 22, the {@code @revoked} marker; {@code @cert-authority} lines are for
 * host certificates, which jftp does not use, and are skipped. The verdicts and their words are
 * OpenSSH's:
 * <ul>
 * <li>a line for the host with this key: accepted;
 * <li>a {@code @revoked} line with this key: refused, loudly;
 * <li>lines for the host with another key of the same type: "REMOTE HOST IDENTIFICATION HAS
 * CHANGED", refused whoever is asking;
 * <li>nothing for the host with a key of this type: on a terminal the fingerprint is shown and
 * the person asked ("yes", "no" or the fingerprint itself), and a yes appends the key to the file;
 * in batch mode or without a terminal refused ("Host key verification failed.").
 * </ul>
 * Refused means the connection ends during the key exchange, before anything is sent.
 */
final class SshKnownHosts implements ServerKeyVerifier {
    /** Asks the person at the terminal; null when there is nobody to ask. */
    @FunctionalInterface
    interface Question {
        String ask(String prompt) throws IOException;
    }

    /** One known_hosts line that names the host. */
    private record Line(int number, String marker, String keyType, PublicKey key) {
    }

    private final Path file;
    private final String host;
    private final int port;
    private final Question question;
    private final PrintWriter err;
    private String refusal;

    /**
     * @param question asks the person; null in batch mode or without a terminal: unknown keys are refused
     */
    SshKnownHosts(Path file, String host, int port, Question question, PrintWriter err) {
        this.file = file;
        this.host = host.toLowerCase(Locale.ROOT); // as ssh looks host names up (lowercased)
        this.port = port;
        this.question = question;
        this.err = err;
    }

    /** Why the key was refused ("Host key verification failed.", the last line ssh prints), or null when it was not. */
    String refusal() {
        return refusal;
    }

    /** The name the host has in known_hosts: "host", or "[host]:port" for a port other than 22. */
    String hostName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /**
     * The key types known for this host, in the file's order: ssh asks the server for those first
     * (OpenSSH's order_hostkeyalgs), so that a host known by its RSA key is not met with a new
     * Ed25519 key it also has.
     */
    List<String> knownKeyTypes() {
        Set<String> types = new LinkedHashSet<>();
        for (Line line : linesForHost()) {
            if (line.marker() == null) {
                types.add(line.keyType());
            }
        }
        return List.copyOf(types);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey key) {
        try {
            boolean accepted = verify(key, addressText(remoteAddress));
            err.flush();
            return accepted;
        } catch (IOException | RuntimeException e) {
            refusal = "Host key verification failed: " + e.getMessage();
            err.flush();
            return false;
        }
    }

    private String addressText(SocketAddress remote) {
        String ip = remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : host;
        return port == 22 ? ip : "[" + ip + "]:" + port;
    }

    boolean verify(PublicKey key, String address) throws IOException {
        String type = KeyUtils.getKeyType(key);
        String label = typeLabel(key);
        String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
        List<Line> lines = linesForHost();
        for (Line line : lines) {
            if ("revoked".equals(line.marker()) && KeyUtils.compareKeys(line.key(), key)) {
                err.println("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
                err.println("@       WARNING: REVOKED HOST KEY DETECTED!               @");
                err.println("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
                err.println("The " + label + " host key for " + hostName() + " is marked as revoked.");
                err.println("This could mean that a stolen key is being used to");
                err.println("impersonate this host.");
                return refuse();
            }
        }
        Line offending = null;
        boolean otherTypes = false;
        for (Line line : lines) {
            if (line.marker() != null) {
                continue;
            }
            if (line.keyType().equals(type)) {
                if (KeyUtils.compareKeys(line.key(), key)) {
                    return true;
                }
                if (offending == null) {
                    offending = line;
                }
            } else {
                otherTypes = true;
            }
        }
        if (offending != null) {
            err.println("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
            err.println("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @");
            err.println("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
            err.println("IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!");
            err.println("Someone could be eavesdropping on you right now (man-in-the-middle attack)!");
            err.println("It is also possible that a host key has just been changed.");
            err.println("The fingerprint for the " + label + " key sent by the remote host is");
            err.println(fingerprint + ".");
            err.println("Please contact your system administrator.");
            err.println("Add correct host key in " + file + " to get rid of this message.");
            err.println("Offending " + label + " key in " + file + ":" + offending.number());
            err.println("Host key for " + hostName() + " has changed and you have requested strict checking.");
            return refuse();
        }
        if (question == null) {
            // ssh in batch mode (sftp -b) cannot ask, and takes no key it cannot check.
            err.println("No " + label + " host key is known for " + hostName() + " and you have requested strict checking.");
            return refuse();
        }
        err.println("The authenticity of host '" + hostName() + " (" + address + ")' can't be established"
                + (otherTypes ? "\nbut keys of different type are already known for this host." : "."));
        err.println(label + " key fingerprint is " + fingerprint + ".");
        List<String> otherNames = otherNames(key);
        if (otherNames.isEmpty()) {
            err.println("This key is not known by any other names.");
        } else {
            err.println("This host key is known by the following other names/addresses:");
            otherNames.forEach(name -> err.println("    " + name));
        }
        err.flush();
        String answer = question.ask("Are you sure you want to continue connecting (yes/no/[fingerprint])? ");
        for (int tries = 0; ; tries++) {
            if (answer == null || answer.strip().equalsIgnoreCase("no") || tries >= 10) {
                return refuse();
            }
            String word = answer.strip();
            if (word.equalsIgnoreCase("yes") || word.equals(fingerprint)) {
                break;
            }
            answer = question.ask("Please type 'yes', 'no' or the fingerprint: ");
        }
        append(key);
        err.println("Warning: Permanently added '" + hostName() + "' (" + label + ") to the list of known hosts.");
        return true;
    }

    /** Refuses; the caller says "Host key verification failed." when the connection ends. */
    private boolean refuse() {
        refusal = "Host key verification failed.";
        return false;
    }

    /** "ED25519", "ECDSA", "RSA": the type as ssh names it in its messages. */
    static String typeLabel(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        if (type == null) {
            return key.getAlgorithm().toUpperCase(Locale.ROOT);
        }
        if (type.startsWith("ecdsa-")) {
            return "ECDSA";
        }
        if (type.equals("ssh-ed25519")) {
            return "ED25519";
        }
        if (type.equals("ssh-rsa")) {
            return "RSA";
        }
        if (type.equals("ssh-dss")) {
            return "DSA";
        }
        return type.toUpperCase(Locale.ROOT);
    }

    /** The lines of the file that name this host, with their keys; a line that cannot be read is skipped, as ssh does. */
    private List<Line> linesForHost() {
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            err.println("Failed to read " + file + ": " + e.getMessage());
            return List.of();
        }
        String lookup = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            Line line = parse(text.get(i), i + 1, lookup, true);
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Entries for other hosts with this very key: "file:line: name" as ssh lists them. */
    private List<String> otherNames(PublicKey key) {
        List<String> names = new ArrayList<>();
        try {
            List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < text.size() && names.size() < 8; i++) {
                Line line = parse(text.get(i), i + 1, host, false);
                if (line != null && line.marker() == null && KeyUtils.compareKeys(line.key(), key)) {
                    String first = text.get(i).strip().split("\\s+", 2)[0];
                    names.add(file + ":" + (i + 1) + ": " + (first.startsWith("|") ? "[hashed name]" : first));
                }
            }
        } catch (IOException e) {
            // no other names to show
        }
        return names;
    }

    /**
     * The line's marker, type and key if its host patterns match this host ({@code matching}) or
     * not; else null. The fields: an optional marker ("@revoked", "@cert-authority"), the host
     * patterns, the key type and the key (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT).
     */
    private Line parse(String raw, int number, String lookup, boolean matching) {
        String text = raw.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        String[] fields = text.split("\\s+");
        int at = 0;
        String marker = null;
        if (fields[0].startsWith("@")) {
            marker = fields[0].substring(1).toLowerCase(Locale.ROOT);
            at = 1;
        }
        if (fields.length < at + 3 || "cert-authority".equals(marker) || (marker != null && !marker.equals("revoked"))) {
            return null;
        }
        if (matchesHost(fields[at], lookup) != matching) {
            return null;
        }
        try {
            PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(fields[at + 1] + " " + fields[at + 2]);
            PublicKey key = entry == null ? null : entry.resolvePublicKey(null, java.util.Map.of(), PublicKeyEntryResolver.IGNORING);
            if (key == null) {
                return null; // a key type this client does not know: it cannot be this server's key
            }
            return new Line(number, marker, KeyUtils.getKeyType(key), key);
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the host field names this host as ssh decides it: a hashed name
     * ("|1|salt|HMAC-SHA1(salt, name)") equal to the host's name, or a comma-separated list of
     * patterns with * and ? matched against "host" or "[host]:port" (case-insensitively), of which
     * one must match and none negated with ! may (match_hostname in OpenSSH's match.c).
     */
    private boolean matchesHost(String field, String lookup) {
        String name = port == 22 ? lookup : "[" + lookup + "]:" + port;
        if (field.startsWith("|1|")) {
            return hashedNameMatches(field, name);
        }
        boolean positive = false;
        for (String pattern : field.split(",")) {
            boolean negated = pattern.startsWith("!");
            String p = negated ? pattern.substring(1) : pattern;
            if (wildcardMatch(p.toLowerCase(Locale.ROOT), name, 0, 0)) {
                if (negated) {
                    return false;
                }
                positive = true;
            }
        }
        return positive;
    }

    private static boolean hashedNameMatches(String field, String name) {
        String[] parts = field.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = java.util.Base64.getDecoder().decode(parts[2]);
            byte[] expected = java.util.Base64.getDecoder().decode(parts[3]);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
            return java.security.MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** * any run, ? any one character (OpenSSH's match_pattern). */
    private static boolean wildcardMatch(String pattern, String text, int p, int t) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int k = t; k <= text.length(); k++) {
                    if (wildcardMatch(pattern, text, p + 1, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
                return false;
            }
            p++;
            t++;
        }
        return t == text.length();
    }

    /** Appends "[host]:port type base64", creating ~/.ssh (700) and the file (600) as ssh does. */
    private void append(PublicKey key) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        StringBuilder line = new StringBuilder(hostName()).append(' ');
        PublicKeyEntry.appendPublicKeyEntry(line, key);
        line.append('\n');
        boolean create = !Files.exists(file);
        boolean endsWithNewline = create || Files.size(file) == 0 || endsWithNewline(file);
        String text = (endsWithNewline ? "" : "\n") + line;
        if (create) {
            Files.writeString(file, "", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes.length == 0 || bytes[bytes.length - 1] == '\n';
    }
}
