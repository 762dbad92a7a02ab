package dev.jftp.server.ftp.session;

import java.util.HashMap;
import java.util.Map;

/** The table from command verb to handler: the whole command set of the server in one place. */
public final class CommandTable {
    private final Map<String, CommandSpec> specs = new HashMap<>();

    private CommandTable() {
    }

    private CommandTable anytime(String verb, CommandHandler handler, boolean argument, String help) {
        specs.put(verb, new CommandSpec(verb, handler, false, argument, help));
        return this;
    }

    private CommandTable loggedIn(String verb, CommandHandler handler, boolean argument, String help) {
        specs.put(verb, new CommandSpec(verb, handler, true, argument, help));
        return this;
    }

    private static final boolean ARG = true;
    private static final boolean NO_ARG = false;

    private static void notImplemented(FtpSession s, String argument) throws FtpReplyException {
        throw new FtpReplyException(dev.jftp.protocol.ReplyCode.NOT_IMPLEMENTED, "Command not implemented");
    }

    public static Map<String, CommandSpec> standard() {
        return Map.copyOf(new CommandTable()
                // access control (RFC 959 section 4.1.1)
                .anytime("USER", SecurityCommands::user, ARG, "USER name")
                .anytime("PASS", AccessCommands::pass, NO_ARG, "PASS password")
                .anytime("ACCT", AccessCommands::acct, ARG, "ACCT account")
                .anytime("REIN", SecurityCommands::rein, NO_ARG, "REIN")
                .anytime("QUIT", AccessCommands::quit, NO_ARG, "QUIT")
                .loggedIn("CWD", NavigationCommands::cwd, ARG, "CWD path")
                .loggedIn("XCWD", NavigationCommands::cwd, ARG, "XCWD path")
                .loggedIn("CDUP", NavigationCommands::cdup, NO_ARG, "CDUP")
                .loggedIn("XCUP", NavigationCommands::cdup, NO_ARG, "XCUP")
                .loggedIn("PWD", NavigationCommands::pwd, NO_ARG, "PWD")
                .loggedIn("XPWD", NavigationCommands::pwd, NO_ARG, "XPWD")
                // transfer parameters
                .loggedIn("PORT", DataConnectionCommands::port, ARG, "PORT h1,h2,h3,h4,p1,p2")
                .loggedIn("EPRT", DataConnectionCommands::eprt, ARG, "EPRT |proto|address|port|")
                .loggedIn("PASV", DataConnectionCommands::pasv, NO_ARG, "PASV")
                .loggedIn("EPSV", DataConnectionCommands::epsv, NO_ARG, "EPSV [1|2|ALL]")
                .anytime("TYPE", DataConnectionCommands::type, ARG, "TYPE A|I|L 8")
                .anytime("MODE", DataConnectionCommands::mode, ARG, "MODE S")
                .anytime("STRU", DataConnectionCommands::stru, ARG, "STRU F")
                // service commands
                .loggedIn("RETR", TransferCommands::retr, ARG, "RETR path")
                .loggedIn("STOR", TransferCommands::stor, ARG, "STOR path")
                .loggedIn("STOU", TransferCommands::stou, NO_ARG, "STOU [name]")
                .loggedIn("APPE", TransferCommands::appe, ARG, "APPE path")
                .loggedIn("ALLO", TransferCommands::allo, NO_ARG, "ALLO bytes")
                .loggedIn("REST", TransferCommands::rest, ARG, "REST offset")
                .anytime("ABOR", TransferCommands::abor, NO_ARG, "ABOR")
                .loggedIn("LIST", ListingCommands::list, NO_ARG, "LIST [-la] [path]")
                .loggedIn("NLST", ListingCommands::nlst, NO_ARG, "NLST [path]")
                .loggedIn("MLSD", ListingCommands::mlsd, NO_ARG, "MLSD [path]")
                .loggedIn("MLST", FileCommands::mlst, NO_ARG, "MLST [path]")
                .loggedIn("RNFR", FileCommands::rnfr, ARG, "RNFR path")
                .loggedIn("RNTO", FileCommands::rnto, ARG, "RNTO path")
                .loggedIn("DELE", FileCommands::dele, ARG, "DELE path")
                .loggedIn("RMD", FileCommands::rmd, ARG, "RMD path")
                .loggedIn("XRMD", FileCommands::rmd, ARG, "XRMD path")
                .loggedIn("MKD", FileCommands::mkd, ARG, "MKD path")
                .loggedIn("XMKD", FileCommands::mkd, ARG, "XMKD path")
                .loggedIn("SIZE", FileCommands::size, ARG, "SIZE path")
                .loggedIn("MDTM", FileCommands::mdtm, ARG, "MDTM path")
                .loggedIn("MFMT", FileCommands::mfmt, ARG, "MFMT YYYYMMDDHHMMSS path")
                .loggedIn("HASH", FileCommands::hash, ARG, "HASH path")
                .loggedIn("SITE", FileCommands::site, ARG, "SITE HELP | SITE CHMOD mode path")
                // informational
                .anytime("SYST", InfoCommands::syst, NO_ARG, "SYST")
                .anytime("FEAT", InfoCommands::feat, NO_ARG, "FEAT")
                .anytime("OPTS", InfoCommands::opts, ARG, "OPTS UTF8 ON | OPTS HASH alg | OPTS MLST facts")
                .anytime("HELP", InfoCommands::help, NO_ARG, "HELP [command]")
                .anytime("NOOP", InfoCommands::noop, NO_ARG, "NOOP")
                .anytime("STAT", InfoCommands::stat, NO_ARG, "STAT [path]")
                // security (RFC 2228, RFC 4217)
                .anytime("AUTH", SecurityCommands::auth, ARG, "AUTH TLS")
                .anytime("PBSZ", SecurityCommands::pbsz, ARG, "PBSZ 0")
                .anytime("PROT", SecurityCommands::prot, ARG, "PROT C|P")
                .anytime("CCC", SecurityCommands::ccc, NO_ARG, "CCC (refused)")
                // known, not offered: 502 (RFC 959 section 4.2)
                .loggedIn("SMNT", CommandTable::notImplemented, NO_ARG, "SMNT (not offered)")
                .specs);
    }
}
