package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import dev.jftp.client.Problems;
import dev.jftp.client.remote.RemoteRefusalException;
import dev.jftp.client.transfer.LocalModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where we are, remotely and locally: cd, lcd, pwd, lpwd, lmkdir. */
final class NavigationCommands {
    private NavigationCommands() {
    }

    static void cd(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("cd", args, "");
        if (f.operands().size() > 1) {
            throw new ClientException("Usage: cd [path]");
        }
        String path = f.operands().isEmpty() ? s.remoteHome() : s.oneRemote(f.operands().get(0));
        try {
            s.remote().cwd(path);
        } catch (RemoteRefusalException e) {
            throw new ClientException("Can't change directory: \"" + path + "\": " + Problems.describe(e, path));
        }
    }

    static void lcd(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags f = Flags.parse("lcd", args, "");
        if (f.operands().size() > 1) {
            throw new ClientException("Usage: lcd [path]");
        }
        Path dir = f.operands().isEmpty() ? s.passwords().home() : s.oneLocal(f.operands().get(0));
        if (!Files.isDirectory(dir)) {
            throw new ClientException("Couldn't change local directory to \"" + dir + "\": "
                    + (Files.exists(dir) ? "Not a directory" : "No such file or directory"));
        }
        s.setLocalDir(dir);
    }

    static void pwd(ClientSession s, List<String> args) throws IOException, ClientException {
        Flags.parse("pwd", args, "");
        s.io().out().println("Remote working directory: " + s.remote().pwd());
    }

    static void lpwd(ClientSession s, List<String> args) throws ClientException {
        Flags.parse("lpwd", args, "");
        s.io().out().println("Local working directory: " + s.localDir());
    }

    static void lmkdir(ClientSession s, List<String> args) throws ClientException {
        Flags f = Flags.parse("lmkdir", args, "");
        if (f.operands().size() != 1) {
            throw new ClientException("Usage: lmkdir path");
        }
        Path dir = s.localPath(f.operands().get(0));
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new ClientException("Couldn't create local directory \"" + dir + "\": " + Problems.describe(e));
        }
        LocalModes.apply(dir, -1, 0777, s.settings().umask, s.io().err());
    }
}
