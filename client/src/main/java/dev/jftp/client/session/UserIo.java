package dev.jftp.client.session;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Where the session talks to its user: output, errors, password prompts, local commands. */
public interface UserIo {
    PrintWriter out();

    PrintWriter err();

    /** True when a person watches the output on a terminal: progress meters make sense there. */
    boolean isTerminal();

    /** Columns of the output. */
    int width();

    /** True when {@link #readPassword} can ask a person. */
    boolean canAskPassword();

    /** Asks for a password without echo; null when there is no terminal to ask at. */
    char[] readPassword(String prompt) throws IOException;

    /** Asks a question with echo (a certificate to accept); null when there is nobody to ask. */
    default String askLine(String prompt) throws IOException {
        return null;
    }

    /** Runs a local program (for ! and lls) in {@code dir}; returns its exit status. */
    int runLocal(List<String> command, Path dir) throws IOException;
}
