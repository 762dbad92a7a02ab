package dev.jftp.server.sftp;

import dev.jftp.server.accounts.Permission;
import dev.jftp.server.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * jftpd's SFTP listener in this JVM on a free loopback port, over a given storage, with the
 * {@link TestSftpLogins} accounts {@value #ALICE} (every permission, home {@value #HOME}, logs in
 * with {@value #ALICE_PASSWORD} or the Ed25519, ECDSA and RSA keys of {@link #keys()}) and
 * {@value #READER} (read only, same home). Host keys are made in a temporary directory and written
 * to a known_hosts file for the OpenSSH clients ({@link OpenSsh}), which check them strictly.
 */
final class SftpTestServer implements AutoCloseable {
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "secret";
    static final String READER = "reader";
    static final String READER_PASSWORD = "look-only";
    static final String HOME = "alice";

    private final Path work;
    private final TestSftpLogins logins;
    private final SftpListener listener;
    private final Storage storage;
    private final ClientKeys keys;

    private SftpTestServer(Path work, TestSftpLogins logins, SftpListener listener, Storage storage, ClientKeys keys) {
        this.work = work;
        this.logins = logins;
        this.listener = listener;
        this.storage = storage;
        this.keys = keys;
    }

    /** Starts over {@code storage}, keeping host keys, client keys and client files under {@code work}. */
    static SftpTestServer start(Storage storage, Path work) throws IOException {
        ClientKeys keys = ClientKeys.in(work.resolve("client-keys"));
        TestSftpLogins logins = new TestSftpLogins()
                .add(ALICE, ALICE_PASSWORD, HOME, Permission.ALL, keys.authorizedLines().toArray(String[]::new))
                .add(READER, READER_PASSWORD, HOME, Permission.READ_ONLY);
        SftpListener listener = new SftpListener(SftpListenerConfig.of("127.0.0.1", 0, work.resolve("host-keys")), logins, storage);
        listener.start();
        SftpTestServer server = new SftpTestServer(work, logins, listener, storage, keys);
        server.writeKnownHosts();
        return server;
    }

    int port() {
        return listener.port();
    }

    SftpListener listener() {
        return listener;
    }

    TestSftpLogins logins() {
        return logins;
    }

    Storage storage() {
        return storage;
    }

    ClientKeys keys() {
        return keys;
    }

    Path work() {
        return work;
    }

    Path hostKeyDirectory() {
        return work.resolve("host-keys");
    }

    Path knownHosts() {
        return work.resolve("known_hosts");
    }

    /** An OpenSSH client for this server, working in {@code work/client}. */
    OpenSsh client() throws IOException {
        return new OpenSsh(this, Files.createDirectories(work.resolve("client")));
    }

    private void writeKnownHosts() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String file : List.of("ssh_host_ed25519_key.pub", "ssh_host_rsa_key.pub")) {
            lines.add("[127.0.0.1]:" + port() + " " + Files.readString(hostKeyDirectory().resolve(file)).strip());
        }
        Files.write(knownHosts(), lines);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
