package dev.jftp.client.shell;

import dev.jftp.client.login.Destination;
import dev.jftp.client.session.ClientSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Runs commands from a file or standard input as sftp -b does: each command is echoed after the
 * prompt; the first one that fails ends the run with exit status 1, unless it starts with '-'
 * (then its failure is tolerated). A leading '@' runs a command without echoing it.
 */
public final class BatchRunner {
    public static final String PROMPT = "jftp> ";
    /** Bound on the lines of one batch. */
    static final int MAX_LINES = 10_000_000;

    private BatchRunner() {
    }

    /**
     * @param stopOnError true for -b (stop at the first failure); false for commands piped in
     *                    without -b (go on, but still exit 1 if any failed)
     * @return the exit status
     */
    public static int run(BufferedReader in, ClientSession session, boolean stopOnError) throws IOException {
        PrintWriter out = session.io().out();
        boolean anyFailed = false;
        for (int count = 0; count < MAX_LINES && !session.exitRequested(); count++) {
            String line = in.readLine();
            if (line == null) {
                break;
            }
            String command = line.strip();
            if (command.isEmpty() || command.startsWith("#")) {
                continue;
            }
            boolean tolerate = false;
            boolean echo = true;
            while (!command.isEmpty() && (command.charAt(0) == '-' || command.charAt(0) == '@')) {
                if (command.charAt(0) == '-') {
                    tolerate = true;
                } else {
                    echo = false;
                }
                command = command.substring(1).stripLeading();
            }
            if (echo) {
                out.println(PROMPT + withoutPassword(command));
                out.flush();
            }
            boolean ok = session.execute(command);
            if (!ok && !tolerate) {
                anyFailed = true;
                if (stopOnError) {
                    return 1;
                }
            }
        }
        return anyFailed ? 1 : 0;
    }

    /** "user NAME PASSWORD" is echoed with the password hidden, a URL without its password. */
    static String withoutPassword(String command) {
        String[] words = command.split("\\s+");
        if (words.length >= 3 && words[0].equals("user")) {
            return words[0] + " " + words[1] + " ****";
        }
        return Destination.withoutPasswords(command);
    }
}
