package dev.jftp.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The server's TLS identity (certificate and key) and how its TLS connections are set up: TLS 1.2
 * and 1.3 only (RFC 8996 retired the older versions), the JDK's default cipher suites, and every
 * handshake bounded in time.
 *
 * <p>Each control connection gets an {@link SSLContext} of its own ({@link TlsSession}), sharing
 * the key. JSSE keeps session caches and session-ticket keys per SSLContext, so a data connection
 * can resume only a session made on its own control connection; see {@link TlsSession}.
 */
public final class TlsContext {
    static {
        // A TLS stream that ends without close_notify may have been cut short by an attacker's
        // TCP FIN (RFC 8446 section 6.1): an upload must not be committed then. JSSE takes such an
        // end for a normal one unless this is set, JVM-wide, before its first socket; the first
        // TLS socket jftpd makes comes from this class. curl, lftp, Python and Commons Net all send
        // close_notify at the end of an upload.
        if (System.getProperty("com.sun.net.ssl.requireCloseNotify") == null) {
            System.setProperty("com.sun.net.ssl.requireCloseNotify", "true");
        }
    }

    /** The versions offered, newest first. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final KeyManager[] keyManagers;
    private final X509Certificate certificate;
    /** One DRBG for all connections: seeding one per connection would cost entropy and time. */
    private final SecureRandom random = new SecureRandom();

    private TlsContext(KeyManager[] keyManagers, X509Certificate certificate) {
        this.keyManagers = keyManagers;
        this.certificate = certificate;
    }

    /** A context serving {@code key} with its certificate {@code chain} (own certificate first). */
    public static TlsContext of(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = "in-memory".toCharArray(); // the store never leaves this process
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot make an in-memory key store", e);
        }
        store.setKeyEntry("jftpd", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        TlsContext context = new TlsContext(factory.getKeyManagers(), chain.get(0));
        context.newSslContext(); // fail now, at start, rather than on the first AUTH
        return context;
    }

    /** A context from PEM files (see {@link PemFiles} for the key formats). */
    public static TlsContext fromPem(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile, chain.get(0));
        try {
            return of(key, chain);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + certificateFile + " and " + keyFile + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The SHA-256 fingerprint of the certificate, as {@code openssl x509 -fingerprint -sha256} shows it. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 of the certificate", e);
        }
    }

    /**
     * Runs the server side of the TLS handshake on a connected control socket: after the 234 reply
     * to AUTH (RFC 4217 section 4), or at once for implicit FTPS.
     *
     * @param readAhead bytes already read from {@code plain} past the AUTH line (normally none)
     * @throws IOException when the handshake fails or does not finish within {@code timeout}
     */
    public TlsSession startControl(Socket plain, byte[] readAhead, Duration timeout) throws IOException {
        return startControl(plain, readAhead, timeout, true);
    }

    /**
     * As {@link #startControl(Socket, byte[], Duration)}; {@code dataMustResume} false lets this
     * connection's data connections make TLS sessions of their own (see {@link TlsSession}).
     */
    public TlsSession startControl(Socket plain, byte[] readAhead, Duration timeout, boolean dataMustResume) throws IOException {
        SSLContext context;
        try {
            context = newSslContext();
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS unavailable: " + e.getMessage(), e);
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain,
                readAhead.length == 0 ? null : new ByteArrayInputStream(readAhead), true);
        configure(socket);
        handshake(socket, plain, timeout);
        return new TlsSession(context, socket, dataMustResume);
    }

    private SSLContext newSslContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        // No trust managers: the server asks for no client certificates (and so loads no CA store).
        context.init(keyManagers, new TrustManager[0], random);
        return context;
    }

    static void configure(SSLSocket socket) {
        socket.setUseClientMode(false);
        socket.setEnabledProtocols(PROTOCOLS);
    }

    /**
     * {@link SSLSocket#startHandshake()} within {@code timeout} in all: each read is bounded by the
     * socket timeout, and a watchdog closes the socket of a peer that trickles bytes slower still.
     * The socket's own timeout is restored afterwards.
     */
    static void handshake(SSLSocket socket, Socket plain, Duration timeout) throws IOException {
        int previousTimeout = plain.getSoTimeout();
        AtomicBoolean decided = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().name("tls-handshake-watchdog").start(() -> {
            try {
                Thread.sleep(timeout);
            } catch (InterruptedException finished) {
                return;
            }
            if (decided.compareAndSet(false, true)) {
                try {
                    plain.close();
                } catch (IOException e) {
                    // closing is all we wanted; the handshake fails with its own exception
                }
            }
        });
        try {
            plain.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            socket.startHandshake();
        } catch (IOException e) {
            if (decided.getAndSet(true) || e instanceof SocketTimeoutException) {
                throw new SocketTimeoutException("TLS handshake not finished within " + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
        if (decided.getAndSet(true)) {
            throw new SocketTimeoutException("TLS handshake not finished within " + timeout.toMillis() + " ms");
        }
        plain.setSoTimeout(previousTimeout);
    }
}
