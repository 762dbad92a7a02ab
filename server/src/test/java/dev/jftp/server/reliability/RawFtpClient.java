package dev.jftp.server.reliability;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately plain FTP client over a raw socket, so that tests can misbehave exactly as they
 * need (disconnect mid-transfer, reset connections, send half lines) and bind to any local address
 * of 127/8 to act as another host.
 */
final class RawFtpClient implements Closeable {
    private static final Pattern PASV = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)");

    record Reply(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final InetAddress localAddress;

    private RawFtpClient(Socket socket, InetAddress localAddress) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
        this.localAddress = localAddress;
    }

    /** Connects from {@code localAddress} (null: the loopback default); replies wait at most {@code timeout}. */
    static RawFtpClient connect(int port, InetAddress localAddress, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            return new RawFtpClient(socket, localAddress);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static RawFtpClient connect(int port) throws IOException {
        return connect(port, null, Duration.ofSeconds(20));
    }

    /** Connects, reads the greeting and logs in; fails unless the login succeeds. */
    static RawFtpClient login(int port, InetAddress localAddress, String user, String password) throws IOException {
        RawFtpClient c = connect(port, localAddress, Duration.ofSeconds(20));
        try {
            c.expect(220);
            c.command("USER " + user, 331);
            c.command("PASS " + password, 230);
            c.command("TYPE I", 200);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    static RawFtpClient login(int port) throws IOException {
        return login(port, null, TestServer.USER, TestServer.PASSWORD);
    }

    Socket socket() {
        return socket;
    }

    void setTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one whole reply (RFC 959 section 4.2 multi-line form included). */
    Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String first = readLine();
        lines.add(first);
        if (first.length() < 3) {
            throw new IOException("not a reply: " + first);
        }
        int code = Integer.parseInt(first.substring(0, 3));
        if (first.length() > 3 && first.charAt(3) == '-') {
            String end = first.substring(0, 3) + " ";
            for (int i = 0; i < 1_000_000; i++) {
                String line = readLine();
                lines.add(line);
                if (line.startsWith(end)) {
                    break;
                }
            }
        }
        return new Reply(code, lines);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("control connection closed" + (line.size() > 0 ? " after '" + line + "'" : ""));
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (line.size() > 65536) {
                throw new IOException("reply line too long");
            }
            line.write(b);
        }
    }

    Reply expect(int code) throws IOException {
        Reply r = reply();
        if (r.code() != code) {
            throw new AssertionError("expected " + code + " but got: " + r);
        }
        return r;
    }

    Reply command(String line) throws IOException {
        send(line);
        return reply();
    }

    Reply command(String line, int expected) throws IOException {
        send(line);
        return expect(expected);
    }

    /** PASV and a data connection to the port it names, from this client's local address. */
    Socket passiveData() throws IOException {
        Reply r = command("PASV", 227);
        Matcher m = PASV.matcher(r.text());
        if (!m.find()) {
            throw new AssertionError("no address in " + r);
        }
        int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
        Socket data = new Socket();
        if (localAddress != null) {
            data.bind(new InetSocketAddress(localAddress, 0));
        }
        data.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        data.setSoTimeout(socket.getSoTimeout());
        return data;
    }

    /** True when the server has closed the control connection (read returns end of stream or a reset). */
    boolean awaitClosedByServer(Duration within) throws IOException {
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
    void reset() {
        resetQuietly(socket);
    }

    static void resetQuietly(Socket s) {
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
            socket.close();
        } catch (IOException ignored) {
            // gone
        }
    }

    /** Reads everything from a data connection. */
    static byte[] readAll(Socket data) throws IOException {
        return data.getInputStream().readAllBytes();
    }
}
