package dev.jftp.server.testing;

import dev.jftp.protocol.HostPort;
import dev.jftp.protocol.tls.ClientTlsDataChannel;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The raw control connection of every server test: sends exact lines or bytes, reads whole replies,
 * and can misbehave as a test needs (come from another address of 127/8, send half lines, reset the
 * connection, switch to TLS). Reading is strict: every line must end in CRLF and every reply must
 * have the RFC 959 section 4.2 form ("ddd text", or "ddd-" ... "ddd text"), else the test fails.
 * Every read is bounded by the connection's timeout ({@link #TIMEOUT_MILLIS} unless given).
 *
 * <p>{@link #connect} leaves the greeting to be read ({@link #readGreeting()} or {@link #expect});
 * {@link RunningServer#connect()} reads it.
 */
public final class ControlConnection implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final int TIMEOUT_MILLIS = 20_000;
    private static final int MAX_REPLY_LINES = 1_000_000;
    private static final int MAX_LINE_BYTES = 1 << 20;

    private final Socket plain;
    private final int port;
    private final InetAddress localAddress;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Reply greeting;
    private boolean extendedPassive;

    private ControlConnection(Socket plain, int port, InetAddress localAddress) throws IOException {
        this.plain = plain;
        this.port = port;
        this.localAddress = localAddress;
        use(plain);
    }

    /** Connected to the server on the loopback address; nothing read yet. */
    public static ControlConnection connect(int port) throws IOException {
        return connect(port, null, Duration.ofMillis(TIMEOUT_MILLIS));
    }

    /**
     * Connected from {@code localAddress} (null: the default; any of 127/8 acts as another host) to
     * the server on the loopback address; reads wait at most {@code timeout}. Nothing read yet.
     */
    public static ControlConnection connect(int port, InetAddress localAddress, Duration timeout) throws IOException {
        return connect(new InetSocketAddress(InetAddress.getByName(HOST), port), localAddress, timeout);
    }

    /** Connected from {@code localAddress} (null: the default) to {@code server}; nothing read yet. */
    public static ControlConnection connect(InetSocketAddress server, InetAddress localAddress, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(server, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            return new ControlConnection(socket, server.getPort(), localAddress);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connected to the implicit FTPS port: TLS at once; the greeting comes through it, unread. */
    public static ControlConnection implicitTls(int port, SSLContext context, String... protocols) throws IOException {
        ControlConnection c = connect(port);
        c.handshake(context, protocols);
        return c;
    }

    /** Connected from {@code localAddress} (null: the default), greeted, logged in, TYPE I; fails unless the login succeeds. */
    public static ControlConnection login(int port, InetAddress localAddress, String user, String password) throws IOException {
        ControlConnection c = connect(port, localAddress, Duration.ofMillis(TIMEOUT_MILLIS));
        try {
            c.expect(220);
            c.command("USER " + user, 331);
            c.command("PASS " + password, 230);
            c.command("TYPE I", 200);
            return c;
        } catch (IOException | RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        out = s.getOutputStream();
    }

    /** Reads the greeting; {@link #greeting()} gives it afterwards. */
    public Reply readGreeting() throws IOException {
        greeting = reply();
        return greeting;
    }

    public Reply greeting() {
        return greeting;
    }

    /** The socket now spoken on: TLS once {@link #authTls} or {@link #handshake} ran. */
    public Socket socket() {
        return socket;
    }

    /** What the server sends, as this connection reads it (buffered: bytes past the last reply may be here already). */
    public InputStream input() {
        return in;
    }

    /** The TCP connection underneath, also after TLS started. */
    public Socket plainSocket() {
        return plain;
    }

    public int port() {
        return port;
    }

    public void setTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    // ---- commands and replies ----

    /** Sends one command line (UTF-8, CRLF appended). */
    public void send(String line) throws IOException {
        sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends exactly these bytes. */
    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a line and reads its reply. */
    public Reply command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** Sends a line and reads its reply, which must have the code {@code expected}. */
    public Reply command(String line, int expected) throws IOException {
        send(line);
        Reply reply = reply();
        if (reply.code() != expected) {
            throw new AssertionError("'" + line + "': expected " + expected + ", got " + reply);
        }
        return reply;
    }

    /** Reads the next reply, which must have the code {@code expected}. */
    public Reply expect(int expected) throws IOException {
        Reply reply = reply();
        if (reply.code() != expected) {
            throw new AssertionError("expected " + expected + " but got: " + reply);
        }
        return reply;
    }

    /** USER + PASS; returns the reply to PASS. */
    public Reply login(String user, String password) throws IOException {
        command("USER " + user, 331);
        return command("PASS " + password);
    }

    /** Reads one complete reply, single- or multi-line. */
    public Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String first = line();
        if (first == null) {
            throw new java.io.EOFException("server closed the control connection instead of replying");
        }
        lines.add(first);
        if (first.length() < 4 || !first.substring(0, 3).chars().allMatch(Character::isDigit)
                || (first.charAt(3) != ' ' && first.charAt(3) != '-')) {
            throw new AssertionError("not an FTP reply line: '" + first + "'");
        }
        int code = Integer.parseInt(first.substring(0, 3));
        if (first.charAt(3) == '-') {
            String end = first.substring(0, 3) + " ";
            while (true) {
                String next = line();
                if (next == null) {
                    throw new java.io.EOFException("multi-line reply cut off after " + lines);
                }
                lines.add(next);
                if (next.startsWith(end)) {
                    break;
                }
                if (lines.size() > MAX_REPLY_LINES) {
                    throw new AssertionError("multi-line reply with no end");
                }
            }
        }
        return new Reply(code, List.copyOf(lines));
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (bytes.size() > 0) {
                    throw new AssertionError("reply line without CRLF at the end of the stream: " + bytes.toString(StandardCharsets.UTF_8));
                }
                return null;
            }
            if (b == '\n') {
                byte[] line = bytes.toByteArray();
                if (line.length == 0 || line[line.length - 1] != '\r') {
                    throw new AssertionError("reply line ends in a bare LF: " + bytes.toString(StandardCharsets.UTF_8));
                }
                return new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
            }
            bytes.write(b);
            if (bytes.size() > MAX_LINE_BYTES) {
                throw new AssertionError("reply line over " + MAX_LINE_BYTES + " bytes");
            }
        }
    }

    // ---- the end of the connection ----

    /** True when the server closes the connection (end of stream or reset) before sending anything more. */
    public boolean awaitClosedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** True when the server closes the connection within {@code within}; what it sends meanwhile is read and dropped. */
    public boolean awaitClosedByServer(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            while (in.read() >= 0) {
                // drain whatever the server said last
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Drops the connection with a TCP reset, as a crashed client or a pulled cable would look. */
    public void reset() {
        resetQuietly(plain);
    }

    public static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // gone
        }
    }

    @Override
    public void close() {
        try {
            plain.close();
        } catch (IOException e) {
            // already gone
        }
    }

    // ---- data connections ----

    /** Makes {@link #download}, {@link #upload} and {@link #openData} use EPSV (for IPv6 and EPSV ALL) instead of PASV. */
    public void useExtendedPassive(boolean on) {
        extendedPassive = on;
    }

    /** PASV or EPSV (see {@link #useExtendedPassive}), then connects. */
    public Socket openData() throws IOException {
        return extendedPassive ? openExtendedPassive() : openPassive();
    }

    /** PASV, then a data connection to the announced address, from this connection's local address. */
    public Socket openPassive() throws IOException {
        Reply pasv = command("PASV");
        if (pasv.code() != 227) {
            throw new AssertionError("PASV got " + pasv);
        }
        return connectData(HostPort.parseSixNumbers(pasv.text()), localAddress, socket.getSoTimeout());
    }

    /** EPSV, then a data connection to the announced port on the control connection's server address. */
    public Socket openExtendedPassive() throws IOException {
        return connectData(new InetSocketAddress(socket.getInetAddress(), epsv()), localAddress, socket.getSoTimeout());
    }

    /** EPSV; the data port it announces. */
    public int epsv() throws IOException {
        Reply epsv = command("EPSV");
        if (epsv.code() != 229) {
            throw new AssertionError("EPSV got " + epsv);
        }
        return HostPort.parseEpsvReply(epsv.text());
    }

    public static Socket connectData(InetSocketAddress address) throws IOException {
        return connectData(address, null, TIMEOUT_MILLIS);
    }

    private static Socket connectData(InetSocketAddress address, InetAddress localAddress, int timeoutMillis) throws IOException {
        Socket data = new Socket();
        try {
            if (localAddress != null) {
                data.bind(new InetSocketAddress(localAddress, 0));
            }
            data.connect(address, TIMEOUT_MILLIS);
            data.setSoTimeout(timeoutMillis);
            return data;
        } catch (IOException e) {
            data.close();
            throw e;
        }
    }

    /** Reads a data connection to its end (bounded by the read timeout). */
    public static byte[] readAll(Socket data) throws IOException {
        try (data) {
            return data.getInputStream().readAllBytes();
        }
    }

    /** Writes bytes to a data connection and closes it (end of file in stream mode). */
    public static void writeAll(Socket data, byte[] bytes) throws IOException {
        try (data) {
            data.getOutputStream().write(bytes);
            data.getOutputStream().flush();
        }
    }

    /**
     * A whole download: opens a passive connection (PASV or EPSV), sends the command, and returns the data once
     * the 150 and 226 replies have arrived.
     */
    public byte[] download(String command) throws IOException {
        Socket data = openData();
        Reply start = command(command);
        if (start.code() != 150) {
            data.close();
            throw new AssertionError(command + " got " + start);
        }
        byte[] bytes = readAll(data);
        Reply done = reply();
        if (done.code() != 226) {
            throw new AssertionError(command + " ended with " + done);
        }
        return bytes;
    }

    /** A whole upload over a passive connection (PASV or EPSV); returns the final reply. */
    public Reply upload(String command, byte[] bytes) throws IOException {
        Socket data = openData();
        Reply start = command(command);
        if (start.code() != 150) {
            data.close();
            throw new AssertionError(command + " got " + start);
        }
        writeAll(data, bytes);
        return reply();
    }

    // ---- FTPS (RFC 4217) ----

    /** AUTH TLS, then the client side of the handshake (the session is cached under HOST and the control port). */
    public Reply authTls(SSLContext context, String... protocols) throws IOException {
        Reply reply = command("AUTH TLS");
        if (reply.code() == 234) {
            handshake(context, protocols);
        }
        return reply;
    }

    /** The client side of a TLS handshake on the control connection; replies are read through TLS from then on. */
    public void handshake(SSLContext context, String... protocols) throws IOException {
        if (in.available() > 0) {
            throw new AssertionError("bytes after the last reply, before the TLS handshake");
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, HOST, port, true);
        tls.setUseClientMode(true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.startHandshake();
        use(tls);
    }

    /** Logs in over TLS with PBSZ 0 and PROT P. */
    public void loginProtected(String user, String password) throws IOException {
        command("USER " + user, 331);
        command("PASS " + password, 230);
        command("PBSZ 0", 200);
        command("PROT P", 200);
    }

    /**
     * EPSV and a plain data connection to its port, as a channel, which a
     * {@link ClientTlsDataChannel} runs over ({@code socket()} for streams).
     */
    public SocketChannel openExtendedPassiveChannel() throws IOException {
        int dataPort = epsv();
        SocketChannel data = SocketChannel.open();
        try {
            data.socket().connect(new InetSocketAddress(HOST, dataPort), TIMEOUT_MILLIS);
            data.socket().setSoTimeout(TIMEOUT_MILLIS);
        } catch (IOException e) {
            data.close();
            throw e;
        }
        return data;
    }

    /** TLS on a data connection, resuming this control connection's session. */
    public ClientTlsDataChannel protect(SocketChannel data, SSLContext context, String... protocols) {
        return new ClientTlsDataChannel(data, context, HOST, port, parameters -> {
            if (protocols.length > 0) {
                parameters.setProtocols(protocols);
            }
        });
    }

    /** Everything a protected data connection carries, to the server's close_notify. */
    public static byte[] readAll(ClientTlsDataChannel data) throws IOException {
        return Channels.newInputStream(data).readAllBytes();
    }

    /**
     * A listing or download over a protected passive data connection: {@code command}, 150, the
     * data to the server's close_notify, 226. Returns the data as text.
     */
    public String readProtected(String command, SSLContext context) throws IOException {
        SocketChannel data = openExtendedPassiveChannel();
        send(command);
        Reply opening = reply();
        if (opening.code() != 150) {
            data.close();
            throw new AssertionError("'" + command + "': expected 150, got " + opening);
        }
        String text;
        try (ClientTlsDataChannel tls = protect(data, context)) {
            tls.handshake();
            text = new String(readAll(tls), StandardCharsets.UTF_8);
        }
        Reply end = reply();
        if (end.code() != 226) {
            throw new AssertionError("'" + command + "': expected 226, got " + end);
        }
        return text;
    }
}
