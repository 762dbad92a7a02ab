package dev.jftp.server.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/**
 * What the tests of several nodes share: FTP clients (Commons Net) that connect from a chosen
 * loopback address (127.0.0.2 is "another host"), bounded waits, and reading {@code /metrics}.
 */
final class ClusterClients {
    static final Duration CHANGE_LIMIT = Duration.ofSeconds(5);

    private ClusterClients() {
    }

    /** A client whose control and data connections come from {@code from} (null: the default). */
    static FTPClient client(InetAddress from) {
        FTPClient ftp = new FTPClient();
        if (from != null) {
            ftp.setSocketFactory(new FromAddress(from));
        }
        ftp.setConnectTimeout(20_000);
        ftp.setDefaultTimeout(30_000);
        ftp.setDataTimeout(Duration.ofSeconds(30));
        return ftp;
    }

    /** Connects, reads the greeting, logs in; the reply code of PASS (230 when it worked), the client left connected. */
    static int login(FTPClient ftp, int port, String user, String password) throws IOException {
        try {
            ftp.connect("127.0.0.1", port);
        } catch (org.apache.commons.net.ftp.FTPConnectionClosedException e) {
            return ftp.getReplyCode(); // 421 at connect: refused and closed
        }
        ftp.setSoTimeout(30_000);
        if (ftp.getReplyCode() != 220) {
            return ftp.getReplyCode();
        }
        try {
            ftp.login(user, password);
        } catch (org.apache.commons.net.ftp.FTPConnectionClosedException e) {
            return ftp.getReplyCode(); // 421: refused and closed
        }
        int code = ftp.getReplyCode();
        if (code == 230) {
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
        }
        return code;
    }

    /** One login attempt on a fresh connection from {@code from}; its PASS reply code (or the greeting's). */
    static int tryLogin(InetAddress from, int port, String user, String password) throws IOException {
        FTPClient ftp = client(from);
        try {
            return login(ftp, port, user, password);
        } finally {
            disconnect(ftp);
        }
    }

    /**
     * Tries a login every 100 ms until PASS is answered {@code expected}, for at most {@code limit};
     * returns how long it took, or null if it never was.
     */
    static Duration awaitLogin(int port, String user, String password, int expected, Duration limit) throws IOException, InterruptedException {
        return awaitLogin(null, port, user, password, expected, limit);
    }

    /** As {@link #awaitLogin(int, String, String, int, Duration)}, connecting from {@code from}. */
    static Duration awaitLogin(InetAddress from, int port, String user, String password, int expected, Duration limit)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (true) {
            int code = tryLogin(from, port, user, password);
            if (code == expected) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(100);
        }
    }

    static void disconnect(FTPClient ftp) {
        if (ftp.isConnected()) {
            try {
                ftp.disconnect();
            } catch (IOException e) {
                // going anyway
            }
        }
    }

    /** The body of {@code http://127.0.0.1:PORT/PATH} and its status, as "STATUS\nBODY". */
    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The metrics port a node printed ({@code jftpd: metrics on http://HOST:PORT/metrics}). */
    static int metricsPort(JftpdProcess node) throws InterruptedException {
        Matcher m = node.awaitStderr(Pattern.compile("jftpd: metrics on http://\\S+:(\\d+)/metrics"), Duration.ofSeconds(30));
        if (m == null) {
            throw new AssertionError("no metrics line in:\n" + node.stderr());
        }
        return Integer.parseInt(m.group(1));
    }

    /** The value of one series in Prometheus text format (name with its labels, as printed), or 0 when absent. */
    static double metric(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }

    /** Sockets bound to one local address, for control and (passive) data connections alike. */
    private static final class FromAddress extends SocketFactory {
        private final InetAddress from;

        FromAddress(InetAddress from) {
            this.from = from;
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(from, 0));
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(host, port), 20_000);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(host, port), 20_000);
            return socket;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return createSocket(address, port);
        }
    }
}
