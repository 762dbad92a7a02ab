package dev.jftp.server.ftp.command;

import static dev.jftp.server.ftp.command.CommandTable.Trait.ARGUMENT;
import static dev.jftp.server.ftp.command.CommandTable.Trait.DATA_CONNECTION;
import static dev.jftp.server.ftp.command.CommandTable.Trait.KEEPS_REST;
import static dev.jftp.server.ftp.command.CommandTable.Trait.KEEPS_RNFR;
import static dev.jftp.server.ftp.command.CommandTable.Trait.LOGIN;
import static dev.jftp.server.ftp.command.CommandTable.Trait.REPORTS_ON_TRANSFER;
import static dev.jftp.server.ftp.command.CommandTable.Trait.STOPS_TRANSFER;
import static dev.jftp.server.ftp.session.CommandSpec.Runs.ON_READER;
import static dev.jftp.server.ftp.session.CommandSpec.Runs.ON_READER_UNTIL_IT_WAITS;
import static dev.jftp.server.ftp.session.CommandSpec.Runs.ON_WORKER;
import static dev.jftp.server.ftp.session.CommandSpec.Runs.ON_WORKER_HOLDING_READER;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.session.CommandHandler;
import dev.jftp.server.ftp.session.CommandSpec;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole command set of the server in one place: for each verb, its handler, its HELP syntax,
 * and what the session must know about it (see {@link CommandSpec}): whether it needs a login or an
 * argument, which thread runs it, whether it uses the data connection, whether REST and RNFR hold
 * across it, and what it does while a transfer runs.
 */
public final class CommandTable {
    /** What a row says beyond its handler, its help and its thread. */
    enum Trait {
        /** Needs a logged-in user (else 530). */
        LOGIN,
        /** Needs an argument (else 501). */
        ARGUMENT,
        /** Uses the data connection asked for; a refusal closes it. */
        DATA_CONNECTION,
        /** A REST offset still holds after it. */
        KEEPS_REST,
        /** A pending RNFR still holds after it. */
        KEEPS_RNFR,
        /** ABOR: stops a running transfer at once. */
        STOPS_TRANSFER,
        /** STAT without an argument: answered at once while a transfer runs. */
        REPORTS_ON_TRANSFER
    }

    private CommandTable() {
    }

    private static CommandSpec row(String verb, CommandHandler handler, String help, CommandSpec.Runs runs, Trait... traits) {
        EnumSet<Trait> t = traits.length == 0 ? EnumSet.noneOf(Trait.class) : EnumSet.copyOf(List.of(traits));
        CommandSpec.WhileTransferring whileTransferring = t.contains(STOPS_TRANSFER) ? CommandSpec.WhileTransferring.STOPS_IT
                : t.contains(REPORTS_ON_TRANSFER) ? CommandSpec.WhileTransferring.REPORTS_ON_IT : CommandSpec.WhileTransferring.WAITS;
        return new CommandSpec(verb, handler, help, t.contains(LOGIN), t.contains(ARGUMENT), runs, t.contains(DATA_CONNECTION),
                t.contains(KEEPS_REST), t.contains(KEEPS_RNFR), whileTransferring);
    }

