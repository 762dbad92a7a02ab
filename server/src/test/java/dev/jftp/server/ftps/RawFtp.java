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
final class RawFtp implements Closeable {
    static final String HOST = "127.0.0.1";

    record Reply(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    final Socket plain;
    final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawFtp(int port) throws IOException {
        this.port = port;
        this.plain = new Socket();
        plain.connect(new InetSocketAddress(HOST, port), 10_000);
        plain.setSoTimeout(20_000);
        use(plain);
    }

    /** Connects to the implicit FTPS port: TLS at once, then the greeting. */
    static RawFtp implicit(int port, SSLContext context, String... protocols) throws IOException {
        RawFtp ftp = new RawFtp(port);
        ftp.handshake(context, protocols);
        return ftp;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    /** AUTH TLS, then the client side of the handshake (the session is cached under HOST and the control port). */
    Reply authTls(SSLContext context, String... protocols) throws IOException {
        Reply reply = send("AUTH TLS");
        if (reply.code() == 234) {
            handshake(context, protocols);
        }
        return reply;
    }

    void handshake(SSLContext context, String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, HOST, port, true);
        tls.setUseClientMode(true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.startHandshake();
        use(tls);
    }

    /** Logs in over TLS with PBSZ 0 and PROT P. */
    void loginProtected(String user, String password) throws IOException {
        expect(331, "USER " + user);
        expect(230, "PASS " + password);
        expect(200, "PBSZ 0");
        expect(200, "PROT P");
    }

    void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Reply send(String line) throws IOException {
        write(line);
        return reply();
    }

    Reply expect(int code, String line) throws IOException {
        Reply reply = send(line);
        if (reply.code() != code) {
            throw new AssertionError("'" + line + "': expected " + code + ", got " + reply);
        }
        return reply;
    }

    Reply reply() throws IOException {
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
    int epsv() throws IOException {
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
    SocketChannel openPassive() throws IOException {
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
    static byte[] readAll(ClientTlsDataChannel data) throws IOException {
        return Channels.newInputStream(data).readAllBytes();
    }

    /** TLS on a data connection, resuming this control connection's session. */
    ClientTlsDataChannel protect(SocketChannel data, SSLContext context, String... protocols) {
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
