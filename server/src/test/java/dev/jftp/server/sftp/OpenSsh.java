package dev.jftp.server.sftp;

import dev.jftp.server.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenSSH's own {@code sftp}, {@code scp} and {@code ssh} against a {@link SftpTestServer}, driven
 * without a terminal: passwords through {@code SSH_ASKPASS} with {@code SSH_ASKPASS_REQUIRE=force},
 * keys with {@code -i}, commands with {@code -b} (a batch file, which stops at the first failing
 * command and exits non-zero). No user configuration, agent or default key is used, and the server's
 * host key is checked strictly against the known_hosts file the server wrote.
 */
final class OpenSsh {
    private final SftpTestServer server;
    private final Path directory;
    private Duration timeout = Duration.ofSeconds(50);
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();

    OpenSsh(SftpTestServer server, Path directory) throws IOException {
        ExternalCommand.assumeInstalled("sftp", "openssh-client");
        this.server = server;
        this.directory = directory;
        Path askpass = directory.resolve("askpass.sh");
        if (!Files.exists(askpass)) {
            Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' \"$JFTP_TEST_PASSWORD\"\n");
            Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Sets a variable of the clients' environment (over the defaults below). */
    OpenSsh environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    OpenSsh timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    Path directory() {
        return directory;
    }

    /** How the client logs in. */
    sealed interface Login {
        List<String> options();

        String password();
    }

    record Password(String password) implements Login {
        @Override
        public List<String> options() {
            // BatchMode=no first: sftp -b adds BatchMode=yes after it, and ssh keeps the first value.
            return List.of("-o", "BatchMode=no", "-o", "PubkeyAuthentication=no",
                    "-o", "PreferredAuthentications=keyboard-interactive,password", "-o", "NumberOfPasswordPrompts=1");
        }
    }

    /** The password method only (no keyboard-interactive). */
    record PasswordMethod(String password) implements Login {
        @Override
        public List<String> options() {
            return List.of("-o", "BatchMode=no", "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password",
                    "-o", "NumberOfPasswordPrompts=1");
        }
    }

    record Key(Path key) implements Login {
        @Override
        public List<String> options() {
            return List.of("-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                    "-o", "PreferredAuthentications=publickey", "-i", key.toString());
        }

        @Override
        public String password() {
            return "";
        }
    }

    static Login password(String password) {
        return new Password(password);
    }

    Login key(String name) {
        return new Key(server.keys().key(name));
    }

    /** Options every client gets: no configuration files, the server's host keys checked strictly. */
    List<String> common() {
        return List.of("-F", "/dev/null",
                "-o", "UserKnownHostsFile=" + server.knownHosts(),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "ConnectTimeout=20");
    }

    /** {@code sftp -b} with these commands, one per line. */
    ExternalCommand.Result sftp(String user, Login login, String... commands) throws IOException {
        return sftp(user, login, List.of(), commands);
    }

    ExternalCommand.Result sftp(String user, Login login, List<String> extraOptions, String... commands) throws IOException {
        Path batch = Files.createTempFile(directory, "batch", ".txt");
        Files.writeString(batch, String.join("\n", commands) + "\n");
        try {
            return run(sftpCommand(user, login, extraOptions, batch), login);
        } finally {
            Files.deleteIfExists(batch);
        }
    }

    List<String> sftpCommand(String user, Login login, List<String> extraOptions, Path batch) {
        List<String> command = new ArrayList<>(List.of("sftp"));
        command.addAll(common());
        command.addAll(login.options());
        command.addAll(extraOptions);
        command.addAll(List.of("-P", Integer.toString(server.port()), "-b", batch.toString(), user + "@127.0.0.1"));
        return command;
    }

    /** {@code scp} (which speaks SFTP since OpenSSH 9) with these arguments; "remote:" stands for {@code user@127.0.0.1:}. */
    ExternalCommand.Result scp(String user, Login login, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("scp"));
        command.addAll(common());
        command.addAll(login.options());
        command.addAll(List.of("-P", Integer.toString(server.port())));
        for (String argument : arguments) {
            command.add(argument.startsWith("remote:") ? user + "@127.0.0.1:" + argument.substring("remote:".length()) : argument);
        }
        return run(command, login);
    }

    /** {@code ssh} with these options and arguments after the destination. */
    ExternalCommand.Result ssh(String user, Login login, List<String> options, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("ssh"));
        command.addAll(common());
        command.addAll(login.options());
        command.addAll(options);
        command.addAll(List.of("-p", Integer.toString(server.port()), user + "@127.0.0.1"));
        command.addAll(List.of(arguments));
        return run(command, login);
    }

    /** Starts {@code command} with the environment the clients need, for a test that ends it itself. */
    Process start(List<String> command, Login login) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(directory.resolve("started.out").toFile())
                .redirectError(directory.resolve("started.err").toFile());
        builder.environment().putAll(environment(login));
        return builder.start();
    }

    private ExternalCommand.Result run(List<String> command, Login login) throws IOException {
        ExternalCommand runner = ExternalCommand.in(directory).timeout(timeout);
        environment(login).forEach(runner::env);
        return runner.run(command);
    }

    private java.util.Map<String, String> environment(Login login) {
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of(
                "HOME", directory.toString(),
                "SSH_AUTH_SOCK", "",
                "SSH_ASKPASS", directory.resolve("askpass.sh").toString(),
                "SSH_ASKPASS_REQUIRE", "force",
                "DISPLAY", "",
                "JFTP_TEST_PASSWORD", login.password()));
        env.putAll(environment);
        return env;
    }
}