    /** Known, not offered: 502 (RFC 959 section 4.2). */
    private static void notImplemented(FtpSession s, String argument) throws FtpReplyException {
        throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "Command not implemented");
    }

    /** STAT: the session's status, or with a path a listing over the control connection (RFC 959 section 4.1.3). */
    private static void stat(FtpSession s, String argument) throws FtpReplyException, java.io.IOException {
        if (argument.isBlank()) {
            InfoCommands.stat(s, argument);
        } else {
            ListingCommands.statPath(s, argument);
        }
    }

    public static Map<String, CommandSpec> standard() {
        List<CommandSpec> rows = List.of(
                // access control (RFC 959 section 4.1.1)
                row("USER", AccessCommands::user, "USER name", ON_READER, ARGUMENT),
                row("PASS", AccessCommands::pass, "PASS password", ON_READER_UNTIL_IT_WAITS),
                row("ACCT", AccessCommands::acct, "ACCT account", ON_READER, ARGUMENT),
                row("REIN", AccessCommands::rein, "REIN", ON_WORKER),
                row("QUIT", AccessCommands::quit, "QUIT", ON_READER),
                row("CWD", NavigationCommands::cwd, "CWD path", ON_READER, LOGIN, ARGUMENT),
                row("XCWD", NavigationCommands::cwd, "XCWD path", ON_READER, LOGIN, ARGUMENT),
                row("CDUP", NavigationCommands::cdup, "CDUP", ON_READER, LOGIN),
                row("XCUP", NavigationCommands::cdup, "XCUP", ON_READER, LOGIN),
                row("PWD", NavigationCommands::pwd, "PWD", ON_READER, LOGIN),
                row("XPWD", NavigationCommands::pwd, "XPWD", ON_READER, LOGIN),
                // transfer parameters
                row("PORT", DataConnectionCommands::port, "PORT h1,h2,h3,h4,p1,p2", ON_READER, LOGIN, ARGUMENT, KEEPS_REST),
                row("EPRT", DataConnectionCommands::eprt, "EPRT |proto|address|port|", ON_READER, LOGIN, ARGUMENT, KEEPS_REST),
                row("PASV", DataConnectionCommands::pasv, "PASV", ON_READER, LOGIN, KEEPS_REST),
                row("EPSV", DataConnectionCommands::epsv, "EPSV [1|2|ALL]", ON_READER, LOGIN, KEEPS_REST),
                row("TYPE", DataConnectionCommands::type, "TYPE A|I|L 8", ON_READER, ARGUMENT),
                row("MODE", DataConnectionCommands::mode, "MODE S", ON_READER, ARGUMENT),
                row("STRU", DataConnectionCommands::stru, "STRU F", ON_READER, ARGUMENT),
                // service commands
                row("RETR", TransferCommands::retr, "RETR path", ON_READER_UNTIL_IT_WAITS, LOGIN, ARGUMENT, DATA_CONNECTION, KEEPS_REST),
                row("STOR", TransferCommands::stor, "STOR path", ON_READER_UNTIL_IT_WAITS, LOGIN, ARGUMENT, DATA_CONNECTION, KEEPS_REST),
                row("STOU", TransferCommands::stou, "STOU [name]", ON_WORKER, LOGIN, DATA_CONNECTION),
                row("APPE", TransferCommands::appe, "APPE path", ON_WORKER, LOGIN, ARGUMENT, DATA_CONNECTION),
                row("ALLO", TransferCommands::allo, "ALLO bytes", ON_READER, LOGIN),
                row("REST", TransferCommands::rest, "REST offset", ON_READER, LOGIN, ARGUMENT, KEEPS_REST),
                row("ABOR", TransferCommands::abor, "ABOR", ON_WORKER, STOPS_TRANSFER),
                row("LIST", ListingCommands::list, "LIST [-la] [path]", ON_WORKER, LOGIN, DATA_CONNECTION),
                row("NLST", ListingCommands::nlst, "NLST [path]", ON_WORKER, LOGIN, DATA_CONNECTION),
                row("MLSD", ListingCommands::mlsd, "MLSD [path]", ON_WORKER, LOGIN, DATA_CONNECTION),
                row("MLST", ListingCommands::mlst, "MLST [path]", ON_READER, LOGIN),
                row("RNFR", FileCommands::rnfr, "RNFR path", ON_READER, LOGIN, ARGUMENT, KEEPS_RNFR),
                row("RNTO", FileCommands::rnto, "RNTO path", ON_READER, LOGIN, ARGUMENT, KEEPS_RNFR),
                row("DELE", FileCommands::dele, "DELE path", ON_READER, LOGIN, ARGUMENT),
                row("RMD", FileCommands::rmd, "RMD path", ON_READER, LOGIN, ARGUMENT),
                row("XRMD", FileCommands::rmd, "XRMD path", ON_READER, LOGIN, ARGUMENT),
                row("MKD", FileCommands::mkd, "MKD path", ON_READER, LOGIN, ARGUMENT),
                row("XMKD", FileCommands::mkd, "XMKD path", ON_READER, LOGIN, ARGUMENT),
                row("SIZE", FileCommands::size, "SIZE path", ON_READER, LOGIN, ARGUMENT),
                row("MDTM", FileCommands::mdtm, "MDTM path", ON_READER, LOGIN, ARGUMENT),
                row("MFMT", FileCommands::mfmt, "MFMT YYYYMMDDHHMMSS path", ON_WORKER, LOGIN, ARGUMENT),
                row("HASH", FileCommands::hash, "HASH path", ON_WORKER, LOGIN, ARGUMENT),
                row("SITE", FileCommands::site, "SITE HELP | SITE CHMOD mode path", ON_WORKER, LOGIN, ARGUMENT),
                // informational
                row("SYST", InfoCommands::syst, "SYST", ON_READER),
                row("FEAT", InfoCommands::feat, "FEAT", ON_READER),
                row("OPTS", InfoCommands::opts, "OPTS UTF8 ON | OPTS HASH alg | OPTS MLST facts", ON_READER, ARGUMENT),
                row("HELP", InfoCommands::help, "HELP [command]", ON_READER),
                row("NOOP", InfoCommands::noop, "NOOP", ON_READER),
                row("STAT", CommandTable::stat, "STAT [path]", ON_WORKER, REPORTS_ON_TRANSFER),
                // security (RFC 2228, RFC 4217)
                row("AUTH", SecurityCommands::auth, "AUTH TLS", ON_WORKER_HOLDING_READER, ARGUMENT),
                row("PBSZ", SecurityCommands::pbsz, "PBSZ 0", ON_WORKER, ARGUMENT),
                row("PROT", SecurityCommands::prot, "PROT C|P", ON_WORKER, ARGUMENT),
                row("CCC", SecurityCommands::ccc, "CCC (refused)", ON_WORKER),
                row("SMNT", CommandTable::notImplemented, "SMNT (not offered)", ON_WORKER, LOGIN));
        Map<String, CommandSpec> table = new HashMap<>();
        for (CommandSpec spec : rows) {
            if (table.put(spec.verb(), spec) != null) {
                throw new IllegalStateException("two rows for " + spec.verb());
            }
        }
        return Map.copyOf(table);
    }
}
