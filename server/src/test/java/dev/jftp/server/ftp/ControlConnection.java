package dev.jftp.server.ftp;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw control connection: send a line, read a whole (possibly multi-line) reply. */
public final class ControlConnection implements Closeable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private ControlConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    /** Connects from the default local address; the first reply is left to read. */
    public static ControlConnection open(int port) throws IOException {
        return open(port, null);
    }

    /** Connects from {@code localAddress} (null: any) to the server on the loopback address. */
    public static ControlConnection open(int port, InetAddress localAddress) throws IOException {
        Socket socket = new Socket();
        try {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
            return new ControlConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * The next reply: its last line (RFC 959 section 4.2: a multi-line reply ends with the line
     * that starts with the same code and a space), or null when the server closed the connection.
     */
    public String reply() throws IOException {
        String first = in.readLine();
        if (first == null || first.length() < 4 || first.charAt(3) != '-') {
            return first;
        }
        String end = first.substring(0, 3) + " ";
        for (int i = 0; i < 100_000; i++) {
            String line = in.readLine();
            if (line == null || line.startsWith(end)) {
                return line;
            }
        }
        throw new IOException("multi-line reply without an end");
    }

    /** Sends a command and returns its reply. */
    public String command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** True when the server has closed the connection (reads end of stream, or a reset). */
    public boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
