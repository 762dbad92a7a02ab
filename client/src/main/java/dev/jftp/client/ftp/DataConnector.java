package dev.jftp.client.ftp;

import dev.jftp.protocol.HostPort;
import dev.jftp.protocol.ReplyCode;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Sets up data connections. Passive: EPSV (RFC 2428 section 3), falling back to PASV (RFC 959)
 * when the server does not know EPSV; the data connection goes to the control connection's
 * address, whatever address a 227 reply names (as curl does: a server behind NAT often names a
 * private one, and connecting elsewhere would make us a bounce tool). Active: EPRT (RFC 2428
 * section 2), falling back to PORT, and only the server's own address may connect.
 */
final class DataConnector {
    /** Stray connections to our active-mode port are refused, up to this many. */
    private static final int MAX_STRAY_CONNECTIONS = 5;

    private final Duration connectTimeout;
    private final Consumer<String> notes;
    private boolean passive;
    private boolean epsvRefused;
    private boolean eprtRefused;

    DataConnector(boolean passive, Duration connectTimeout, Consumer<String> notes) {
        this.passive = passive;
        this.connectTimeout = connectTimeout;
        this.notes = notes;
    }

    boolean isPassive() {
        return passive;
    }

    void setPassive(boolean on) {
        passive = on;
    }

    /** A data connection being set up; {@link #open(Duration)} is called after the 1xx reply. */
    interface DataLink extends Closeable {
        SocketChannel open(Duration timeout) throws IOException;

        @Override
        void close();
    }

    /** Sends EPSV/PASV or EPRT/PORT; for passive mode also connects. */
    DataLink prepare(ControlConnection control) throws IOException {
        return passive ? preparePassive(control) : prepareActive(control);
    }

    private DataLink preparePassive(ControlConnection control) throws IOException {
        InetAddress server = control.remoteAddress();
        if (!epsvRefused) {
            Reply reply = control.command("EPSV");
            if (reply.is(ReplyCode.ENTERING_EXTENDED_PASSIVE)) {
                int port;
                try {
                    port = HostPort.parseEpsvReply(reply.message());
                } catch (IllegalArgumentException e) {
                    throw new FtpException(reply);
                }
                return connected(server, port);
            }
            if (!reply.isNotSupported() && !reply.is(ReplyCode.BAD_ARGUMENTS) && !reply.is(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED)) {
                throw new FtpException(reply);
            }
            epsvRefused = true;
            notes.accept("EPSV refused (" + reply + "); using PASV");
        }
        if (!(server instanceof Inet4Address)) {
            throw new IOException("the server offers neither EPSV nor, over IPv6, PASV");
        }
        Reply reply = control.command("PASV");
        if (!reply.is(ReplyCode.ENTERING_PASSIVE)) {
            throw new FtpException(reply);
        }
        InetSocketAddress announced;
        try {
            announced = HostPort.parseSixNumbers(reply.message());
        } catch (IllegalArgumentException e) {
            throw new FtpException(reply);
        }
        if (!announced.getAddress().equals(server)) {
            notes.accept("PASV names " + announced.getAddress().getHostAddress() + "; connecting to "
                    + server.getHostAddress() + " instead");
        }
        return connected(server, announced.getPort());
    }

    private DataLink connected(InetAddress address, int port) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot open the data connection to " + address.getHostAddress() + " port " + port + ": " + e.getMessage(), e);
        }
        return new DataLink() {
            @Override
            public SocketChannel open(Duration timeout) {
                return channel;
            }

            @Override
            public void close() {
                closeQuietly(channel);
            }
        };
    }

    private DataLink prepareActive(ControlConnection control) throws IOException {
        InetAddress local = control.localAddress();
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(local, 0), 1);
            int port = listener.socket().getLocalPort();
            boolean announced = false;
            if (!eprtRefused) {
                Reply reply = control.command("EPRT " + HostPort.formatExtended(local, port));
                if (reply.isCompletion()) {
                    announced = true;
                } else if (reply.isNotSupported() || reply.is(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED)) {
                    eprtRefused = true;
                    notes.accept("EPRT refused (" + reply + "); using PORT");
                } else {
                    throw new FtpException(reply);
                }
            }
            if (!announced) {
                if (!(local instanceof Inet4Address)) {
                    throw new IOException("the server offers neither EPRT nor, over IPv6, PORT");
                }
                Reply reply = control.command("PORT " + HostPort.formatSixNumbers(local, port));
                if (!reply.isCompletion()) {
                    throw new FtpException(reply);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(listener);
            throw e;
        }
        InetAddress server = control.remoteAddress();
        return new DataLink() {
            @Override
            public SocketChannel open(Duration timeout) throws IOException {
                listener.socket().setSoTimeout((int) Math.max(1, timeout.toMillis()));
                for (int stray = 0; stray <= MAX_STRAY_CONNECTIONS; stray++) {
                    Socket socket;
                    try {
                        socket = listener.socket().accept();
                    } catch (SocketTimeoutException e) {
                        throw new IOException("the server did not open the data connection within " + timeout.toSeconds() + " s", e);
                    }
                    if (socket.getInetAddress().equals(server)) {
                        return socket.getChannel();
                    }
                    notes.accept("refused a data connection from " + socket.getInetAddress().getHostAddress());
                    socket.close();
                }
                throw new IOException("too many data connections from strangers");
            }

            @Override
            public void close() {
                closeQuietly(listener);
            }
        };
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // releasing a socket we no longer need: nothing to report
        }
    }
}
