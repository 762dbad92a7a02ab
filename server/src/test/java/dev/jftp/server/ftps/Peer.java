package dev.jftp.server.ftps;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real FTP client (curl, python3) with a time limit. */
final class Peer {
    record Result(int exitCode, String stdout, String stderr) {
        String both() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private Peer() {
    }

    /** Skips the test, visibly, when {@code program} is not installed (bin/lib/install-peers.sh installs it). */
    static void assumeInstalled(String program) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                found = true;
                break;
            }
        }
        assumeTrue(found, program + " is not installed (bin/lib/install-peers.sh installs it); skipping");
    }

    static Result run(Path workDir, Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "peer", ".out");
        Path err = Files.createTempFile(workDir, "peer", ".err");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(command.get(0) + " did not finish within " + timeout.toSeconds() + " s: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
