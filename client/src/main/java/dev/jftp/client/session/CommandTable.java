package dev.jftp.client.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table from command word to handler: the client's whole command set in one place, with the
 * usage line help shows and what kind of path each argument is (for tab completion).
 */
public final class CommandTable {
    /** What an argument names, for completion. The last kind repeats for further arguments. */
    public enum Arg { REMOTE, LOCAL, COMMAND, OTHER }

    /**
     * One command.
     *
     * @param name    the word typed
     * @param handler what it does
     * @param usage   synopsis, e.g. "get [-afPpRr] remote [local]"
     * @param summary one line for help
     * @param args    kinds of the arguments after the options
     */
    public record Command(String name, CommandHandler handler, String usage, String summary, List<Arg> args) {
        /** The kind of the argument at {@code index} (0 = first after the options). */
        public Arg argument(int index) {
            if (args.isEmpty()) {
                return Arg.OTHER;
            }
            return args.get(Math.min(index, args.size() - 1));
        }
    }

    private final Map<String, Command> commands = new LinkedHashMap<>();

    private CommandTable() {
    }

    private CommandTable add(String name, CommandHandler handler, String usage, String summary, Arg... args) {
        commands.put(name, new Command(name, handler, usage, summary, List.of(args)));
        return this;
    }

    public Command find(String word) {
        Command command = commands.get(word);
        return command != null ? command : commands.get(word.toLowerCase(Locale.ROOT));
    }

    public Collection<Command> all() {
        return commands.values();
    }

    private static final Arg R = Arg.REMOTE;
    private static final Arg L = Arg.LOCAL;
    private static final Arg O = Arg.OTHER;

    public static CommandTable standard() {
        return new CommandTable()
                // navigation
                .add("cd", NavigationCommands::cd, "cd [path]", "Change remote directory to 'path' (home when omitted)", R)
                .add("lcd", NavigationCommands::lcd, "lcd [path]", "Change local directory to 'path' (home when omitted)", L)
                .add("pwd", NavigationCommands::pwd, "pwd", "Display remote working directory")
                .add("lpwd", NavigationCommands::lpwd, "lpwd", "Print local working directory")
                // listings
                .add("ls", ListingCommands::ls, "ls [-1afhlnrSt] [path]", "Display remote directory listing", R)
                .add("dir", ListingCommands::dir, "dir [path]", "Long remote listing (ls -l)", R)
                .add("lls", ListingCommands::lls, "lls [ls-options [path]]", "Display local directory listing", L)
                // transfers
                .add("get", TransferCommands::get, "get [-afPpRr] remote [local]", "Download file(s)", R, L)
                .add("reget", TransferCommands::reget, "reget [-fPpRr] remote [local]", "Resume download of file(s)", R, L)
                .add("mget", TransferCommands::mget, "mget [-afPpRr] remote...", "Download many files into the local directory", R)
                .add("put", TransferCommands::put, "put [-afPpRr] local [remote]", "Upload file(s)", L, R)
                .add("reput", TransferCommands::reput, "reput [-fPpRr] local [remote]", "Resume upload of file(s)", L, R)
                .add("mput", TransferCommands::mput, "mput [-afPpRr] local...", "Upload many files into the remote directory", L)
                // remote files
                .add("mkdir", FileCommands::mkdir, "mkdir path", "Create remote directory", R)
                .add("rmdir", FileCommands::rmdir, "rmdir path", "Remove remote directory", R)
                .add("rm", FileCommands::rm, "rm path...", "Delete remote file(s)", R)
                .add("delete", FileCommands::rm, "delete path", "Delete remote file (as rm)", R)
                .add("mdelete", FileCommands::rm, "mdelete path...", "Delete remote files (as rm)", R)
                .add("rename", FileCommands::rename, "rename oldpath newpath", "Rename remote file", R, R)
                .add("chmod", FileCommands::chmod, "chmod mode path...", "Change permissions of file(s) (SITE CHMOD)", O, R)
                .add("ln", FileCommands::ln, "ln [-s] oldpath newpath", "Link remote file (-s for a symlink)", R, R)
                .add("symlink", FileCommands::symlink, "symlink oldpath newpath", "Symlink remote file", R, R)
                .add("df", FileCommands::df, "df [-hi] [path]", "Display statistics for the remote file system", R)
                .add("size", FileCommands::size, "size path...", "Show the size of remote file(s) (SIZE)", R)
                .add("hash", FileCommands::hash, "hash [-a algorithm] path...", "Checksum of remote file(s) computed by the server (HASH)", R)
                // local files
                .add("lmkdir", NavigationCommands::lmkdir, "lmkdir path", "Create local directory", L)
                .add("lumask", SessionCommands::lumask, "lumask umask", "Set local umask to 'umask'", O)
                // the connection and the session
                .add("open", SessionCommands::open, "open [user@]host[:dir] [port]", "Connect (again) to a server", O)
                .add("close", SessionCommands::close, "close", "Close the connection, stay in jftp")
                .add("user", SessionCommands::user, "user name [password]", "Log in again as another user", O)
                .add("binary", SessionCommands::binary, "binary", "Binary transfers (TYPE I, the default)")
                .add("ascii", SessionCommands::ascii, "ascii", "Text transfers with line end conversion (TYPE A)")
                .add("passive", SessionCommands::passive, "passive [on|off]", "Toggle passive (EPSV/PASV) and active (EPRT/PORT) data connections", O)
                .add("progress", SessionCommands::progress, "progress", "Toggle display of progress meter")
                .add("version", SessionCommands::version, "version", "Show jftp and server versions")
                .add("help", SessionCommands::help, "help [command]", "Display this help text", O)
                .add("?", SessionCommands::help, "? [command]", "Synonym for help", O)
                .add("!", SessionCommands::shell, "!command", "Execute 'command' in local shell; ! alone starts a shell", Arg.COMMAND, L)
                .add("bye", SessionCommands::bye, "bye", "Quit jftp")
                .add("exit", SessionCommands::bye, "exit", "Quit jftp")
                .add("quit", SessionCommands::bye, "quit", "Quit jftp");
    }
}
