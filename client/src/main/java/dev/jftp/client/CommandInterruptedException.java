package dev.jftp.client;

/** The user pressed Ctrl-C: the whole command stops (as in sftp), not just the file moving then. */
public final class CommandInterruptedException extends ClientException {
    private static final long serialVersionUID = 1L;

    public CommandInterruptedException() {
        super("interrupted");
    }
}
