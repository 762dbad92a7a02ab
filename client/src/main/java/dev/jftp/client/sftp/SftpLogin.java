package dev.jftp.client.sftp;

import dev.jftp.client.ClientException;
import dev.jftp.client.login.LoginFlow;
import dev.jftp.client.login.PasswordLookup;
import dev.jftp.client.session.ClientSettings;
import dev.jftp.client.session.UserIo;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * Connects and logs in over SSH for SFTP, as OpenSSH's sftp does: the host key checked against
 * ~/.ssh/known_hosts first ({@link SshKnownHosts}), then public keys (ssh-agent's, then the -i
 * files, else ~/.ssh/id_*), then keyboard-interactive and password, with the password jftp knows for the host
 * (JFTP_PASSWORD, ~/.netrc) tried first and, on a terminal, asked for ("user@host's password: ",
 * three tries, "Permission denied, please try again."). In batch mode nothing is asked.
 */
public final class SftpLogin {
    /** OpenSSH's sftp asks three times (NumberOfPasswordPrompts). */
    private static final int PASSWORD_PROMPTS = LoginFlow.ATTEMPTS;
    /**
     * The channel window this client grants the server: how much it may send ahead. MINA's reads
     * keep window / request size READs in flight and ask again only once the data already
     * arrived is used up; with its default of 2 MiB a get of 1 GiB from jftpd took 13-15 s with
     * the client's CPU mostly idle, with 8 MiB 5.2 s, with 16 MiB 4.4-4.6 s, with 32 MiB
     * 4.2-4.4 s. At most this much of a download waits in memory.
     */
    static final long RECEIVE_WINDOW = 16L * 1024 * 1024;

    /**
     * What a login needs.
     *
     * @param host       the server
     * @param port       its SSH port
     * @param user       the login name
     * @param password   a password known already (URL, earlier login), or null
     * @param settings   timeouts, identity files, known_hosts, whether a person may be asked
     * @param passwords  the stored passwords (JFTP_PASSWORD, ~/.netrc) and the home directory
     * @param io         where prompts and messages go
     * @param connecting given something that Ctrl-C closes to end the attempt
     * @param dialogue   -v notes, or null
     */
    public record Request(String host, int port, String user, char[] password, ClientSettings settings, PasswordLookup passwords,
                          UserIo io, Consumer<Closeable> connecting, Consumer<String> dialogue) {
    }

    private SftpLogin() {
    }

