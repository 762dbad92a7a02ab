package dev.jftp.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code --tls-self-signed}, made once and kept as {@code cert.pem} and
 * {@code key.pem} in a directory.
 *
 * <p>The JDK has no public API that makes certificates, but it ships one well-tested tool that
 * does: {@code keytool -genkeypair} of the running JDK makes the key pair and certificate in a
 * throw-away PKCS#12 store, from which the key and certificate are written out as PEM files. No
 * third-party crypto library is needed, and the files are plain PEM that other tools (and
 * {@code --tls-cert/--tls-key}) read too.
 */
public final class SelfSignedCertificate {
    public static final String CERTIFICATE_FILE = "cert.pem";
    public static final String KEY_FILE = "key.pem";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private SelfSignedCertificate() {
    }

    /** The files in {@code directory}; whether they were made now. */
    public record PemPair(Path certificate, Path key, boolean created) {
    }

    /**
     * The certificate and key in {@code directory}, made first if neither exists.
     *
     * @param hostNames names and addresses the certificate is for, besides localhost, 127.0.0.1 and ::1
     */
    public static PemPair ensure(Path directory, List<String> hostNames) throws IOException {
        Path certificate = directory.resolve(CERTIFICATE_FILE);
        Path key = directory.resolve(KEY_FILE);
        boolean haveCertificate = Files.exists(certificate);
        boolean haveKey = Files.exists(key);
        if (haveCertificate && haveKey) {
            return new PemPair(certificate, key, false);
        }
        if (haveCertificate || haveKey) {
            throw new IOException(directory + " holds only one of " + CERTIFICATE_FILE + " and " + KEY_FILE
                    + "; remove it to have a new pair made");
        }
        Files.createDirectories(directory);
        generate(directory, certificate, key, hostNames);
        return new PemPair(certificate, key, true);
    }

    private static void generate(Path directory, Path certificate, Path key, List<String> hostNames) throws IOException {
        Path keytool = keytool();
        Path work = Files.createTempDirectory(directory, ".keytool-");
        Path store = work.resolve("store.p12");
        char[] password = randomPassword();
        try {
            List<String> san = new ArrayList<>(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"));
            for (String name : hostNames) {
                String entry = name.matches("[0-9.]+|.*:.*") ? "ip:" + name : "dns:" + name;
                if (!san.contains(entry) && name.matches("[A-Za-z0-9.:-]+")) {
                    san.add(entry);
                }
            }
            // P-256 ECDSA: every TLS 1.2/1.3 client speaks it, and it is made in milliseconds.
            ProcessBuilder builder = new ProcessBuilder(keytool.toString(), "-genkeypair", "-noprompt",
                    "-alias", "jftpd", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-validity", "3650", "-dname", "CN=jftpd self-signed",
                    "-ext", "SAN=" + String.join(",", san), "-ext", "BC=ca:false",
                    "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass:env", "JFTPD_STORE_PASSWORD", "-keypass:env", "JFTPD_STORE_PASSWORD")
                    .redirectErrorStream(true);
            builder.environment().put("JFTPD_STORE_PASSWORD", new String(password));
            Process process = builder.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0 || !Files.exists(store)) {
                throw new IOException("keytool failed (exit " + process.exitValue() + "): " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, password);
            }
            PrivateKey privateKey = (PrivateKey) keyStore.getKey("jftpd", password);
            X509Certificate cert = (X509Certificate) keyStore.getCertificate("jftpd");
            writePrivate(work.resolve(KEY_FILE), PemFiles.privateKeyPem(privateKey));
            Files.writeString(work.resolve(CERTIFICATE_FILE), PemFiles.certificatePem(cert), StandardCharsets.US_ASCII);
            // The key first: a certificate alone is never taken for a complete pair.
            Files.move(work.resolve(KEY_FILE), key, StandardCopyOption.ATOMIC_MOVE);
            Files.move(work.resolve(CERTIFICATE_FILE), certificate, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read what keytool made: " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** The keytool of the JDK this server runs on. */
    private static Path keytool() throws IOException {
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        for (String name : List.of("keytool", "keytool.exe")) {
            if (Files.isExecutable(bin.resolve(name))) {
                return bin.resolve(name);
            }
        }
        throw new IOException("no keytool in " + bin + " (a JRE without tools?): make a certificate with e.g. "
                + "'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj /CN=jftpd "
                + "-keyout key.pem -out cert.pem' and use --tls-cert cert.pem --tls-key key.pem");
    }

    /** A private key file readable by its owner only, from its creation on (where POSIX permissions exist). */
    private static void writePrivate(Path file, String text) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static char[] randomPassword() {
        SecureRandom random = new SecureRandom();
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return password;
    }
}
