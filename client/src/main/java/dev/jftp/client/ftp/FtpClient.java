package dev.jftp.client.ftp;

import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.client.remote.DataBody;
import dev.jftp.client.remote.RemoteFiles;
import dev.jftp.client.remote.StallWatchdog;
import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferFailedException;
import dev.jftp.client.remote.TransferListener;
import dev.jftp.protocol.FtpTime;
import dev.jftp.protocol.ReplyCode;
import dev.jftp.protocol.listing.ListingParser;
import dev.jftp.protocol.listing.RemoteEntry;
import dev.jftp.protocol.tls.ClientTlsDataChannel;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One logged-in (or logging-in) FTP session, as the client's commands see it: each method is one
 * FTP exchange or a short sequence of them. Refusals come back as {@link FtpException}, a broken
 * or closed control connection as {@link ConnectionLostException}.
 */
public final class FtpClient implements RemoteFiles, Closeable {
    /** Upper bound on a listing kept in memory. */
    private static final int MAX_LISTING_BYTES = 256 * 1024 * 1024;
    private static final int MAX_SERVICE_DELAYS = 5;

    /**
     * How to connect.
     *
     * @param connectTimeout for the control and data connections
     * @param replyTimeout   how long to wait for a reply on the control connection
     * @param dataTimeout    a data connection on which nothing moves this long is cut
     * @param passive        EPSV/PASV (true) or EPRT/PORT (false)
     * @param dialogue       receives the protocol dialogue (-v), or null
     * @param tls            FTPS, or null for plain FTP
     * @param connecting     given the control connection's socket before it connects, so that
     *                       another thread (Ctrl-C) can close it and end the attempt; or null
     */
    public record Settings(Duration connectTimeout, Duration replyTimeout, Duration dataTimeout, boolean passive,
                           Consumer<String> dialogue, TlsOptions tls, Consumer<Closeable> connecting) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(120), true, null, null, null);
        }

        public Settings withPassive(boolean on) {
            return new Settings(connectTimeout, replyTimeout, dataTimeout, on, dialogue, tls, connecting);
        }

        public Settings withDialogue(Consumer<String> sink) {
            return new Settings(connectTimeout, replyTimeout, dataTimeout, passive, sink, tls, connecting);
        }

        public Settings withTimeouts(Duration connect, Duration reply, Duration data) {
            return new Settings(connect, reply, data, passive, dialogue, tls, connecting);
        }

        public Settings withTls(TlsOptions options) {
            return new Settings(connectTimeout, replyTimeout, dataTimeout, passive, dialogue, options, connecting);
        }
    }

    private final ControlConnection control;
    private final DataConnector data;
    private final Settings settings;
    private final Reply greeting;
    private Features features = Features.NONE;
    private String cwd;
    private boolean binary;
    private boolean mlsdRefused;
    private String user;
    private volatile Transfer current;

    private FtpClient(ControlConnection control, Settings settings, Reply greeting) {
        this.control = control;
        this.settings = settings;
        this.greeting = greeting;
        Consumer<String> notes = settings.dialogue() == null ? note -> { } : note -> settings.dialogue().accept("note: " + note);
        this.data = new DataConnector(settings.passive(), settings.connectTimeout(), notes);
    }

    /** Connects and reads the greeting (RFC 959 section 5.4: 120 means wait, then 220). */
    public static FtpClient connect(String host, int port, Settings settings) throws IOException {
        ControlConnection control = ControlConnection.open(host, port, settings.connectTimeout(), settings.replyTimeout(), settings.dialogue(),
                settings.connecting());
        try {
            TlsOptions tls = settings.tls();
            if (tls != null && tls.implicit()) {
                control.startTls(tls); // implicit FTPS: TLS before the greeting
            }
            Reply reply = control.readReply();
            for (int i = 0; i < MAX_SERVICE_DELAYS && reply.is(ReplyCode.SERVICE_READY_SOON); i++) {
                reply = control.readReply();
            }
            if (reply.is(ReplyCode.SERVICE_NOT_AVAILABLE)) {
                throw new ConnectionLostException(host + " refused the connection: " + reply.message());
            }
            if (!reply.is(ReplyCode.SERVICE_READY)) {
                throw new FtpException(reply);
            }
            if (tls != null && !tls.implicit()) {
                // RFC 4217 section 4: AUTH TLS, 234, then the handshake. Without TLS nothing more is
                // sent: the caller asked for FTPS, and USER/PASS in clear is what it wants to avoid.
                Reply auth = control.command("AUTH TLS");
                if (!auth.is(ReplyCode.SECURITY_EXCHANGE_OK)) {
                    throw new TlsRefusedException(host + " refused AUTH TLS (" + auth
                            + "); not logging in without TLS, the password would travel in clear");
                }
                control.startTls(tls);
            }
            return new FtpClient(control, settings, reply);
        } catch (IOException | RuntimeException e) {
            control.close();
            throw e;
        }
    }

    public Reply greeting() {
        return greeting;
    }

    public Features features() {
        return features;
    }

    @Override
    public String protocol() {
        return settings.tls() != null ? "FTPS" : "FTP";
    }

    @Override
    public String host() {
        return control.peerName();
    }

    public String user() {
        return user;
    }

    @Override
    public boolean isConnected() {
        return control.isOpen();
    }

    @Override
    public boolean isBinary() {
        return binary;
    }

    public boolean isPassive() {
        return data.isPassive();
    }

    public void setPassive(boolean on) {
        data.setPassive(on);
    }

    @Override
    public Transfer currentTransfer() {
        return current;
    }

    // ---- access ----

    /** USER and PASS (RFC 959 section 4.1.1). */
    public void login(String name, char[] password) throws IOException {
        Reply reply = command("USER " + name);
        if (reply.is(ReplyCode.NEED_PASSWORD)) {
            reply = command("PASS " + new String(password));
        }
        if (reply.is(ReplyCode.NEED_ACCOUNT)) {
            throw new LoginFailedException(new Reply(ReplyCode.NEED_ACCOUNT.code(), List.of("332 the server asks for an account (ACCT), which jftp does not send")));
        }
        if (!reply.is(ReplyCode.LOGGED_IN) && !reply.is(ReplyCode.SUPERFLUOUS)) {
            throw new LoginFailedException(reply);
        }
        user = name;
        cwd = null;
        if (settings.tls() != null) {
            // RFC 4217 sections 8 and 9: no buffering in TLS, and protected (private) data connections.
            ok("PBSZ 0");
            ok("PROT P");
        }
    }

    /**
     * REIN (RFC 959 section 4.1.1): back to the state after the greeting, so that USER may follow
     * on servers that refuse USER while logged in. A server without REIN gets USER directly.
     */
    public void reinitialize() throws IOException {
        Reply reply = command("REIN");
        for (int i = 0; i < MAX_SERVICE_DELAYS && reply.is(ReplyCode.SERVICE_READY_SOON); i++) {
            reply = control.readReply();
        }
        if (!reply.isCompletion() && !reply.isNotSupported()) {
            throw new FtpException(reply);
        }
        user = null;
        cwd = null;
        features = Features.NONE;
    }

    /**
     * What follows a login: learn the features (FEAT), ask for UTF-8 names where offered
     * (RFC 2640 section 3.3), binary type, and the home directory.
     */
    public String afterLogin() throws IOException {
        Reply feat = command("FEAT");
        features = Features.parse(feat);
        if (features.has("UTF8")) {
            command("OPTS UTF8 ON"); // servers that are always UTF-8 may refuse; names are sent as UTF-8 either way
        }
        setBinary(true);
        return pwd();
    }

    @Override
    public List<String> about() throws IOException {
        return List.of("Server: " + greeting.message() + " (" + system() + ")", "Server features: " + features);
    }

    public String system() throws IOException {
        Reply reply = command("SYST");
        return reply.isCompletion() ? reply.message() : "unknown";
    }

    public void setBinary(boolean on) throws IOException {
        ok(on ? "TYPE I" : "TYPE A");
        binary = on;
    }

    public void noop() throws IOException {
        ok("NOOP");
    }

    /** NOOP; a refusal is an answer too (the connection works). */
    @Override
    public void keepAlive() throws IOException {
        try {
            noop();
        } catch (FtpException e) {
            // it answered
        }
    }

    // ---- navigation ----

    /** PWD; the 257 reply carries the path in quotes, inner quotes doubled (RFC 959 Appendix II). */
    @Override
    public String pwd() throws IOException {
        Reply reply = ok("PWD");
        cwd = quotedPath(reply.message());
        return cwd;
    }

    static String quotedPath(String text) {
        int start = text.indexOf('"');
        if (start < 0) {
            return text.strip();
        }
        StringBuilder path = new StringBuilder();
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    path.append('"');
                    i++;
                } else {
                    break;
                }
            } else {
                path.append(c);
            }
        }
        return path.toString();
    }

    @Override
    public String knownCwd() {
        return cwd;
    }

    /** The working directory as last learned (PWD after each change). */
    public String cachedCwd() throws IOException {
        return cwd != null ? cwd : pwd();
    }

    @Override
    public String cwd(String path) throws IOException {
        ok("CWD " + path);
        return pwd();
    }

    // ---- files ----

    @Override
    public void mkdir(String path) throws IOException {
        ok("MKD " + path);
    }

    @Override
    public void rmdir(String path) throws IOException {
        ok("RMD " + path);
    }

    @Override
    public void delete(String path) throws IOException {
        ok("DELE " + path);
    }

    /** RNFR then RNTO (RFC 959 section 4.1.3). */
    @Override
    public void rename(String from, String to) throws IOException {
        Reply reply = command("RNFR " + from);
        if (!reply.is(ReplyCode.PENDING_FURTHER_INFO)) {
            throw new FtpException(reply);
        }
        ok("RNTO " + to);
    }

    /** SIZE (RFC 3659 section 4). */
    @Override
    public long size(String path) throws IOException {
        Reply reply = command("SIZE " + path);
        if (!reply.is(ReplyCode.FILE_STATUS)) {
            throw new FtpException(reply);
        }
        try {
            return Long.parseLong(reply.message().strip());
        } catch (NumberFormatException e) {
            throw new FtpException(reply);
        }
    }

    /** MDTM (RFC 3659 section 3). */
    @Override
    public Instant modificationTime(String path) throws IOException {
        Reply reply = command("MDTM " + path);
        if (!reply.is(ReplyCode.FILE_STATUS)) {
            throw new FtpException(reply);
        }
        Instant time = ListingParser.parseTime(reply.message());
        if (time == null) {
            throw new FtpException(reply);
        }
        return time;
    }

    @Override
    public boolean canSetModificationTime() {
        return features.has("MFMT");
    }

    /** MFMT (draft-somers-ftp-mfxx): sets a file's modification time. */
    @Override
    public void setModificationTime(String path, Instant time) throws IOException {
        ok("MFMT " + FtpTime.format(time) + " " + path);
    }

    /** SITE CHMOD, as most Unix servers offer it. */
    @Override
    public void chmod(int mode, String path) throws IOException {
        ok("SITE CHMOD " + Integer.toOctalString(mode) + " " + path);
    }

    /** FTP has no such command: the server decides when its files reach the disk. */
    @Override
    public boolean flushToDisk(String path) {
        return false;
    }

    /** SITE SYMLINK or SITE LINK, which some servers offer (FTP itself has no link command). */
    @Override
    public void link(String target, String link, boolean symbolic) throws IOException {
        ok("SITE " + (symbolic ? "SYMLINK " : "LINK ") + target + " " + link);
    }

    /** AVBL (draft-peterson-streamlined-ftp-command-extensions) where the server announces it. */
    @Override
    public long availableSpace(String path) throws IOException {
        if (!features.has("AVBL")) {
            throw new FtpException(new Reply(ReplyCode.NOT_IMPLEMENTED.code(), List.of("502 AVBL is not among the server's features")));
        }
        Reply reply = command("AVBL" + (path.isEmpty() ? "" : " " + path));
        if (!reply.is(ReplyCode.FILE_STATUS)) {
            throw new FtpException(reply);
        }
        try {
            return Long.parseLong(reply.message().strip());
        } catch (NumberFormatException e) {
            throw new IOException("the server answered \"" + reply.message() + "\"");
        }
    }

    /** Any command, reply returned as it is (for SITE, HASH, AVBL...). */
    public Reply raw(String line) throws IOException {
        return command(line);
    }

    /**
     * What the server knows about one path: MLST (RFC 3659 section 7) where offered, else SIZE
     * (a plain file) and a CWD probe (a directory).
     *
     * @throws FtpException with the server's refusal when the path is not there or not allowed
     */
    @Override
    public RemoteEntry stat(String path) throws IOException {
        if (features.has("MLST")) {
            Reply reply = command("MLST " + path);
            if (reply.is(ReplyCode.FILE_ACTION_OK)) {
                for (String line : reply.lines()) {
                    if (line.startsWith(" ")) {
                        RemoteEntry entry = ListingParser.parseFacts(line.substring(1), true);
                        if (entry != null) {
                            return entry.withName(path);
                        }
                    }
                }
            }
            if (!reply.isNotSupported()) {
                throw new FtpException(reply);
            }
        }
        Reply size = command("SIZE " + path);
        if (size.is(ReplyCode.FILE_STATUS)) {
            long bytes;
            try {
                bytes = Long.parseLong(size.message().strip());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
            return new RemoteEntry(path, RemoteEntry.Kind.FILE, bytes, null, -1, null, null, null);
        }
        String back = cachedCwd();
        Reply cwdReply = command("CWD " + path);
        if (cwdReply.isCompletion()) {
            ok("CWD " + back);
            return new RemoteEntry(path, RemoteEntry.Kind.DIRECTORY, -1, null, -1, null, null, null);
        }
        if ((size.is(ReplyCode.FILE_UNAVAILABLE) || size.isNotSupported()) && cwdReply.is(ReplyCode.FILE_UNAVAILABLE)) {
            // Neither a file nor a directory we can enter: what such servers mean by "not there".
            throw new FtpException(new Reply(ReplyCode.FILE_UNAVAILABLE.code(), List.of("550 No such file or directory (SIZE: " + size.message()
                    + "; CWD: " + cwdReply.message() + ")")));
        }
        throw new FtpException(size.isNotSupported() ? cwdReply : size);
    }

    // ---- listings ----

    /** The entries of a directory ("" for the working directory): MLSD, else LIST, else NLST. */
    @Override
    public List<RemoteEntry> list(String directory) throws IOException {
        String argument = directory.isEmpty() ? "" : " " + directory;
        if (features.has("MLST") && !mlsdRefused) {
            try {
                List<RemoteEntry> entries = new ArrayList<>();
                for (String line : listingLines("MLSD" + argument)) {
                    RemoteEntry entry = ListingParser.parseFacts(line, false);
                    if (entry != null && isPlainName(entry.name())) {
                        entries.add(entry);
                    }
                }
                return entries;
            } catch (FtpException e) {
                if (!e.reply().isNotSupported()) {
                    throw e;
                }
                mlsdRefused = true;
            }
        }
        List<String> lines = listingLines("LIST -a" + argument);
        List<RemoteEntry> entries = new ArrayList<>();
        boolean foreign = false;
        Instant now = Instant.now();
        for (String line : lines) {
            RemoteEntry entry = ListingParser.parseUnixLine(line, now);
            if (entry != null) {
                if (isPlainName(entry.name())) {
                    entries.add(entry);
                }
            } else if (!line.isBlank() && !line.startsWith("total ")) {
                foreign = true;
            }
        }
        if (!foreign) {
            return entries;
        }
        List<RemoteEntry> names = new ArrayList<>();
        for (String name : names(directory)) {
            String base = name.substring(name.lastIndexOf('/') + 1);
            if (isPlainName(base)) {
                names.add(RemoteEntry.unknown(base));
            }
        }
        return names;
    }

    /** NLST (RFC 959): names only. */
    public List<String> names(String directory) throws IOException {
        return listingLines("NLST" + (directory.isEmpty() ? "" : " " + directory));
    }

    /** A name a listing may hand us: not ".", "..", empty, or containing a slash. */
    static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }

    private List<String> listingLines(String command) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        Transfer transfer = new Transfer("listing", 0, -1, false, TransferListener.NONE);
        runTransfer(command, 0, transfer, (channel, t) -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                total += buffer.remaining();
                if (total > MAX_LISTING_BYTES) {
                    throw new IOException("listing larger than " + MAX_LISTING_BYTES / (1024 * 1024) + " MiB");
                }
                bytes.write(buffer.array(), 0, buffer.remaining());
                t.add(buffer.remaining());
                buffer.clear();
            }
            return total;
        });
        List<String> lines = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!trimmed.isEmpty()) {
                lines.add(trimmed);
            }
        }
        return lines;
    }

    // ---- transfers ----

    /** RETR from {@code offset} (REST first when it is not 0, RFC 3659 section 5). */
    @Override
    public long retrieve(String path, long offset, Transfer transfer, DataBody body) throws IOException {
        return runTransfer("RETR " + path, offset, transfer, body);
    }

    /**
     * STOR, or a resumed upload from {@code offset}: REST + STOR where the server announces
     * "REST STREAM", APPE otherwise (the caller has checked that the remote file has {@code offset} bytes).
     */
    @Override
    public long store(String path, long offset, Transfer transfer, DataBody body) throws IOException {
        if (offset == 0) {
            return runTransfer("STOR " + path, 0, transfer, body);
        }
        if (features.hasRestStream()) {
            return runTransfer("STOR " + path, offset, transfer, body);
        }
        return runTransfer("APPE " + path, 0, transfer, body);
    }

    private long runTransfer(String command, long restOffset, Transfer transfer, DataBody body) throws IOException {
        if (restOffset > 0) {
            Reply reply = command("REST " + restOffset);
            if (!reply.is(ReplyCode.PENDING_FURTHER_INFO)) {
                throw new FtpException(reply);
            }
        }
        DataConnector.DataLink link = data.prepare(control);
        ByteChannel channel;
        try {
            Reply first = command(command);
            if (!first.isPreliminary()) {
                throw new FtpException(first);
            }
            try {
                channel = protect(link.open(settings.dataTimeout()));
            } catch (IOException e) {
                link.close();
                control.readReply(); // the refusal (425) that follows: read so that the next command gets its own reply
                throw new TransferFailedException("no data connection: " + e.getMessage(), e, false, false, 0);
            }
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
        long moved = 0;
        IOException failure = null;
        current = transfer;
        transfer.attach(channel, this::sendAbort);
        ScheduledFuture<?> watchdog = StallWatchdog.watch(transfer, settings.dataTimeout());
        try {
            moved = body.run(channel, transfer);
            if (channel instanceof ClientTlsDataChannel tls) {
                tls.finish();
            }
        } catch (IOException e) {
            failure = e;
            if (transfer.isUpload() && transfer.cutReason() == null && !transfer.keepsPartial()) {
                // Closing an upload's data connection tells the server "end of file": abort first.
                transfer.sendAbort();
            }
        } finally {
            watchdog.cancel(false);
            current = null;
            closeData(channel);
            link.close();
            transfer.detach(failure == null);
        }
        Reply last;
        try {
            last = control.readReply();
            if (last.is(ReplyCode.SERVICE_NOT_AVAILABLE)) {
                // RFC 959 section 4.2: the service is going away (a server stopping mid-transfer), not just this transfer.
                throw new ConnectionLostException(control.peerName() + " closed the connection: " + last.message());
            }
            if (transfer.abortSent()) {
                control.readReply(); // the reply to ABOR itself follows the transfer's (RFC 959 section 4.1.3)
            }
        } catch (ConnectionLostException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (failure != null || transfer.isCancelled() || transfer.cutReason() != null) {
            String why = transfer.isCancelled() ? "cancelled"
                    : transfer.cutReason() != null ? "data connection cut (" + transfer.cutReason() + ")"
                    : failure instanceof FtpException ? failure.getMessage()
                    : "data connection failed: " + describe(failure);
            throw new TransferFailedException(why + " after " + transfer.bytes() + " bytes; server said: " + last,
                    failure, transfer.keepsPartial() && last.isCompletion(), transfer.isCancelled(), transfer.bytes());
        }
        if (!last.isCompletion()) {
            throw new FtpException(last);
        }
        return moved;
    }

    private static String describe(IOException e) {
        if (e == null) {
            return "unknown";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * TLS on the data connection when the control connection has it (PROT P), resuming the control
     * connection's session. The client is the TLS client in active mode too (RFC 4217 section 7).
     */
    private ByteChannel protect(SocketChannel channel) throws IOException {
        TlsOptions tls = settings.tls();
        if (tls == null) {
            return channel;
        }
        try {
            channel.socket().setSoTimeout((int) settings.dataTimeout().toMillis());
            ClientTlsDataChannel protectedChannel = new ClientTlsDataChannel(channel, tls.context(), control.peerName(), control.remotePort(),
                    parameters -> {
                        parameters.setEndpointIdentificationAlgorithm("HTTPS");
                        tls.restrict(parameters);
                    });
            protectedChannel.handshake();
            return protectedChannel;
        } catch (IOException | RuntimeException e) {
            closeData(channel);
            throw new IOException("TLS on the data connection failed: " + e.getMessage(), e);
        }
    }

    private static void closeData(ByteChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the transfer's outcome is decided by the server's reply, not by this close
        }
    }

    /** ABOR while a transfer runs (sent from another thread; writes are serialized). */
    private void sendAbort() throws IOException {
        control.send("ABOR");
    }

    // ---- plumbing ----

    /** Sends a command and reads its reply; 421 (service closing) becomes a lost connection. */
    private Reply command(String line) throws IOException {
        Reply reply = control.command(line);
        if (reply.is(ReplyCode.SERVICE_NOT_AVAILABLE)) {
            throw new ConnectionLostException(control.peerName() + " closed the connection: " + reply.message());
        }
        return reply;
    }

    /** Sends a command that must succeed (2xx). */
    private Reply ok(String line) throws IOException {
        Reply reply = command(line);
        if (!reply.isCompletion()) {
            throw new FtpException(reply);
        }
        return reply;
    }

    /** QUIT (RFC 959 section 4.1.1), then close; a server that is already gone is fine. */
    @Override
    public void quit() {
        try {
            if (control.isOpen()) {
                control.command("QUIT");
            }
        } catch (IOException ignored) {
            // leaving anyway
        } finally {
            control.close();
        }
    }

    @Override
    public void close() {
        control.close();
    }
}
