package dev.jftp.client;

import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import java.io.Closeable;
import java.io.IOException;

/**
 * The user's Ctrl-C while a command runs. sftp stops the whole command, so this is remembered
 * until the next command starts: it is passed at once to the transfer that runs (or that starts
 * afterwards, so no file slips through between two checks) and to a connection being opened, and
 * loops over several files check it before each one. The terminal's signal thread calls
 * {@link #request()}; the command's thread does the rest.
 */
public final class Interruption implements TransferListener {
    private boolean requested;
    private Transfer running;
    private Closeable connecting;

    /** A new command starts: a Ctrl-C pressed before it does not count. */
    public synchronized void reset() {
        requested = false;
        running = null;
        connecting = null;
    }

    /** Ctrl-C: stops the transfer that runs and the connection being opened. */
    public synchronized void request() {
        requested = true;
        if (running != null) {
            running.cancel();
        }
        closeConnecting();
    }

    public synchronized boolean requested() {
        return requested;
    }

    /** Ends the command here when Ctrl-C was pressed. */
    public void check() throws CommandInterruptedException {
        if (requested()) {
            throw new CommandInterruptedException();
        }
    }

    /** A control connection is being opened; closing {@code socket} ends a blocked connect or read at once. */
    public synchronized void connecting(Closeable socket) {
        connecting = socket;
        if (requested) {
            closeConnecting();
        }
    }

    /** The connection is open (or failed): nothing to close any more. */
    public synchronized void connected() {
        connecting = null;
    }

    private void closeConnecting() {
        if (connecting != null) {
            try {
                connecting.close();
            } catch (IOException e) {
                // the connect it should end fails anyway, or has ended
            }
        }
    }

    @Override
    public synchronized void started(Transfer transfer) {
        running = transfer;
        if (requested) {
            transfer.cancel();
        }
    }

    @Override
    public synchronized void finished(Transfer transfer, boolean ok) {
        if (running == transfer) {
            running = null;
        }
    }
}
