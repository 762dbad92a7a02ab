package dev.jftp.client.shell;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether a person sits at this process's standard input and output. */
public final class Terminals {
    private Terminals() {
    }

    /**
     * True when standard input and output are a terminal. Since JDK 22 {@link System#console()}
     * exists even when they are not and {@code Console.isTerminal()} tells; on JDK 21 a console
     * exists only for a terminal.
     */
    public static boolean stdioIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Reads a password from the console without echo; null when there is no terminal. */
    public static char[] consolePassword(String prompt) {
        if (!stdioIsTerminal()) {
            return null;
        }
        return System.console().readPassword("%s", prompt);
    }
}
