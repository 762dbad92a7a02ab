package dev.jftp.server.ftps;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The client side of TLS on an FTP data connection, driven by an {@link SSLEngine} over a plain
 * socket: how a Java FTPS client can make its data connections resume the control connection's
 * session with public API only.
 *
 * <p>JSSE's client looks for a session to resume by peer host and port. A layered
 * {@code SSLSocketFactory.createSocket(socket, host, port, autoClose)} uses the real port of the
 * socket under it (the data port), whatever port is passed, so it finds nothing to resume. An
 * engine made with {@link SSLContext#createSSLEngine(String, int)} uses the host and port it is
 * given: give it the control connection's, and it resumes the control connection's session, under
 * TLS 1.2 and 1.3 alike. Under TLS 1.3 each ticket serves once; the server sends a new one after
 * every handshake, so a client reads its data connections to their end (after uploads too) to
 * keep one in store.
 */
final class EngineTlsConnection implements Closeable {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Socket socket;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final SSLEngine engine;
    /** Received, not yet unwrapped TLS bytes; read mode. */
    private ByteBuffer netIn;
    /** Unwrapped application bytes not yet returned; read mode. */
    private ByteBuffer appIn;
    private final ByteBuffer netOut;
    private final byte[] readChunk = new byte[16 * 1024];

    /**
     * @param sessionHost the control connection's host as the control TLS socket was made with
     * @param sessionPort the control connection's port
     */
    EngineTlsConnection(Socket socket, SSLContext context, String sessionHost, int sessionPort, String... protocols) throws IOException {
        this.socket = socket;
        this.rawIn = socket.getInputStream();
        this.rawOut = socket.getOutputStream();
        this.engine = context.createSSLEngine(sessionHost, sessionPort);
        engine.setUseClientMode(true);
        if (protocols.length > 0) {
            engine.setEnabledProtocols(protocols);
        }
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet).flip();
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(packet);
    }

    SSLEngine engine() {
        return engine;
    }

    void handshake() throws IOException {
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
            throw new SSLException("handshake did not finish");
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
        rawOut.write(netOut.array(), 0, netOut.position());
        rawOut.flush();
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        return result;
    }

    /** Unwraps one record, reading from the socket as needed; -1 status CLOSED at end of stream. */
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
                    int n = rawIn.read(readChunk);
                    if (n < 0) {
                        throw new EOFException("connection closed without close_notify");
                    }
                    if (netIn.capacity() - netIn.remaining() < n) {
                        netIn = ByteBuffer.allocate(netIn.remaining() + n + engine.getSession().getPacketBufferSize()).put(netIn).flip();
                    }
                    netIn.compact().put(readChunk, 0, n).flip();
                }
            }
        }
        throw new SSLException("unwrap made no progress");
    }

    /** Reads application bytes; -1 after the server's close_notify. */
    int read(byte[] buffer) throws IOException {
        for (int i = 0; i < 10_000 && !appIn.hasRemaining(); i++) {
            if (engine.isInboundDone()) {
                return -1;
            }
            SSLEngineResult result = unwrap();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED && !appIn.hasRemaining()) {
                return -1;
            }
        }
        int n = Math.min(buffer.length, appIn.remaining());
        appIn.get(buffer, 0, n);
        return n;
    }

    byte[] readAll() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = read(buffer)) >= 0) {
            all.write(buffer, 0, n);
        }
        return all.toByteArray();
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer source = ByteBuffer.wrap(bytes);
        for (int i = 0; source.hasRemaining() && i < 1_000_000; i++) {
            wrap(source);
        }
    }

    /**
     * Sends close_notify, then reads to the server's: that ends an upload cleanly, and under TLS 1.3
     * takes in the ticket the server sent after the handshake.
     */
    void finish() throws IOException {
        engine.closeOutbound();
        for (int i = 0; i < 100 && !engine.isOutboundDone(); i++) {
            wrap(EMPTY);
        }
        byte[] ignored = new byte[4096];
        for (int i = 0; i < 1_000_000 && !engine.isInboundDone(); i++) {
            if (read(ignored) < 0) {
                break;
            }
        }
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