    public static LoginFlow.Connected connect(Request r) throws IOException, ClientException {
        ClientSettings settings = r.settings();
        PrintWriter err = r.io().err();
        Consumer<String> notes = r.dialogue() == null ? note -> { } : note -> r.dialogue().accept("note: " + note);
        boolean mayAsk = settings.askAboutCertificates;
        Path sshDir = r.passwords().home().resolve(".ssh");
        Path knownHostsFile = settings.sshKnownHosts != null ? settings.sshKnownHosts : sshDir.resolve("known_hosts");
        SshKnownHosts knownHosts = new SshKnownHosts(knownHostsFile, r.host(), r.port(), mayAsk ? r.io()::askLine : null, err);

        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(knownHosts);
        client.setSignatureFactories(preferKnownTypes(client.getSignatureFactories(), knownHosts.knownKeyTypes()));
        client.setCipherFactories(aesGcmFirst(client.getCipherFactories()));
        SshIdentities identities = new SshIdentities(settings.identityFiles, sshDir, mayAsk ? r.io()::readPassword : null, err, notes);
        client.setKeyIdentityProvider(identities);
        if (settings.agentSocket != null && java.nio.file.Files.exists(settings.agentSocket)) {
            client.setAgentFactory(SshAgentClient.factory(settings.agentSocket, err)); // its keys first, as ssh
            notes.accept("offering the keys of ssh-agent at " + settings.agentSocket);
        }
        Interaction interaction = new Interaction(r, mayAsk && r.io().canAskPassword(), notes);
        client.setUserInteraction(interaction);
        CoreModuleProperties.PASSWORD_PROMPTS.set(client, PASSWORD_PROMPTS);
        // An idle interactive session must outlive MINA's default of 10 minutes, as ssh's does.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, java.time.Duration.ZERO);
        CoreModuleProperties.WINDOW_SIZE.set(client, RECEIVE_WINDOW);
        client.start();
        r.connecting().accept(client::stop);
        boolean done = false;
        try {
            ClientSession session;
            try {
                session = client.connect(r.user(), r.host(), r.port()).verify(settings.connectTimeout).getSession();
            } catch (IOException e) {
                throw connectProblem(r, e);
            }
            char[] stored = r.password() != null ? r.password() : r.passwords().find(r.host(), r.user());
            if (stored != null) {
                session.addPasswordIdentity(new String(stored));
                interaction.stored = stored;
            }
            try {
                session.auth().verify(settings.replyTimeout);
            } catch (IOException e) {
                if (knownHosts.refusal() != null) {
                    throw new ClientException(knownHosts.refusal());
                }
                if (!session.isAuthenticated() && session.isOpen()) {
                    throw permissionDenied(r);
                }
                throw connectProblem(r, e);
            }
            notes.accept("authenticated as " + r.user() + "; key exchange " + session.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS)
                    + ", cipher " + session.getNegotiatedKexParameter(KexProposalOption.C2SENC)
                    + ", MAC " + session.getNegotiatedKexParameter(KexProposalOption.C2SMAC));
            SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
            String home = sftp.canonicalPath(".");
            done = true;
            return new LoginFlow.Connected(new SftpFiles(client, session, sftp, r.host(), home, settings.dataTimeout), interaction.used, home);
        } finally {
            if (!done) {
                client.stop();
            }
        }
    }

    /**
     * "user@host: Permission denied." as ssh says it (ssh adds the methods the server offers,
     * which MINA keeps to itself).
     */
    private static ClientException permissionDenied(Request r) {
        return new ClientException(r.user() + "@" + r.host() + ": Permission denied.");
    }

    private static ClientException connectProblem(Request r, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new ClientException("Could not resolve hostname " + r.host() + ": Name or service not known");
            }
            if (t instanceof ConnectException) {
                return new ClientException("Connection to " + r.host() + " port " + r.port() + " refused");
            }
            if (t instanceof NoRouteToHostException) {
                return new ClientException("Connection to " + r.host() + " port " + r.port() + " failed: No route to host");
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.toLowerCase(Locale.ROOT).contains("timeout") || message.toLowerCase(Locale.ROOT).contains("timed out")) {
            return new ClientException("Connection to " + r.host() + " port " + r.port() + " timed out");
        }
        return new ClientException("Connection to " + r.host() + " port " + r.port() + " failed: " + message);
    }

    /**
     * The host key algorithms with those whose key type known_hosts already has for this host
     * first, as ssh orders them (order_hostkeyalgs): the server then shows the key we can check.
     */
    private static List<NamedFactory<Signature>> preferKnownTypes(List<NamedFactory<Signature>> factories, List<String> knownTypes) {
        if (knownTypes.isEmpty()) {
            return factories;
        }
        List<NamedFactory<Signature>> first = new ArrayList<>();
        List<NamedFactory<Signature>> rest = new ArrayList<>();
        for (NamedFactory<Signature> f : factories) {
            String keyType = org.apache.sshd.common.config.keys.KeyUtils.getCanonicalKeyType(f.getName());
            (knownTypes.contains(keyType) || knownTypes.contains(f.getName()) ? first : rest).add(f);
        }
        first.addAll(rest);
        return first;
    }

    /**
     * The ciphers MINA offers, AES-GCM first. MINA's ChaCha20-Poly1305 (first in its list and in
     * OpenSSH's) is Java code of its own, while the JDK's AES-GCM runs on the CPU's AES and
     * carry-less multiply instructions (C2's intrinsics). 1 GiB over SFTP to jftpd on this 2-core
     * machine, the client's CPU the limit: get 7.9 s with ChaCha20 against 4.6 s with AES-GCM, put
     * 8.6 against 4.9 s (two runs each).
     */
    static List<NamedFactory<Cipher>> aesGcmFirst(List<NamedFactory<Cipher>> factories) {
        List<NamedFactory<Cipher>> first = new ArrayList<>();
        List<NamedFactory<Cipher>> rest = new ArrayList<>();
        for (NamedFactory<Cipher> f : factories) {
            (f.getName().startsWith("aes") && f.getName().contains("-gcm@") ? first : rest).add(f);
        }
        first.addAll(rest);
        return first;
    }

    /** Password prompts, keyboard-interactive questions and the server's banner, through the user's terminal. */
    private static final class Interaction implements UserInteraction {
        private final Request r;
        private final boolean mayAsk;
        private final Consumer<String> notes;
        private char[] stored;
        private boolean storedUsedInteractively;
        private char[] used;
        private int prompts;

        Interaction(Request r, boolean mayAsk, Consumer<String> notes) {
            this.r = r;
            this.mayAsk = mayAsk;
            this.notes = notes;
        }

        @Override
        public boolean isInteractionAllowed(ClientSession session) {
            return true;
        }

        @Override
        public void welcome(ClientSession session, String banner, String lang) {
            PrintWriter err = r.io().err();
            err.print(banner.endsWith("\n") ? banner : banner + "\n");
            err.flush();
        }

        /** The password method's further tries, after the stored password (if any) was refused. */
        @Override
        public String resolveAuthPasswordAttempt(ClientSession session) throws Exception {
            if (stored != null && used == stored) {
                notes.accept("the stored password was refused");
            }
            if (!mayAsk || prompts >= PASSWORD_PROMPTS) {
                return null;
            }
            if (prompts > 0 || used != null) {
                r.io().err().println("Permission denied, please try again.");
                r.io().err().flush();
            }
            prompts++;
            char[] typed = r.io().readPassword(r.user() + "@" + r.host() + "'s password: ");
            if (typed == null) {
                return null;
            }
            used = typed;
            return new String(typed);
        }

        @Override
        public String[] interactive(ClientSession session, String name, String instruction, String lang, String[] questions, boolean[] echo) {
            PrintWriter err = r.io().err();
            if (name != null && !name.isBlank()) {
                err.println(name);
            }
            if (instruction != null && !instruction.isBlank()) {
                err.println(instruction);
            }
            err.flush();
            String[] answers = new String[questions.length];
            try {
                for (int i = 0; i < questions.length; i++) {
                    boolean secret = echo == null || i >= echo.length || !echo[i];
                    if (secret && stored != null && !storedUsedInteractively && questions[i].toLowerCase(Locale.ROOT).contains("password")) {
                        storedUsedInteractively = true;
                        used = stored;
                        answers[i] = new String(stored);
                        continue;
                    }
                    if (!mayAsk) {
                        return null;
                    }
                    if (secret) {
                        char[] typed = r.io().readPassword(questions[i]);
                        if (typed == null) {
                            return null;
                        }
                        used = typed;
                        answers[i] = new String(typed);
                    } else {
                        String typed = r.io().askLine(questions[i]);
                        if (typed == null) {
                            return null;
                        }
                        answers[i] = typed;
                    }
                }
            } catch (IOException e) {
                return null;
            }
            return answers;
        }

        @Override
        public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
            return null; // a password change the server asks for: not done here (ssh would)
        }
    }
}
