package dev.jftp.protocol.tls;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The client side of TLS on an FTP data connection (RFC 4217 section 7), driven by an
 * {@link SSLEngine} over the blocking data channel, so that the data connection resumes the
 * control connection's TLS session, as vsftpd, ProFTPD, FileZilla Server and jftpd require. The
 * client is the TLS client in active mode too (RFC 4217 section 7).
 *
 * <p>JSSE's client looks for a session to resume by peer host and port. A layered SSLSocket
 * ({@code SSLSocketFactory.createSocket(socket, host, port, autoClose)}) uses the data socket's
 * real port, whatever port is passed, and finds nothing; an engine made with
 * {@link SSLContext#createSSLEngine(String, int)} uses the host and port it is given: the control
 * connection's, so it resumes that session under TLS 1.2 and 1.3 alike, with public API only.
 * Under TLS 1.3 each ticket serves once; jftpd sends a new one on the control connection for each
 * data connection, other servers may send it after the data connection's handshake, so a data
 * connection is read to the server's close_notify (see {@link #finish()}), uploads too.
 */
public final class ClientTlsDataChannel implements ByteChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int MAX_STEPS = 1_000_000;

    private final ByteChannel transport;
    private final SSLEngine engine;
    /** Received, not yet unwrapped TLS bytes; read mode. */
    private ByteBuffer netIn;
    /** Unwrapped application bytes not yet returned; read mode. */
    private ByteBuffer appIn;
    private final ByteBuffer netOut;

    /**
     * @param transport   the data connection, a connected blocking channel (usually a SocketChannel)
     * @param context     the context the control connection's TLS was made with: its session cache
     *                    holds the session to resume
     * @param sessionHost the host the control connection's TLS socket was made with
     * @param sessionPort the control connection's port
     * @param configure   adjusts the engine's parameters (protocols, host name verification)
     */
    public ClientTlsDataChannel(ByteChannel transport, SSLContext context, String sessionHost, int sessionPort,
            Consumer<SSLParameters> configure) {
        this.transport = transport;
        this.engine = context.createSSLEngine(sessionHost, sessionPort);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        configure.accept(parameters);
        engine.setSSLParameters(parameters);
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet).flip();
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(packet);
    }

    /** The TLS session in use; after {@link #handshake()}. */
    public SSLSession session() {
        return engine.getSession();
    }

    public void handshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        for (int step = 0; step < 1000 && status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING; step++) {
            status = switch (status) {
                case NEED_WRAP -> wrap(EMPTY).getHandshakeStatus();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap().getHandshakeStatus();
                case NEED_TASK -> runTasks();
                default -> throw new SSLException("unexpected handshake status " + status);
            };
        }
        if (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
            throw new SSLException("the data connection's TLS handshake did not finish");
        }
    }

    private HandshakeStatus runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    private SSLEngineResult wrap(ByteBuffer source) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(source, netOut);
        if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.CLOSED) {
            throw new SSLException("wrap: " + result);
        }
        netOut.flip();
        for (int i = 0; netOut.hasRemaining() && i < MAX_STEPS; i++) {
            transport.write(netOut);
        }
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        return result;
    }

    /** Unwraps one record, reading from the transport as needed. */
    private SSLEngineResult unwrap() throws IOException {
        for (int i = 0; i < 10_000; i++) {
            ByteBuffer target = appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, target);
            } finally {
                appIn = target.flip();
            }
            switch (result.getStatus()) {
                case OK, CLOSED -> {
                    if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    return result;
                }
                case BUFFER_OVERFLOW -> appIn = ByteBuffer.allocate(appIn.capacity() * 2).put(appIn).flip();
                case BUFFER_UNDERFLOW -> {
                    if (netIn.capacity() - netIn.remaining() < engine.getSession().getPacketBufferSize()) {
                        netIn = ByteBuffer.allocate(netIn.remaining() + 2 * engine.getSession().getPacketBufferSize()).put(netIn).flip();
                    }
                    netIn.compact();
                    int n;
                    try {
                        n = transport.read(netIn);
                    } finally {
                        netIn.flip();
                    }
                    if (n < 0) {
                        throw new EOFException("the data connection closed without TLS close_notify (truncated)");
                    }
                }
            }
        }
        throw new SSLException("unwrap made no progress");
    }

    /** Reads application bytes; -1 after the server's close_notify. */
    @Override
    public int read(ByteBuffer target) throws IOException {
        for (int i = 0; i < 10_000 && !appIn.hasRemaining(); i++) {
            if (engine.isInboundDone()) {
                return -1;
            }
            SSLEngineResult result = unwrap();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED && !appIn.hasRemaining()) {
                return -1;
            }
        }
        int n = Math.min(target.remaining(), appIn.remaining());
        ByteBuffer slice = appIn.slice(appIn.position(), n);
        target.put(slice);
        appIn.position(appIn.position() + n);
        return n;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        int before = source.remaining();
        for (int i = 0; source.hasRemaining() && i < MAX_STEPS; i++) {
            wrap(source);
        }
        return before - source.remaining();
    }

    /**
     * Ends the data connection cleanly: sends close_notify (for an upload, the end of the file),
     * then reads to the server's, which under TLS 1.3 also takes in the ticket for the next one.
     */
    public void finish() throws IOException {
        engine.closeOutbound();
        for (int i = 0; i < 100 && !engine.isOutboundDone(); i++) {
            wrap(EMPTY);
        }
        ByteBuffer ignored = ByteBuffer.allocate(4096);
        for (int i = 0; i < MAX_STEPS && !engine.isInboundDone(); i++) {
            ignored.clear();
            if (read(ignored) < 0) {
                break;
            }
        }
        transport.close();
    }

    @Override
    public boolean isOpen() {
        return transport.isOpen();
    }

    /** Closes the transport at once (a cancel, a cut): no close_notify. */
    @Override
    public void close() throws IOException {
        transport.close();
    }
}
