package dev.jftp.server.testing;

import dev.jftp.protocol.HostPort;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw control connection for protocol details: sends exact lines or bytes and reads whole
 * replies. Reading is strict: every line must end in CRLF and every reply must have the RFC 959
 * section 4.2 form ("ddd text", or "ddd-" ... "ddd text"), else the test fails. Every read is
 * bounded by {@link #TIMEOUT_MILLIS}.
 */
public final class ControlConnection implements AutoCloseable {
    public static final int TIMEOUT_MILLIS = 10_000;
    private static final int MAX_REPLY_LINES = 100_000;
    private static final int MAX_LINE_BYTES = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Reply greeting;
    private boolean extendedPassive;

    public ControlConnection(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        greeting = reply();
    }

    public Reply greeting() {
        return greeting;
    }

    public Socket socket() {
        return socket;
    }

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

    /** USER + PASS; returns the reply to PASS. */
    public Reply login(String user, String password) throws IOException {
        Reply userReply = command("USER " + user);
        if (userReply.code() != 331) {
            throw new AssertionError("USER " + user + " got " + userReply);
        }
        return command("PASS " + password);
    }

    /** Reads one complete reply, single- or multi-line. */
    public Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String first = line();
        if (first == null) {
            throw new IOException("server closed the control connection instead of replying");
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
                    throw new AssertionError("multi-line reply cut off after " + lines);
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

    /** Makes {@link #download} and {@link #upload} use EPSV (for IPv6 and EPSV ALL) instead of PASV. */
    public void useExtendedPassive(boolean on) {
        extendedPassive = on;
    }

    /** PASV or EPSV (see {@link #useExtendedPassive}), then connects. */
    public Socket openData() throws IOException {
        return extendedPassive ? openExtendedPassive() : openPassive();
    }

    /** PASV, then connects to the announced address. */
    public Socket openPassive() throws IOException {
        Reply pasv = command("PASV");
        if (pasv.code() != 227) {
            throw new AssertionError("PASV got " + pasv);
        }
        return connectData(HostPort.parseSixNumbers(pasv.text()));
    }

    /** EPSV, then connects to the announced port on the control connection's server address. */
    public Socket openExtendedPassive() throws IOException {
        Reply epsv = command("EPSV");
        if (epsv.code() != 229) {
            throw new AssertionError("EPSV got " + epsv);
        }
        return connectData(new InetSocketAddress(socket.getInetAddress(), HostPort.parseEpsvReply(epsv.text())));
    }

    public static Socket connectData(InetSocketAddress address) throws IOException {
        Socket data = new Socket();
        data.connect(address, TIMEOUT_MILLIS);
        data.setSoTimeout(TIMEOUT_MILLIS);
        return data;
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
