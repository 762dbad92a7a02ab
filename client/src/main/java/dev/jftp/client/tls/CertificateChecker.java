package dev.jftp.client.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides whether to trust a server's certificate: first the JDK's trust store and the host name
 * (the socket or engine carries endpoint identification "HTTPS"); failing that, the fingerprint
 * stored in known_hosts for this host and port; failing that, the person is asked, once, and a
 * "yes" is stored. A certificate that differs from the stored one is refused without a question,
 * as ssh does: it may be a man in the middle.
 */
public final class CertificateChecker extends X509ExtendedTrustManager {
    /** Asks the person a yes/no question; null when there is nobody to ask. */
    @FunctionalInterface
    public interface Question {
        String ask(String prompt) throws IOException;
    }

    private final X509ExtendedTrustManager system;
    private final KnownHosts knownHosts;
    private final String host;
    private final int port;
    private final Question question;
    private final java.io.PrintWriter err;
    /** Accepted in this run (also when asked again for a data connection's full handshake). */
    private volatile String accepted;

    /**
     * @param question asks the person; null in batch mode or without a terminal: unknown certificates are refused
     */
    public CertificateChecker(KnownHosts knownHosts, String host, int port, Question question, java.io.PrintWriter err) {
        this.system = systemTrustManager();
        this.knownHosts = knownHosts;
        this.host = host;
        this.port = port;
        this.question = question;
        this.err = err;
    }

    /** An SSLContext that checks server certificates with a {@link CertificateChecker}. */
    public static SSLContext context(CertificateChecker checker) {
        return contextWith(checker);
    }

    /** An SSLContext that trusts every certificate: --insecure. */
    public static SSLContext insecureContext() {
        return contextWith(new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        });
    }

    private static SSLContext contextWith(TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    private static X509ExtendedTrustManager systemTrustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the JDK's trust store", e);
        }
        throw new IllegalStateException("the JDK's trust store has no X.509 trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            system.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            checkKnown(chain, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            system.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            checkKnown(chain, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            system.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            checkKnown(chain, e);
        }
    }

    private void checkKnown(X509Certificate[] chain, CertificateException why) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw why;
        }
        String fingerprint = KnownHosts.fingerprint(chain[0]);
        if (fingerprint.equals(accepted)) {
            return;
        }
        try {
            String known = knownHosts.lookup(host, port);
            if (known != null) {
                if (known.equalsIgnoreCase(fingerprint)) {
                    accepted = fingerprint;
                    return;
                }
                throw new CertificateException("THE CERTIFICATE OF " + host + ":" + port + " HAS CHANGED: it may be a man in the middle. "
                        + "Its SHA-256 fingerprint is now " + fingerprint + ", " + knownHosts.file() + " has " + known
                        + ". If the server really has a new certificate, remove that line.");
            }
            String problem = why.getMessage();
            if (question == null) {
                throw new CertificateException("The certificate of " + host + ":" + port + " is not trusted (" + problem
                        + ") and not in " + knownHosts.file() + ". SHA-256 fingerprint: " + fingerprint
                        + ". Connect once on a terminal to accept it, or use --insecure.");
            }
            err.println("The certificate of " + host + ":" + port + " is not trusted: " + problem);
            err.println("Subject: " + chain[0].getSubjectX500Principal().getName());
            err.println("SHA-256 fingerprint: " + fingerprint);
            err.flush();
            for (int tries = 0; tries < 3; tries++) {
                String answer = question.ask("Accept this certificate and remember it (yes/no)? ");
                if (answer == null || answer.strip().equalsIgnoreCase("no")) {
                    break;
                }
                if (answer.strip().equalsIgnoreCase("yes")) {
                    knownHosts.add(host, port, fingerprint);
                    accepted = fingerprint;
                    err.println("Added " + host + ":" + port + " to " + knownHosts.file() + ".");
                    err.flush();
                    return;
                }
                err.println("Please type 'yes' or 'no'.");
                err.flush();
            }
            throw new CertificateException("The certificate of " + host + ":" + port + " was not accepted.");
        } catch (IOException e) {
            throw new CertificateException("cannot read or write " + knownHosts.file() + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("jftp checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("jftp checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("jftp checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return system.getAcceptedIssuers();
    }
}
