package dev.jftp.client.shell;

import dev.jftp.client.session.UserIo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/** UserIo for the interactive program: the JLine terminal, its line reader for passwords, inherited I/O for ! commands. */
public final class JLineUserIo implements UserIo {
    private final Terminal terminal;
    private final LineReader reader;

    public JLineUserIo(Terminal terminal, LineReader reader) {
        this.terminal = terminal;
        this.reader = reader;
    }

    @Override
    public PrintWriter out() {
        return terminal.writer();
    }

    @Override
    public PrintWriter err() {
        return terminal.writer();
    }

    @Override
    public boolean isTerminal() {
        return true;
    }

    @Override
    public int width() {
        int columns = terminal.getWidth();
        return columns > 0 ? columns : 80;
    }

    @Override
    public boolean canAskPassword() {
        return true;
    }

    /** Reads with a null mask: nothing is echoed, not even stars; the line stays out of the history. */
    @Override
    public String askLine(String prompt) {
        Object before = reader.getVariable(LineReader.DISABLE_HISTORY);
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, before == null ? false : before);
        }
    }

    @Override
    public char[] readPassword(String prompt) {
        Object before = reader.getVariable(LineReader.DISABLE_HISTORY);
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        try {
            return reader.readLine(prompt, LineReaderImpl.NULL_MASK).toCharArray();
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, before == null ? false : before);
        }
    }

    /** The program gets the terminal itself (an editor or a shell works). */
    @Override
    public int runLocal(List<String> command, Path dir) throws IOException {
        terminal.writer().flush();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
    }
}
