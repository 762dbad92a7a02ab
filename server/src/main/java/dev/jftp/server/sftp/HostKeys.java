package dev.jftp.server.sftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The server's SSH host keys: an Ed25519 key, and an RSA key for clients that know no Ed25519,
 * made on the first start and kept in a directory of their own (default {@code ./jftpd-ssh}) as
 * OpenSSH writes them ({@code ssh_host_ed25519_key}, {@code ssh_host_rsa_key} and their
 * {@code .pub}), so that {@code ssh-keygen -lf} reads them too. Every file is mode 600 and the
 * directory 700; a private key that others may read is refused, as sshd refuses it. A key is written
 * under a temporary name and then renamed, so that a start cut short never leaves half a key.
 */
public final class HostKeys {
    public static final Path DEFAULT_DIRECTORY = Path.of("jftpd-ssh");

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final int RSA_BITS = 3072;

    /** One kind of host key: its file name and how to make it. */
    private record Kind(String file, String type, int bits, String label) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("ssh_host_ed25519_key", KeyPairProvider.SSH_ED25519, 256, "ED25519"),
            new Kind("ssh_host_rsa_key", KeyPairProvider.SSH_RSA, RSA_BITS, "RSA"));

    private final List<KeyPair> keys;
    private final List<String> fingerprints;

    private HostKeys(List<KeyPair> keys, List<String> fingerprints) {
        this.keys = List.copyOf(keys);
        this.fingerprints = List.copyOf(fingerprints);
    }

    /**
     * Loads the host keys from {@code directory}, making the directory and any key missing from it.
     *
     * @throws IOException for a key file that cannot be read, is not a key of its kind, or that
     *                     group or others may read (the message names the file, for the operator)
     */
    public static HostKeys loadOrCreate(Path directory) throws IOException {
        if (!SecurityUtils.isEDDSACurveSupported()) {
            throw new IllegalStateException("Ed25519 is not available to Apache MINA SSHD: Bouncy Castle is missing from the class path");
        }
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
        List<KeyPair> keys = new ArrayList<>();
        List<String> fingerprints = new ArrayList<>();
        for (Kind kind : KINDS) {
            Path file = directory.resolve(kind.file());
            KeyPair key = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? read(file, kind) : create(file, kind);
            keys.add(key);
            int bits = KeyUtils.getKeySize(key.getPublic());
            fingerprints.add((bits > 0 ? bits : kind.bits()) + " " + fingerprint(key.getPublic()) + " (" + kind.label() + ")");
        }
        return new HostKeys(keys, fingerprints);
    }

    /** The keys, Ed25519 first, for MINA. */
    KeyPairProvider provider() {
        return KeyPairProvider.wrap(keys);
    }

    /**
     * What {@code ssh-keygen -l} prints for each key, without the file name: "256 SHA256:… (ED25519)",
     * "3072 SHA256:… (RSA)". The SHA256 part is what {@code ssh} shows when it first meets the server.
     */
    public List<String> fingerprints() {
        return fingerprints;
    }

    /** OpenSSH's fingerprint of a public key: "SHA256:" and the unpadded Base64 of its SHA-256. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    private static KeyPair read(Path file, Kind kind) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IOException("SSH host key " + file + " may be read by others (mode "
                    + PosixFilePermissions.toString(mode) + "); make it mode 600 (chmod 600 " + file + ")");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.getFileName().toString()), in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IOException("SSH host key " + file + " holds no key");
            }
            KeyPair key = it.next();
            if (!kind.type().equals(KeyUtils.getKeyType(key))) {
                throw new IOException("SSH host key " + file + " is a " + KeyUtils.getKeyType(key) + " key, not " + kind.type());
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IOException("SSH host key " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static KeyPair create(Path file, Kind kind) throws IOException {
        KeyPair key;
        ByteArrayOutputStream privateText = new ByteArrayOutputStream();
        ByteArrayOutputStream publicText = new ByteArrayOutputStream();
        try {
            key = KeyUtils.generateKeyPair(kind.type(), kind.bits());
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "jftpd", null, privateText);
            OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(key.getPublic(), "jftpd", publicText);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make an " + kind.label() + " SSH host key: " + e.getMessage(), e);
        }
        Path publicFile = file.resolveSibling(file.getFileName() + ".pub");
        writeOwnerOnly(publicFile, publicText.toByteArray());
        writeOwnerOnly(file, privateText.toByteArray());
        return key;
    }

    /** Writes a file of mode 600 under a temporary name, then renames it into place. */
    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("SSH host key " + file + " appeared while it was being made", e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
