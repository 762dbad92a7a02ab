package dev.jftp.client;

import dev.jftp.client.login.LoginFlow;
import dev.jftp.client.shell.Terminals;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the program gets from the world it runs in, so that tests can hand it another one.
 *
 * @param variables      environment variables (JFTP_PASSWORD, USER)
 * @param home           the home directory (~/.netrc, ~/.jftp_history, lcd without argument)
 * @param workingDir     the starting local directory
 * @param stdin          standard input (batch "-", piped commands)
 * @param out            standard output
 * @param err            standard error
 * @param terminal       true when standard input and output are a terminal
 * @param width          columns of the output when it is not a terminal
 * @param passwordPrompt asks for a password without echo, or returns null
 */
public record Environment(Map<String, String> variables, Path home, Path workingDir, InputStream stdin, PrintWriter out,
                          PrintWriter err, boolean terminal, int width, LoginFlow.PasswordPrompt passwordPrompt) {

    public static Environment system() {
        boolean terminal = Terminals.stdioIsTerminal();
        int width = 80;
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{1,4}")) {
            width = Math.max(20, Integer.parseInt(columns));
        }
        // $HOME first, as ftp(1) and sftp read ~/.netrc and keep history there; the JDK's user.home ignores it.
        String homeVariable = System.getenv("HOME");
        Path home = homeVariable != null && !homeVariable.isBlank() ? Path.of(homeVariable) : Path.of(System.getProperty("user.home"));
        return new Environment(System.getenv(), home, Path.of("").toAbsolutePath(),
                System.in, new PrintWriter(System.out, false), new PrintWriter(System.err, true), terminal, width,
                Terminals::consolePassword);
    }
}
