package dev.jftp.client.ftp;

import dev.jftp.client.remote.ConnectionLostException;
import dev.jftp.protocol.ReplyCode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The FTP control connection: sends command lines and reads replies, single- and multi-line
 * (RFC 959 section 4.2). Paths travel as UTF-8 (RFC 2640). With a dialogue sink (-v) every line
 * both ways is shown, except the argument of PASS.
 */
public final class ControlConnection implements Closeable {
    /** A reply line longer than this is cut: no server needs more, and memory stays bounded. */
    private static final int MAX_LINE = 64 * 1024;
    /** A multi-line reply longer than this is treated as a broken server. */
    private static final int MAX_REPLY_LINES = 100_000;

    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String peerName;
    private final Consumer<String> dialogue;
    private final Object writeLock = new Object();
    private final Duration replyTimeout;
    private volatile boolean lost;

    private ControlConnection(Socket socket, String peerName, Duration replyTimeout, Consumer<String> dialogue) throws IOException {
        this.socket = socket;
        this.peerName = peerName;
        this.replyTimeout = replyTimeout;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
        this.dialogue = dialogue;
    }

    /**
     * Connects to {@code host:port}.
     *
     * @param dialogue receives each line sent ("--> ") and received ("<-- "); null for none
     * @param connecting given each socket before it connects (see {@link FtpClient.Settings}); null for none
     */
    public static ControlConnection open(String host, int port, Duration connectTimeout, Duration replyTimeout,
                                         Consumer<String> dialogue, Consumer<java.io.Closeable> connecting) throws IOException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            if (connecting != null) {
                connecting.accept(socket);
            }
            try {
                socket.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
                socket.setSoTimeout((int) replyTimeout.toMillis());
                socket.setTcpNoDelay(true);
                socket.setKeepAlive(true);
                return new ControlConnection(socket, host, replyTimeout, dialogue);
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address for " + host);
    }

    /**
     * Starts TLS on this connection (after 234 to AUTH TLS, or at once for implicit FTPS), with
     * host name verification. The socket is made with the host as given and the connected port:
     * JSSE files the session under them, where {@link dev.jftp.protocol.tls.ClientTlsDataChannel} finds it.
     */
    void startTls(TlsOptions options) throws IOException {
        SSLSocket tls = (SSLSocket) options.context().getSocketFactory().createSocket(socket, peerName, socket.getPort(), true);
        tls.setUseClientMode(true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        options.restrict(parameters);
        tls.setSSLParameters(parameters);
        try {
            tls.startHandshake();
        } catch (IOException e) {
            markLost();
            throw e;
        }
        socket = tls;
        in = new BufferedInputStream(tls.getInputStream(), 16 * 1024);
        out = tls.getOutputStream();
        if (dialogue != null) {
            dialogue.accept("note: TLS " + tls.getSession().getProtocol() + " " + tls.getSession().getCipherSuite());
        }
    }

    int remotePort() {
        return socket.getPort();
    }

    public InetAddress remoteAddress() {
        return socket.getInetAddress();
    }

    public InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    public String peerName() {
        return peerName;
    }

    public boolean isOpen() {
        return !lost && !socket.isClosed();
    }

    /** Sends one command line. A line break inside would smuggle a second command, so it is refused. */
    public void send(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a command cannot contain a line break");
        }
        if (!isOpen()) {
            throw new ConnectionLostException("not connected to " + peerName);
        }
        if (dialogue != null) {
            dialogue.accept("--> " + forDisplay(line));
        }
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (writeLock) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            markLost();
            throw new ConnectionLostException("connection to " + peerName + " lost: " + e.getMessage(), e);
        }
    }

    /** Sends a command and reads its reply. */
    public Reply command(String line) throws IOException {
        send(line);
        return readReply();
    }

    /**
     * Reads one complete reply. A multi-line reply starts with "nnn-" and ends with the first line
     * that starts with the same code and a space (RFC 959 section 4.2). A 421 reply means the
     * server is closing the connection: it is returned, and the connection counts as lost.
     */
    public Reply readReply() throws IOException {
        String first = readLine();
        if (first.length() < 3 || !isCode(first)) {
            markLost();
            throw new ConnectionLostException("garbled reply from " + peerName + ": " + shorten(first));
        }
        int code = Integer.parseInt(first.substring(0, 3));
        List<String> lines = new ArrayList<>();
        lines.add(first);
        if (first.length() > 3 && first.charAt(3) == '-') {
            String end = first.substring(0, 3) + " ";
            while (true) {
                String line = readLine();
                lines.add(line);
                if (line.startsWith(end) || line.equals(first.substring(0, 3))) {
                    break;
                }
                if (lines.size() > MAX_REPLY_LINES) {
                    markLost();
                    throw new ConnectionLostException("reply from " + peerName + " never ends");
                }
            }
        }
        Reply reply = new Reply(code, lines);
        if (code == ReplyCode.SERVICE_NOT_AVAILABLE.code()) {
            markLost();
        }
        return reply;
    }

    private static boolean isCode(String line) {
        for (int i = 0; i < 3; i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return false;
            }
        }
        return line.length() == 3 || line.charAt(3) == ' ' || line.charAt(3) == '-';
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    markLost();
                    throw new ConnectionLostException(peerName + " closed the connection");
                }
                if (b == '\n') {
                    break;
                }
                if (line.size() < MAX_LINE) {
                    line.write(b);
                }
            }
        } catch (SocketTimeoutException e) {
            markLost();
            throw new ConnectionLostException("no reply from " + peerName + " within " + replyTimeout.toSeconds() + " s", e);
        } catch (ConnectionLostException e) {
            throw e;
        } catch (IOException e) {
            markLost();
            throw new ConnectionLostException("connection to " + peerName + " lost: " + e.getMessage(), e);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (dialogue != null) {
            dialogue.accept("<-- " + text);
        }
        return text;
    }

    private void markLost() {
        lost = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken; nothing more to release
        }
    }

    /** What -v shows for a line: everything but a password. */
    static String forDisplay(String line) {
        if (line.length() >= 4 && line.substring(0, 4).toUpperCase(Locale.ROOT).startsWith("PASS")) {
            return "PASS ****";
        }
        return line;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    @Override
    public void close() {
        lost = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed is not an error worth reporting
        }
    }
}
