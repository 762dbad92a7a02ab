package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import dev.jftp.client.Problems;
import dev.jftp.client.ftp.FtpClient;
import dev.jftp.client.ftp.LoginFailedException;
import dev.jftp.client.login.Destination;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The session itself: open, close, user, binary, ascii, passive, progress, lumask, version, help, !, bye. */
final class SessionCommands {
    static final int DEFAULT_PORT = 21;

    private SessionCommands() {
    }

    /**
     * open [user@]host[:dir] [port], or open alone to reconnect to the last server. An ftp://,
     * ftps:// or sftp:// URL chooses the protocol; [user@]host keeps the session's.
     */
    static void open(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("open", args, "");
        if (s.connectionAlive()) {
            throw new ClientException("Already connected to " + s.host() + "; use \"close\" first.");
        }
        if (f.operands().size() > 2) {
            throw new ClientException("Usage: open [user@]host[:dir] [port]");
        }
        if (f.operands().isEmpty()) {
            if (s.host() == null) {
                throw new ClientException("Usage: open [user@]host[:dir] [port]");
            }
            s.connect(s.host(), s.port(), s.user(), s.password());
            return;
        }
        Destination d = Destination.parse(f.operands().get(0));
        if (d.sftp()) {
            s.settings().sftp = true;
            s.settings().tls = ClientSettings.TlsMode.OFF;
        } else if (f.operands().get(0).contains("://")) {
            s.settings().sftp = false; // ftp:// or ftps://
        }
        if (d.implicitTls()) {
            s.settings().tls = ClientSettings.TlsMode.IMPLICIT;
        } else if (s.settings().tls == ClientSettings.TlsMode.IMPLICIT) {
            s.settings().tls = ClientSettings.TlsMode.EXPLICIT; // TLS asked for once stays: AUTH TLS on a plain port
        }
        int port = d.port() > 0 ? d.port() : s.settings().sftp ? Destination.SSH_PORT
                : d.implicitTls() ? Destination.IMPLICIT_TLS_PORT : DEFAULT_PORT;
        if (f.operands().size() == 2) {
            try {
                port = Integer.parseInt(f.operands().get(1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new ClientException("open: bad port \"" + f.operands().get(1) + "\"");
            }
        }
        s.connect(d.host(), port, d.user(), d.password());
        if (d.path() != null) {
            NavigationCommands.cd(s, List.of(d.path()));
        }
    }

    static void close(ClientSession s, List<String> args) throws ClientException {
        Flags.parse("close", args, "");
        s.remote();
        s.quit();
    }

    /** user name [password]: log in again on this connection (RFC 959 allows USER at any time). */
    static void user(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("user", args, "");
        if (f.operands().isEmpty() || f.operands().size() > 2) {
            throw new ClientException("Usage: user name [password]");
        }
        FtpClient ftp = s.ftp("user"); // SFTP logs in once per connection: "open user@host" there
        String name = f.operands().get(0);
        char[] password = f.operands().size() == 2 ? f.operands().get(1).toCharArray() : s.passwords().find(s.host(), name);
        if (password == null) {
            password = s.io().readPassword(name + "@" + s.host() + "'s password: ");
            if (password == null) {
                throw new ClientException("user: no password for " + name + " (no terminal to ask at)");
            }
        }
        ftp.reinitialize();
        try {
            ftp.login(name, password);
        } catch (LoginFailedException e) {
            throw new ClientException("Login as " + name + " failed: " + e.reply().message() + ". Not logged in now; use \"user\" again.");
        }
        s.loggedInAs(ftp, name, password);
    }

    static void binary(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags.parse("binary", args, "");
        if (s.remote() instanceof FtpClient ftp) { // SFTP transfers are binary anyway
            ftp.setBinary(true);
        }
        s.settings().binary = true;
        s.io().out().println("Transfer type: binary");
    }

    static void ascii(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags.parse("ascii", args, "");
        if (!(s.remote() instanceof FtpClient ftp)) {
            throw new ClientException("ascii: SFTP has no text mode; files move as they are (as with OpenSSH's sftp)");
        }
        ftp.setBinary(false);
        s.settings().binary = false;
        s.io().out().println("Transfer type: ascii (line ends converted; resume is off)");
    }

    static void passive(ClientSession s, List<String> args) throws ClientException {
        Flags f = Flags.parse("passive", args, "");
        boolean on;
        if (f.operands().isEmpty()) {
            on = !s.settings().passive;
        } else {
            String word = f.operands().get(0).toLowerCase(Locale.ROOT);
            if (!word.equals("on") && !word.equals("off")) {
                throw new ClientException("Usage: passive [on|off]");
            }
            on = word.equals("on");
        }
        s.settings().passive = on;
        if (s.isConnected() && s.remote() instanceof FtpClient ftp) {
            ftp.setPassive(on);
        }
        s.io().out().println("Passive mode: " + (on ? "on (EPSV, else PASV)" : "off (active: EPRT, else PORT)"));
    }

    static void progress(ClientSession s, List<String> args) throws ClientException {
        Flags.parse("progress", args, "");
        s.settings().progress = !s.settings().progress;
        s.io().out().println("Progress meter " + (s.settings().progress ? "enabled" : "disabled"));
    }

    static void lumask(ClientSession s, List<String> args) throws ClientException {
        Flags f = Flags.parse("lumask", args, "");
        if (f.operands().size() != 1) {
            throw new ClientException("Usage: lumask umask");
        }
        int mask;
        try {
            mask = Integer.parseInt(f.operands().get(0), 8);
        } catch (NumberFormatException e) {
            mask = -1;
        }
        if (mask < 0 || mask > 0777) {
            throw new ClientException("lumask: \"" + f.operands().get(0) + "\" is not an octal umask such as 022");
        }
        s.settings().umask = mask;
        s.io().out().println(String.format("Local umask: %03o", mask));
    }

    static void version(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags.parse("version", args, "");
        PrintWriter out = s.io().out();
        out.println("jftp " + ClientSession.VERSION + ", FTP (RFC 959, 2389, 2428, 2640, 3659), SFTP (version 3)");
        if (s.isConnected()) {
            s.remote().about().forEach(out::println);
        }
    }

    static void help(ClientSession s, List<String> args) throws ClientException {
        Flags f = Flags.parse("help", args, "");
        PrintWriter out = s.io().out();
        if (!f.operands().isEmpty()) {
            for (String word : f.operands()) {
                CommandTable.Command c = s.commands().find(word);
                if (c == null) {
                    throw new ClientException("help: no command \"" + word + "\"");
                }
                out.println(c.usage());
                out.println("    " + c.summary());
            }
            return;
        }
        out.println("Available commands:");
        for (CommandTable.Command c : s.commands().all()) {
            out.println(String.format("%-36s %s", c.usage(), c.summary()));
        }
        out.println("A command prefixed with - in a batch file may fail without stopping the batch.");
    }

    /** !command runs it with sh -c in the local directory; ! alone starts $SHELL. */
    static void shell(ClientSession s, List<String> args) throws IOException, ClientException {
        List<String> command;
        if (args.isEmpty()) {
            String shell = System.getenv().getOrDefault("SHELL", "/bin/sh");
            command = List.of(shell);
        } else {
            command = List.of("/bin/sh", "-c", args.get(0));
        }
        int status;
        try {
            status = s.io().runLocal(command, s.localDir());
        } catch (IOException e) {
            throw new ClientException("Couldn't execute \"" + command.get(0) + "\": " + Problems.describe(e));
        }
        if (status != 0) {
            throw new ClientException("Shell exited with status " + status);
        }
    }

    static void bye(ClientSession s, List<String> args) {
        s.quit();
        s.requestExit();
    }
}
