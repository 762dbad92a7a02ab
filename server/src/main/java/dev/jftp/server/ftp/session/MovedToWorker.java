package dev.jftp.server.ftp.session;

/**
 * Thrown inside a transfer that began on the session's reader thread when it cannot finish there
 * without waiting (its data still coming at {@link FtpSession#quickTransferDeadline()}, or input on
 * the control connection to read first): what it did so far stays done, and the transfer's runner
 * hands its rest to the worker (see {@link TransferRunner#upload}), which runs the same body again
 * to go on. Not a failure: a transfer body lets it pass.
 */
public final class MovedToWorker extends RuntimeException {
    public static final MovedToWorker INSTANCE = new MovedToWorker();

    private MovedToWorker() {
        super("transfer moved to the worker", null, false, false);
    }
}
