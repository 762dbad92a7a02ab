package dev.jftp.server.ftps;

import dev.jftp.protocol.tls.ClientTlsDataChannel;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A control connection at the protocol level, for tests: send a line, read a reply, switch to TLS.
 * Reads byte by byte, so that nothing past a reply is consumed before a TLS handshake.
 */
public final class RawFtp implements Closeable {
    public static final String HOST = "127.0.0.1";

    public record Reply(int code, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    public final Socket plain;
    public final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public RawFtp(int port) throws IOException {
        this.port = port;
        this.plain = new Socket();
        plain.connect(new InetSocketAddress(HOST, port), 10_000);
        plain.setSoTimeout(20_000);
        use(plain);
    }

    /** Connects to the implicit FTPS port: TLS at once, then the greeting. */
    public static RawFtp implicit(int port, SSLContext context, String... protocols) throws IOException {
        RawFtp ftp = new RawFtp(port);
        ftp.handshake(context, protocols);
        return ftp;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    /** AUTH TLS, then the client side of the handshake (the session is cached under HOST and the control port). */
    public Reply authTls(SSLContext context, String... protocols) throws IOException {
        Reply reply = send("AUTH TLS");
        if (reply.code() == 234) {
            handshake(context, protocols);
        }
        return reply;
    }

    public void handshake(SSLContext context, String... protocols) throws IOException {
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
        expect(331, "USER " + user);
        expect(230, "PASS " + password);
        expect(200, "PBSZ 0");
        expect(200, "PROT P");
    }

    public void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public Reply send(String line) throws IOException {
        write(line);
        return reply();
    }

    public Reply expect(int code, String line) throws IOException {
        Reply reply = send(line);
        if (reply.code() != code) {
            throw new AssertionError("'" + line + "': expected " + code + ", got " + reply);
        }
        return reply;
    }

    public Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String first = line();
        lines.add(first);
        if (first.length() >= 4 && first.charAt(3) == '-') {
            String end = first.substring(0, 3) + " ";
            for (int i = 0; i < 100_000; i++) {
                String next = line();
                lines.add(next);
                if (next.startsWith(end)) {
                    break;
                }
            }
        }
        return new Reply(Integer.parseInt(first.substring(0, 3)), lines);
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 64 * 1024; i++) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("control connection closed; got so far: " + bytes.toString(StandardCharsets.UTF_8));
            }
            if (b == '\n') {
                String s = bytes.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            bytes.write(b);
        }
        throw new IOException("reply line too long");
    }

    /** EPSV; the data port. */
    public int epsv() throws IOException {
        Reply reply = expect(229, "EPSV");
        Matcher m = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)").matcher(reply.text());
        if (!m.find()) {
            throw new AssertionError("no port in " + reply);
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Connects a plain data connection to the EPSV port: a channel, which a
     * {@link dev.jftp.protocol.tls.ClientTlsDataChannel} runs over; {@code socket()} for streams.
     */
    public SocketChannel openPassive() throws IOException {
        int dataPort = epsv();
        SocketChannel data = SocketChannel.open();
        try {
            data.socket().connect(new InetSocketAddress(HOST, dataPort), 10_000);
            data.socket().setSoTimeout(20_000);
        } catch (IOException e) {
            data.close();
            throw e;
        }
        return data;
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
        SocketChannel data = openPassive();
        write(command);
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

    /** TLS on a data connection, resuming this control connection's session. */
    public ClientTlsDataChannel protect(SocketChannel data, SSLContext context, String... protocols) {
        return new ClientTlsDataChannel(data, context, HOST, port, parameters -> {
            if (protocols.length > 0) {
                parameters.setProtocols(protocols);
            }
        });
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }
}
