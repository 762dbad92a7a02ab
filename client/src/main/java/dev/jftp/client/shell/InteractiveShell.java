package dev.jftp.client.shell;

import dev.jftp.client.session.ClientSession;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/** The interactive prompt: JLine line editing, history in ~/.jftp_history, tab completion, Ctrl-C stops a command. */
public final class InteractiveShell {
    private InteractiveShell() {
    }

    /** A line reader for this terminal; the completer is attached once the session exists. */
    public static LineReader reader(Terminal terminal, Path home) {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false);
        Path historyFile = home.resolve(".jftp_history");
        HistoryFile.prepare(historyFile, terminal.writer());
        return LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("jftp")
                .parser(parser)
                .history(new HistoryFile())
                .variable(LineReader.HISTORY_FILE, historyFile)
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
        // Ctrl-C while a command runs stops the whole command (as in sftp); at the prompt JLine
        // reads it as a key instead (the terminal is in raw mode there) and clears the line.
        terminal.handle(Terminal.Signal.INT, signal -> session.interrupt());
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
