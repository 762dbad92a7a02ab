package dev.jftp.client.support;

import dev.jftp.protocol.HostPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small FTP server in the style of older ones (vsftpd without extensions): a multi-line greeting,
 * no EPSV/EPRT, no MLST/MLSD, no MFMT, HASH, AVBL or SITE; PASV names a foreign address (as a
 * server behind NAT does); LIST in Unix "ls -l" form. It serves a directory on disk, one client at
 * a time, and records the commands it received. Used to prove the client's fallbacks, and (made
 * {@link #paced}) to have transfers that are still running when a test interrupts them.
 */
public final class LegacyFtpServer implements AutoCloseable {
    private static final DateTimeFormatter LIST_DATE = DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MDTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final Path root;
    private final ServerSocket listener;
    private final Thread thread;
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** Bytes moved per step of a transfer, and the pause after each step; 0: no pacing. */
    private volatile int paceBytes;
    private volatile long pauseMillis;

    public LegacyFtpServer(Path root) throws IOException {
        this.root = root;
        this.listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.thread = Thread.ofPlatform().daemon().name("legacy-ftp").start(this::serve);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Moves transfers in steps of {@code bytes} with a pause of {@code millis} after each, so that
     * a transfer is slow however fast the machine is (a test can interrupt it in the middle).
     */
    public LegacyFtpServer paced(int bytes, long millis) {
        paceBytes = bytes;
        pauseMillis = millis;
        return this;
    }

    private void pause() throws IOException {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket client = listener.accept()) {
                client.setSoTimeout(20_000);
                new Session(client).run();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("legacy server: " + e);
                }
            }
        }
    }

    private final class Session {
        private final Socket control;
        private final OutputStream out;
        private String cwd = "/";
        private boolean loggedIn;
        private ServerSocket passive;
        private InetSocketAddress active;
        private long restart;

        Session(Socket control) throws IOException {
            this.control = control;
            this.out = control.getOutputStream();
        }

        void run() throws IOException {
            reply("220-Welcome to the legacy server.\r\n220-Be nice.\r\n220 Ready.");
            BufferedReader in = new BufferedReader(new InputStreamReader(control.getInputStream(), StandardCharsets.UTF_8));
            for (int count = 0; count < 10_000; count++) {
                String line;
                try {
                    line = in.readLine();
                } catch (SocketException e) {
                    return;
                }
                if (line == null) {
                    return;
                }
                commands.add(line);
                int space = line.indexOf(' ');
                String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
                String arg = space < 0 ? "" : line.substring(space + 1);
                if (!handle(verb, arg)) {
                    return;
                }
            }
        }

        private boolean handle(String verb, String arg) throws IOException {
            if (!loggedIn && !verb.equals("USER") && !verb.equals("PASS") && !verb.equals("QUIT") && !verb.equals("FEAT")) {
                reply("530 Please login with USER and PASS.");
                return true;
            }
            switch (verb) {
                case "USER" -> reply("331 Please specify the password.");
                case "PASS" -> {
                    loggedIn = arg.equals(TestServer.PASSWORD);
                    reply(loggedIn ? "230 Login successful." : "530 Login incorrect.");
                }
                case "FEAT" -> reply("211-Features:\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n211 End");
                case "SYST" -> reply("215 UNIX Type: L8");
                case "TYPE" -> reply("200 Switching mode.");
                case "PWD" -> reply("257 \"" + cwd + "\" is the current directory");
                case "CWD" -> {
                    Path dir = resolve(arg);
                    if (Files.isDirectory(dir)) {
                        cwd = "/" + root.relativize(dir).toString().replace('\\', '/');
                        reply("250 Directory successfully changed.");
                    } else {
                        reply("550 Failed to change directory.");
                    }
                }
                case "PASV" -> {
                    closePassive();
                    passive = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    passive.setSoTimeout(10_000);
                    int p = passive.getLocalPort();
                    reply("227 Entering Passive Mode (" + HostPort.formatSixNumbers(InetAddress.getByName("10.0.0.1"), p) + ").");
                }
                case "PORT" -> {
                    active = HostPort.parsePortArgument(arg);
                    closePassive();
                    reply("200 PORT command successful. Consider using PASV.");
                }
                case "REST" -> {
                    restart = Long.parseLong(arg.trim());
                    reply("350 Restart position accepted (" + restart + ").");
                }
                case "SIZE" -> {
                    Path file = resolve(arg);
                    reply(Files.isRegularFile(file) ? "213 " + Files.size(file) : "550 Could not get file size.");
                }
                case "MDTM" -> {
                    Path file = resolve(arg);
                    reply(Files.isRegularFile(file) ? "213 " + MDTM.format(Files.getLastModifiedTime(file).toInstant()) : "550 Could not get file modification time.");
                }
                case "LIST", "NLST" -> listing(verb.equals("NLST"), arg);
                case "RETR" -> retrieve(arg);
                case "STOR" -> store(arg);
                case "MKD" -> {
                    Files.createDirectory(resolve(arg));
                    reply("257 \"" + arg + "\" created");
                }
                case "DELE" -> {
                    Files.delete(resolve(arg));
                    reply("250 Delete operation successful.");
                }
                case "QUIT" -> {
                    reply("221 Goodbye.");
                    return false;
                }
                case "SITE" -> reply("500 Unknown SITE command.");
                case "ABOR" -> reply("226 ABOR successful.");
                default -> reply("500 Unknown command.");
            }
            return true;
        }

        private Path resolve(String arg) {
            String path = arg.startsWith("/") ? arg : (cwd.endsWith("/") ? cwd : cwd + "/") + arg;
            Path p = root.resolve(path.substring(1)).normalize();
            return p.startsWith(root) ? p : root;
        }

        private void listing(boolean namesOnly, String arg) throws IOException {
            String path = arg.startsWith("-a") ? arg.substring(2).strip() : arg.strip();
            Path dir = resolve(path);
            List<String> lines = new ArrayList<>();
            if (Files.isDirectory(dir)) {
                if (!namesOnly) {
                    lines.add("total 8");
                }
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                    for (Path p : stream) {
                        String name = p.getFileName().toString();
                        if (Files.isSymbolicLink(p)) {
                            // as vsftpd lists a link: type l, the link's own size, "name -> target"
                            String target = Files.readSymbolicLink(p).toString();
                            lines.add(namesOnly ? name : "lrwxrwxrwx    1 ftp      ftp      " + String.format("%8d", target.length()) + " "
                                    + LIST_DATE.format(Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant())
                                    + " " + name + " -> " + target);
                            continue;
                        }
                        lines.add(namesOnly ? name : (Files.isDirectory(p) ? "drwxr-xr-x    2 ftp      ftp          4096 " : "-rw-r--r--    1 ftp      ftp      "
                                + String.format("%8d", Files.size(p)) + " ") + LIST_DATE.format(Files.getLastModifiedTime(p).toInstant()) + " " + name);
                    }
                }
            }
            try (Socket data = openData()) {
                OutputStream d = data.getOutputStream();
                for (String l : lines) {
                    d.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            reply("226 Directory send OK.");
        }

        private void retrieve(String arg) throws IOException {
            Path file = resolve(arg);
            long offset = restart;
            restart = 0;
            if (!Files.isRegularFile(file)) {
                closePassive();
                reply("550 Failed to open file.");
                return;
            }
            try (Socket data = openData(); InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(offset);
                if (paceBytes > 0) {
                    byte[] step = new byte[paceBytes];
                    int n;
                    while ((n = in.read(step)) > 0) {
                        data.getOutputStream().write(step, 0, n);
                        pause();
                    }
                } else {
                    in.transferTo(data.getOutputStream());
                }
            } catch (IOException e) {
                reply("426 Connection closed; transfer aborted.");
                return;
            }
            reply("226 Transfer complete.");
        }

        private void store(String arg) throws IOException {
            Path file = resolve(arg);
            long offset = restart;
            restart = 0;
            try (Socket data = openData(); var channel = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(offset);
                channel.position(offset);
                InputStream in = data.getInputStream();
                byte[] buffer = new byte[paceBytes > 0 ? paceBytes : 65536];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    channel.write(java.nio.ByteBuffer.wrap(buffer, 0, n));
                    if (paceBytes > 0) {
                        pause();
                    }
                }
            } catch (IOException e) {
                reply("426 Connection closed; transfer aborted.");
                return;
            }
            reply("226 Transfer complete.");
        }

        private Socket openData() throws IOException {
            if (passive != null) {
                reply("150 Here comes the data.");
                Socket s = passive.accept();
                closePassive();
                return s;
            }
            if (active != null) {
                reply("150 Here comes the data.");
                Socket s = new Socket();
                s.connect(active, 10_000);
                active = null;
                return s;
            }
            throw new IOException("no data connection set up");
        }

        private void closePassive() throws IOException {
            if (passive != null) {
                passive.close();
                passive = null;
            }
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
