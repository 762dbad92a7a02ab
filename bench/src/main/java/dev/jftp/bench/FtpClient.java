package dev.jftp.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The load generator's FTP client: raw sockets, nothing but what the figures need (RFC 959:
 * USER, PASS, TYPE I, PASV, RETR, STOR, LIST, NOOP, PWD, QUIT). It does what curl does per file:
 * PASV, connect the data socket, send the command, move the bytes, wait for 226. Every server is
 * driven by this same code.
 */
final class FtpClient implements Closeable {
    /** A reply: its code and its last line. */
    record Reply(int code, String text) {
        boolean positive() {
            return code >= 100 && code < 400;
        }
    }

    static final class FtpException extends IOException {
        FtpException(String message) {
            super(message);
        }
    }

    private final Socket control;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(128);
    private long lastByteNanos;

    private FtpClient(Socket control) throws IOException {
        this.control = control;
        this.in = new BufferedInputStream(control.getInputStream(), 4096);
        this.out = control.getOutputStream();
    }

    /** Connects and reads the greeting (expects 220). */
    static FtpClient connect(InetSocketAddress server, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(server, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            FtpClient c = new FtpClient(s);
            c.expect(c.read(), 220, "greeting");
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    void login(String user, String password) throws IOException {
        Reply r = command("USER " + user);
        if (r.code() == 331) {
            r = command("PASS " + password);
        }
        expect(r, 230, "login");
    }

    void binary() throws IOException {
        expect(command("TYPE I"), 200, "TYPE I");
    }

    Reply command(String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    /** Reads one reply, multi-line ones included (RFC 959 section 4.2). */
    Reply read() throws IOException {
        String first = readLine();
        if (first.length() < 3) {
            throw new FtpException("bad reply: " + first);
        }
        int code = Integer.parseInt(first.substring(0, 3));
        String last = first;
        if (first.length() > 3 && first.charAt(3) == '-') {
            String end = first.substring(0, 3) + " ";
            do {
                last = readLine();
            } while (!last.startsWith(end));
        }
        return new Reply(code, last);
    }

    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new FtpException("control connection closed" + (line.isEmpty() ? "" : " after '" + line + "'"));
            }
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    static Reply expect(Reply r, int code, String what) throws FtpException {
        if (r.code() != code) {
            throw new FtpException(what + ": expected " + code + ", got " + r.code() + " " + r.text());
        }
        return r;
    }

    /** PASV (RFC 959 section 4.1.2): the h1,h2,h3,h4,p1,p2 in the 227 reply. */
    InetSocketAddress pasv() throws IOException {
        Reply r = expect(command("PASV"), 227, "PASV");
        String t = r.text();
        int open = t.indexOf('(');
        int close = t.indexOf(')', open + 1);
        String[] n = t.substring(open + 1, close).split(",");
        String host = n[0].trim() + "." + n[1].trim() + "." + n[2].trim() + "." + n[3].trim();
        int port = Integer.parseInt(n[4].trim()) * 256 + Integer.parseInt(n[5].trim());
        return new InetSocketAddress(host, port);
    }

    private SocketChannel openData() throws IOException {
        InetSocketAddress address = pasv();
        SocketChannel data = SocketChannel.open();
        try {
            data.connect(address);
            return data;
        } catch (IOException e) {
            data.close();
            throw e;
        }
    }

    /** RETR (or LIST) into {@code sink}, thrown away; returns the bytes received. */
    long download(String command, ByteBuffer sink) throws IOException {
        long bytes;
        try (SocketChannel data = openData()) {
            Reply r = command(command);
            if (r.code() != 150 && r.code() != 125) {
                throw new FtpException(command + ": " + r.code() + " " + r.text());
            }
            bytes = drain(data, sink);
            lastByteNanos = System.nanoTime();
        }
        expect(read(), 226, command);
        return bytes;
    }

    /** STOR of {@code size} bytes taken (repeatedly) from {@code source}. */
    void upload(String path, ByteBuffer source, long size) throws IOException {
        try (SocketChannel data = openData()) {
            Reply r = command("STOR " + path);
            if (r.code() != 150 && r.code() != 125) {
                throw new FtpException("STOR " + path + ": " + r.code() + " " + r.text());
            }
            fill(data, source, size);
        }
        expect(read(), 226, "STOR " + path);
    }

    /**
     * The sink of every download, FTP or ceiling ({@link Figures#ceilingSend}): reads until the end
     * of the stream into {@code sink}, throwing the bytes away; returns how many there were.
     */
    static long drain(SocketChannel data, ByteBuffer sink) throws IOException {
        long bytes = 0;
        while (true) {
            sink.clear();
            int n = data.read(sink);
            if (n < 0) {
                return bytes;
            }
            bytes += n;
        }
    }

    /** The source of every upload, FTP or ceiling: writes {@code size} bytes taken (repeatedly) from {@code source}. */
    static void fill(SocketChannel data, ByteBuffer source, long size) throws IOException {
        long left = size;
        while (left > 0) {
            source.clear();
            if (left < source.capacity()) {
                source.limit((int) left);
            }
            while (source.hasRemaining()) {
                left -= data.write(source);
            }
        }
    }

    /** When the last download's data connection reached its end (System.nanoTime). */
    long lastByteNanos() {
        return lastByteNanos;
    }

    void quit() {
        try {
            command("QUIT");
        } catch (IOException e) {
            // the server may close first; the session is over either way
        }
    }

    @Override
    public void close() throws IOException {
        control.close();
    }
}
