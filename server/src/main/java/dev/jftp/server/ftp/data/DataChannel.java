package dev.jftp.server.ftp.data;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * A data connection that has been asked for (PORT/EPRT or PASV/EPSV) but not yet opened. The next
 * transfer command opens it; it serves exactly one transfer.
 */
public sealed interface DataChannel extends Closeable permits PassiveDataChannel, ActiveDataChannel {
    /** Connects (active) or waits for the client to connect (passive), up to {@code timeout}. */
    DataConnection open(Duration timeout) throws IOException;

    /** Frees the listening socket, if any. Never throws. */
    @Override
    void close();
}
