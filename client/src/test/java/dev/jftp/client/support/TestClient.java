package dev.jftp.client.support;

import dev.jftp.client.ClientException;
import dev.jftp.client.Environment;
import dev.jftp.client.Jftp;
import dev.jftp.client.login.PasswordLookup;
import dev.jftp.client.session.ClientSession;
import dev.jftp.client.session.ClientSettings;
import dev.jftp.client.shell.StreamUserIo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The client wired to strings, at two levels: a session (the command layer: {@link #run},
 * {@link #ok}) and the whole program ({@link #jftp}: command line, login, batch mode), both with
 * output and errors captured, a local directory and a home of their own, environment variables,
 * and passwords typed from a queue.
 */
public final class TestClient implements AutoCloseable {
    public final Path local;
    public final Path home;
    public final Map<String, String> environment = new HashMap<>();
    public final Deque<String> typedPasswords = new ArrayDeque<>();
    public final ClientSettings settings = new ClientSettings();
    public int prompts;
    /** Whether the program run by {@link #jftp} believes it is on a terminal. */
    public boolean terminal;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ClientSession session;

    public TestClient(Path base) throws IOException {
        this.local = Files.createDirectories(base.resolve("local"));
        this.home = Files.createDirectories(base.resolve("home"));
        settings.connectTimeout = Duration.ofSeconds(10);
        settings.replyTimeout = Duration.ofSeconds(20);
        settings.dataTimeout = Duration.ofSeconds(20);
        environment.put("USER", "alice");
        StreamUserIo io = new StreamUserIo(new PrintWriter(out, true), new PrintWriter(err, true), false, 80, this::typePassword, true);
        this.session = new ClientSession(io, settings, new PasswordLookup(environment, home, new PrintWriter(err, true)), local);
    }

    /** Runs the whole program with {@code args} and {@code stdin}, in the local directory; returns its exit status. */
    public int jftp(String stdin, String... args) {
        Environment world = new Environment(environment, home, local, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), terminal, 80, this::typePassword);
        return Jftp.run(args, world);
    }

    private char[] typePassword(String prompt) {
        prompts++;
        String typed = typedPasswords.poll();
        return typed == null ? null : typed.toCharArray();
    }

    /** Writes a batch file (next to the local directory); returns its path. */
    public String batch(String text) throws IOException {
        return Files.writeString(local.resolveSibling("batch.txt"), text).toString();
    }

    public ClientSession session() {
        return session;
    }

    /** Connects as alice. */
    public TestClient connect(TestServer server) throws IOException, ClientException {
        return connect(server, "alice");
    }

    public TestClient connect(TestServer server, String user) throws IOException, ClientException {
        session.connect("127.0.0.1", server.port(), user, TestServer.PASSWORD.toCharArray());
        return clear();
    }

    /** Runs a command line; returns whether it succeeded. */
    public boolean run(String line) {
        return session.execute(line);
    }

    /** Runs a command that must succeed. */
    public TestClient ok(String line) {
        if (!session.execute(line)) {
            throw new AssertionError("\"" + line + "\" failed: " + err());
        }
        return this;
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }

    /** Forgets the output so far. */
    public TestClient clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return this;
    }

    @Override
    public void close() {
        session.close();
    }
}
