package dev.jftp.client.shell;

import dev.jftp.client.ftp.Transfer;
import dev.jftp.client.session.ClientSession;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/** The interactive prompt: JLine line editing, history in ~/.jftp_history, tab completion, Ctrl-C stops a transfer. */
public final class InteractiveShell {
    private InteractiveShell() {
    }

    /** A line reader for this terminal; the completer is attached once the session exists. */
    public static LineReader reader(Terminal terminal, Path home) {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false);
        return LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("jftp")
                .parser(parser)
                .variable(LineReader.HISTORY_FILE, home.resolve(".jftp_history"))
                .variable(LineReader.HISTORY_FILE_SIZE, 1000)
                // "user NAME PASSWORD" may carry a password: it is not kept.
                .variable(LineReader.HISTORY_IGNORE, "user *")
                // "!ls" is a local command here, not a history event.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .build();
    }

    /** Reads and runs commands until bye or end of input; returns the exit status. */
    public static int run(ClientSession session, Terminal terminal, LineReader reader) {
        if (reader instanceof org.jline.reader.impl.LineReaderImpl impl) {
            impl.setCompleter(new JftpCompleter(session));
        }
        terminal.handle(Terminal.Signal.INT, signal -> {
            Transfer transfer = session.currentTransfer();
            if (transfer != null) {
                transfer.cancel();
            }
        });
        while (!session.exitRequested()) {
            String line;
            try {
                line = reader.readLine(BatchRunner.PROMPT);
            } catch (UserInterruptException e) {
                continue; // Ctrl-C at the prompt clears the line, as in a shell
            } catch (EndOfFileException e) {
                break;
            }
            session.execute(line);
        }
        return 0;
    }
}
