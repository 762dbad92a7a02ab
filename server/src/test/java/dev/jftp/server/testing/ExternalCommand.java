package dev.jftp.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real client program (curl, python3, ftp, lftp) to completion, with a time limit. */
public final class ExternalCommand {
    private final Path directory;
    private final Map<String, String> env = new HashMap<>();
    private String stdin;
    private Duration timeout = Duration.ofSeconds(60);

    private ExternalCommand(Path directory) {
        this.directory = directory;
    }

    /** What a finished program left: exit status, standard output and standard error. */
    public record Result(List<String> command, int exit, String stdout, String stderr) {
        /** Everything, for assertion messages. */
        public String describe() {
            return String.join(" ", command) + "\nexit " + exit + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    public static ExternalCommand in(Path directory) {
        return new ExternalCommand(directory);
    }

    public ExternalCommand env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public ExternalCommand stdin(String text) {
        this.stdin = text;
        return this;
    }

    public ExternalCommand timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public Result run(String... command) throws IOException {
        return run(List.of(command));
    }

    /** Runs the command; a program still running after the time limit is killed and the test fails. */
    public Result run(List<String> command) throws IOException {
        Files.createDirectories(directory);
        Path out = Files.createTempFile("cmd", ".out");
        Path err = Files.createTempFile("cmd", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("LC_ALL", "C.UTF-8");
            builder.environment().putAll(env);
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the program ended before reading all of its input; its output says why
            }
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted", e);
            }
            if (!finished) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s\n--- stdout:\n"
                        + text(out) + "\n--- stderr:\n" + text(err));
            }
            return new Result(List.copyOf(command), process.exitValue(), text(out), text(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A program's output as text; bytes that are not UTF-8 become U+FFFD rather than an error. */
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** True when {@code program} is an executable on the PATH. */
    public static boolean installed(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the test, saying why, when {@code program} is missing (bin/lib/install-peers.sh installs it). */
    public static void assumeInstalled(String program, String debianPackage) {
        assumeTrue(installed(program), () -> program + " is not installed on this machine, so this end-to-end test is skipped"
                + " (bin/lib/install-peers.sh installs it as root: apt-get install " + debianPackage + ")");
    }
}
