package dev.jftp.client.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The private keys ssh offers for public-key login: the files given with -i, else OpenSSH's
 * defaults ~/.ssh/id_rsa, id_ecdsa, id_ed25519, id_dsa (ssh_config(5) IdentityFile), in OpenSSH's
 * own format or PEM. Each file is read only when the login gets to it, so the passphrase of an
 * encrypted key is asked for ("Enter passphrase for key '...': ", three tries, as ssh) only if
 * the keys before it were refused; without a terminal an encrypted key is skipped.
 */
final class SshIdentities implements KeyIdentityProvider {
    /** OpenSSH 9's default identity files, in its order (less the security-key and XMSS ones). */
    static final List<String> DEFAULT_FILES = List.of("id_rsa", "id_ecdsa", "id_ed25519", "id_dsa");
    private static final int PASSPHRASE_TRIES = 3;

    /** Asks for a passphrase without echo; null when there is nobody to ask. */
    @FunctionalInterface
    interface PassphrasePrompt {
        char[] ask(String prompt) throws IOException;
    }

    private final List<Path> files;
    private final boolean given;
    private final PassphrasePrompt prompt;
    private final PrintWriter err;
    private final Consumer<String> notes;

    /**
     * @param given  the -i files, or empty for the defaults below {@code sshDir}
     * @param prompt asks for passphrases; null in batch mode or without a terminal
     * @param notes  -v notes, or null
     */
    SshIdentities(List<Path> given, Path sshDir, PassphrasePrompt prompt, PrintWriter err, Consumer<String> notes) {
        this.given = !given.isEmpty();
        this.files = this.given ? List.copyOf(given) : DEFAULT_FILES.stream().map(sshDir::resolve).toList();
        this.prompt = prompt;
        this.err = err;
        this.notes = notes == null ? note -> { } : notes;
        if (this.given) {
            for (Path file : files) {
                if (!Files.isReadable(file)) {
                    // ssh's words; it goes on with the other keys and methods
                    err.println("Warning: Identity file " + file + " not accessible: "
                            + (Files.exists(file) ? "Permission denied" : "No such file or directory") + ".");
                }
            }
        }
    }

    @Override
    public Iterable<KeyPair> loadKeys(SessionContext session) {
        return () -> new Iterator<>() {
            private int next;
            private Iterator<KeyPair> keys = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!keys.hasNext() && next < files.size()) {
                    keys = load(session, files.get(next++)).iterator();
                }
                return keys.hasNext();
            }

            @Override
            public KeyPair next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return keys.next();
            }
        };
    }

    private List<KeyPair> load(SessionContext session, Path file) {
        if (!Files.isReadable(file)) {
            return List.of();
        }
        FilePasswordProvider passphrases = new FilePasswordProvider() {
            @Override
            public String getPassword(SessionContext context, NamedResource resource, int retryIndex) throws IOException {
                if (prompt == null) {
                    return null;
                }
                char[] typed = prompt.ask(retryIndex == 0 ? "Enter passphrase for key '" + file + "': "
                        : "Bad passphrase, try again for " + file + ": ");
                return typed == null || typed.length == 0 ? null : new String(typed);
            }

            @Override
            public ResourceDecodeResult handleDecodeAttemptResult(SessionContext context, NamedResource resource, int retryIndex,
                                                                  String password, Exception failure) {
                if (failure == null) {
                    return ResourceDecodeResult.TERMINATE;
                }
                return password != null && retryIndex + 1 < PASSPHRASE_TRIES ? ResourceDecodeResult.RETRY : ResourceDecodeResult.IGNORE;
            }
        };
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> keys = new ArrayList<>();
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(session, NamedResource.ofName(file.toString()), in, passphrases);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                notes.accept("skipping " + file + (prompt == null ? " (encrypted, and no terminal to ask for its passphrase)" : ""));
            } else {
                notes.accept("offering the public key of " + file);
            }
            return keys;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (given) {
                err.println("Load key \"" + file + "\": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                err.flush();
            } else {
                notes.accept("cannot use " + file + ": " + e.getMessage());
            }
            return List.of();
        }
    }
}
