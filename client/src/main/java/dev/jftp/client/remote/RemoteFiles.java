package dev.jftp.client.remote;

import dev.jftp.protocol.listing.RemoteEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The remote side of a session as the client's commands use it, whatever protocol carries it:
 * FTP/FTPS ({@link dev.jftp.client.ftp.FtpClient}) or SFTP. Paths are the server's, relative to
 * the working directory unless they start with "/". A refusal comes back as
 * {@link RemoteRefusalException}, a broken or closed connection as {@link ConnectionLostException},
 * a transfer that started and broke as {@link TransferFailedException}.
 */
public interface RemoteFiles {
    /** What the session speaks, for messages: "FTP", "FTPS" or "SFTP". */
    String protocol();

    /** The server as the user named it. */
    String host();

    /** What "version" shows of the server: its greeting or software, what it offers. */
    List<String> about() throws IOException;

    boolean isConnected();

    /** Asks the server something harmless: a connection that is gone shows here as {@link ConnectionLostException}. */
    void keepAlive() throws IOException;

    // ---- navigation ----

    /** Asks the server for the working directory. */
    String pwd() throws IOException;

    /** The working directory as last learned, without asking the server; null when not known. */
    String knownCwd();

    /** Changes the working directory; returns the new one as the server names it. */
    String cwd(String path) throws IOException;

    // ---- files ----

    void mkdir(String path) throws IOException;

    void rmdir(String path) throws IOException;

    void delete(String path) throws IOException;

    void rename(String from, String to) throws IOException;

    void chmod(int mode, String path) throws IOException;

    /** Makes {@code link} a link to {@code target}: symbolic, or a hard link. */
    void link(String target, String link, boolean symbolic) throws IOException;

    /** Bytes free for this user where {@code path} is ("" for the working directory). */
    long availableSpace(String path) throws IOException;

    long size(String path) throws IOException;

    Instant modificationTime(String path) throws IOException;

    /** Whether {@link #setModificationTime} can work here (FTP: the server offers MFMT). */
    boolean canSetModificationTime();

    void setModificationTime(String path, Instant time) throws IOException;

    /** What the server knows about one path. */
    RemoteEntry stat(String path) throws IOException;

    /** The entries of a directory ("" for the working directory), without "." and "..". */
    List<RemoteEntry> list(String directory) throws IOException;

    // ---- transfers ----

    /** False for FTP's TYPE A, where line ends are converted and byte counts differ. */
    boolean isBinary();

    /** Downloads {@code path} from {@code offset}: {@code body} reads the bytes from the channel it is given. */
    long retrieve(String path, long offset, Transfer transfer, DataBody body) throws IOException;

    /** Uploads to {@code path} from {@code offset} (0: the file is made anew): {@code body} writes the bytes. */
    long store(String path, long offset, Transfer transfer, DataBody body) throws IOException;

    /** Asks the server to write a file to disk (put -f); false when the protocol or server cannot. */
    boolean flushToDisk(String path) throws IOException;

    /** The transfer now running, for Ctrl-C; null when none. */
    Transfer currentTransfer();

    /** Says goodbye and closes; a server that is already gone is fine. */
    void quit();

    /** Closes without a word to the server (it is gone or going). */
    void close();
}
