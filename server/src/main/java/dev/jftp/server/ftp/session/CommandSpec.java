package dev.jftp.server.ftp.session;

/**
 * One row of the command table: everything the session needs to know about a command besides
 * what its handler does.
 *
 * @param verb               the command verb
 * @param handler            what carries it out
 * @param help               syntax shown by HELP verb
 * @param login              whether it needs a logged-in user (else 530)
 * @param argument           whether it needs an argument (else 501)
 * @param runs               which of the session's threads runs it (see {@link SessionThreads})
 * @param usesDataConnection whether it uses the data connection asked for; when it is refused, that goes too
 * @param keepsRestartOffset whether a REST offset still holds after it: the transfers REST restarts, and
 *                           the commands that set up their data connection, which clients send on either
 *                           side of REST (Commons Net and ftplib send PASV, then REST; jftp sends REST,
 *                           then EPSV); any other command forgets it (RFC 3659 section 5.3)
 * @param keepsRename        whether a pending RNFR still holds after it (RNFR, RNTO); RNFR must be followed
 *                           directly by RNTO (RFC 959 section 4.1.3)
 * @param whileTransferring  what it does when it arrives while a transfer runs
 */
public record CommandSpec(String verb, CommandHandler handler, String help, boolean login, boolean argument, Runs runs,
        boolean usesDataConnection, boolean keepsRestartOffset, boolean keepsRename, WhileTransferring whileTransferring) {

    /** Which thread runs a command; see {@link SessionThreads}. */
    public enum Runs {
        /** Quick, and opens no data connection: the reader runs it itself when nothing else is queued. */
        ON_READER,
        /**
         * May be quick (PASS with a remembered password, a small RETR): starts on the reader, and the
         * handler hands it to the worker, before changing anything, when it finds it must wait.
         */
        ON_READER_UNTIL_IT_WAITS,
        /** Transfers, listings, anything that may wait: the worker, so that the reader sees ABOR and STAT meanwhile. */
        ON_WORKER,
        /** AUTH: the worker, with the reader stopped until it has run, since the bytes after its reply are TLS. */
        ON_WORKER_HOLDING_READER
    }

    /** What a command does when it arrives while a transfer runs (RFC 959 section 4.1.3). */
    public enum WhileTransferring {
        /** Waits its turn: runs once the transfer has ended (most commands). */
        WAITS,
        /** ABOR: stops the transfer at once, then runs in its turn (226 after the transfer's 426). */
        STOPS_IT,
        /** STAT without an argument: answered at once with the transfer's progress. */
        REPORTS_ON_IT
    }
}
