package dev.jftp.client.shell;

import dev.jftp.client.login.LoginFlow;
import dev.jftp.client.session.UserIo;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** UserIo over plain streams: batch mode, piped input, and the tests. */
public final class StreamUserIo implements UserIo {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final int width;
    private final LoginFlow.PasswordPrompt prompt;
    private final boolean canAsk;

    /**
     * @param terminal true when the output is a terminal (progress meters are drawn)
     * @param prompt   asks for passwords; returns null when it cannot
     * @param canAsk   whether the prompt can reach a person
     */
    public StreamUserIo(PrintWriter out, PrintWriter err, boolean terminal, int width, LoginFlow.PasswordPrompt prompt, boolean canAsk) {
        this.canAsk = canAsk;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.width = width;
        this.prompt = prompt;
    }

    @Override
    public PrintWriter out() {
        return out;
    }

    @Override
    public PrintWriter err() {
        return err;
    }

    @Override
    public boolean isTerminal() {
        return terminal;
    }

    @Override
    public int width() {
        return width;
    }

    /** Asks through the same prompt as passwords (the tests type answers there); null when it cannot ask. */
    @Override
    public String askLine(String question) throws IOException {
        if (!canAsk) {
            return null;
        }
        char[] answer = prompt.ask(question);
        return answer == null ? null : new String(answer);
    }

    @Override
    public boolean canAskPassword() {
        return canAsk;
    }

    @Override
    public char[] readPassword(String text) throws IOException {
        return prompt.ask(text);
    }

    /** Runs the program with no input (stdin may be the batch itself) and copies its output to out. */
    @Override
    public int runLocal(List<String> command, Path dir) throws IOException {
        out.flush();
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try (InputStream in = process.getInputStream(); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        }
        out.flush();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
    }
}
