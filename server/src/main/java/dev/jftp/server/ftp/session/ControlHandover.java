package dev.jftp.server.ftp.session;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * How the reader thread lends the control connection to AUTH. After AUTH TLS and the 234 reply the
 * next bytes are a TLS handshake (RFC 4217 section 4), which the reader must not take for a command
 * line: on reading an AUTH line the reader stops, and waits here until the worker has run
 * the command. It then goes on reading either through TLS, or (AUTH refused) as before.
 */
final class ControlHandover {
    /** What the reader does next. */
    sealed interface Outcome {
    }

    /** AUTH was refused: read on from the same reader, whose buffered bytes are still there. */
    record Unchanged() implements Outcome {
    }

    /** TLS is up: read commands from this stream. */
    record Secured(InputStream input) implements Outcome {
    }

    /** The handshake failed: the session is ending. */
    record Ended() implements Outcome {
    }

    private final byte[] readAhead;
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile Outcome outcome;

    ControlHandover(byte[] readAhead) {
        this.readAhead = readAhead;
    }

    /** Bytes the reader had already read past the AUTH line; they belong to the TLS handshake. */
    byte[] readAhead() {
        return readAhead.clone();
    }

    void secured(InputStream input) {
        decide(new Secured(input));
    }

    void ended() {
        decide(new Ended());
    }

    /** Leaves the stream as it was, unless the command already decided otherwise. */
    void unchangedUnlessDecided() {
        decide(new Unchanged());
    }

    private synchronized void decide(Outcome o) {
        if (outcome == null) {
            outcome = o;
            decided.countDown();
        }
    }

    /** Reader side: waits for the worker to run AUTH. */
    Outcome await() throws InterruptedException {
        decided.await();
        return outcome;
    }
}
