package dev.jftp.server.sftp;

import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Client key pairs made with OpenSSH's own {@code ssh-keygen}, without passphrase: Ed25519, ECDSA
 * P-256 and RSA 3072 (which the test accounts accept), and a second Ed25519 key that no account
 * knows. Made once per directory and reused.
 */
final class ClientKeys {
    static final List<String> ACCEPTED = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    static final String UNKNOWN = "id_unknown";

    private final Path directory;

    private ClientKeys(Path directory) {
        this.directory = directory;
    }

    static ClientKeys in(Path directory) throws IOException {
        ExternalCommand.assumeInstalled("ssh-keygen", "openssh-client");
        Files.createDirectories(directory);
        ClientKeys keys = new ClientKeys(directory);
        keys.make("id_ed25519", "-t", "ed25519");
        keys.make("id_ecdsa", "-t", "ecdsa", "-b", "256");
        keys.make("id_rsa", "-t", "rsa", "-b", "3072");
        keys.make(UNKNOWN, "-t", "ed25519");
        return keys;
    }

    private void make(String name, String... type) throws IOException {
        if (Files.exists(key(name))) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", name, "-f", key(name).toString()));
        command.addAll(List.of(type));
        ExternalCommand.Result r = ExternalCommand.in(directory).run(command);
        if (r.exit() != 0) {
            throw new IOException(r.describe());
        }
    }

    /** The private key file (its public key is next to it, with ".pub"). */
    Path key(String name) {
        return directory.resolve(name);
    }

    String publicLine(String name) throws IOException {
        return Files.readString(directory.resolve(name + ".pub")).strip();
    }

    /** The authorized_keys lines of the accepted keys. */
    List<String> authorizedLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String name : ACCEPTED) {
            lines.add(publicLine(name));
        }
        return lines;
    }
}
