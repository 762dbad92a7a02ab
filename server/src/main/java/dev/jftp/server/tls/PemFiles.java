package dev.jftp.server.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files (RFC 7468) of TLS certificates and private keys, read and written with the JDK alone.
 *
 * <p>Keys may be PKCS#8 ({@code PRIVATE KEY}, what {@code openssl genpkey} writes), or the
 * traditional OpenSSL forms: PKCS#1 RSA ({@code RSA PRIVATE KEY}, RFC 8017 appendix A.1.2) and SEC 1
 * EC ({@code EC PRIVATE KEY}, RFC 5915). The JDK reads only PKCS#8, so the traditional forms are
 * wrapped into a PKCS#8 structure (RFC 5208 section 5) first. Encrypted keys are refused with a hint.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption, RFC 8017 appendix A.1. */
    private static final byte[] OID_RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, RFC 5480 section 2.1.1. */
    private static final byte[] OID_EC_PUBLIC_KEY = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemFiles() {
    }

    /** The certificate chain in {@code file}, the server's own certificate first. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file)) {
                if (block.type().equals("CERTIFICATE")) {
                    for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(block.der()))) {
                        chain.add((X509Certificate) c);
                    }
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(file + ": no '-----BEGIN CERTIFICATE-----' block");
        }
        return chain;
    }

    /**
     * The private key in {@code file}, of the algorithm of {@code certificate}'s public key, checked
     * to belong to that certificate.
     */
    public static PrivateKey readPrivateKey(Path file, X509Certificate certificate) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IOException(file + ": the key is encrypted; jftpd needs it unencrypted"
                    + " (e.g. 'openssl pkey -in " + file + " -out plain.pem', then keep plain.pem readable only by jftpd)");
        }
        PublicKey publicKey = certificate.getPublicKey();
        for (Block block : blocks(file)) {
            byte[] pkcs8 = switch (block.type()) {
                case "PRIVATE KEY" -> block.der();
                case "RSA PRIVATE KEY" -> pkcs8(algorithmIdentifier(OID_RSA, der(0x05, new byte[0])), block.der());
                case "EC PRIVATE KEY" -> pkcs8(algorithmIdentifier(OID_EC_PUBLIC_KEY, namedCurve(file, block.der())), block.der());
                default -> null;
            };
            if (pkcs8 == null) {
                continue;
            }
            PrivateKey key;
            try {
                key = KeyFactory.getInstance(publicKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (InvalidKeySpecException e) {
                throw new IOException(file + ": not a private key of the certificate's type (" + publicKey.getAlgorithm() + "): " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IOException(file + ": cannot read the key: " + e.getMessage(), e);
            }
            if (!belongTogether(key, publicKey)) {
                throw new IOException(file + ": this private key does not belong to the certificate");
            }
            return key;
        }
        throw new IOException(file + ": no '-----BEGIN PRIVATE KEY-----', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' block");
    }

    /** Writes {@code certificate} as one PEM block. */
    public static String certificatePem(X509Certificate certificate) throws CertificateException {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    /** Writes {@code key} as a PKCS#8 PEM block. */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).strip())));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": broken base64 in the " + m.group(1) + " block", e);
            }
        }
        return blocks;
    }

    /** Proves the pair by a signature, for the algorithms a TLS server certificate has. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) throws IOException {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> publicKey.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // e.g. RSASSA-PSS: the TLS handshake itself will fail on a wrong key
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check the private key against the certificate: " + e.getMessage(), e);
        }
    }

    // ---- the little DER (X.690) needed to wrap traditional keys into PKCS#8 ----

    /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING }. */
    private static byte[] pkcs8(byte[] algorithmIdentifier, byte[] traditionalKey) {
        return der(0x30, concat(der(0x02, new byte[] {0}), algorithmIdentifier, der(0x04, traditionalKey)));
    }

    private static byte[] algorithmIdentifier(byte[] oid, byte[] parameters) {
        return der(0x30, concat(der(0x06, oid), parameters));
    }

    /**
     * The curve OID of a SEC 1 key: ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
     * parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL } (RFC 5915 section 3).
     */
    private static byte[] namedCurve(Path file, byte[] sec1) throws IOException {
        DerReader outer = new DerReader(sec1);
        DerReader fields = new DerReader(outer.expect(0x30));
        fields.expect(0x02);
        fields.expect(0x04);
        while (fields.hasMore()) {
            int tag = fields.peekTag();
            byte[] value = fields.next();
            if (tag == 0xa0) {
                DerReader parameters = new DerReader(value);
                if (parameters.peekTag() != 0x06) {
                    break;
                }
                return der(0x06, parameters.expect(0x06));
            }
        }
        throw new IOException(file + ": the EC key names no curve; write it with 'openssl ec -param_enc named_curve'");
    }

    static byte[] der(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Reads a sequence of DER tag-length-value items; only definite lengths (DER has no others). */
    private static final class DerReader {
        private final byte[] data;
        private int position;

        DerReader(byte[] data) {
            this.data = data;
        }

        boolean hasMore() {
            return position < data.length;
        }

        int peekTag() throws IOException {
            if (!hasMore()) {
                throw new IOException("truncated DER");
            }
            return data[position] & 0xff;
        }

        byte[] expect(int tag) throws IOException {
            if (peekTag() != tag) {
                throw new IOException("unexpected DER tag " + peekTag() + ", wanted " + tag);
            }
            return next();
        }

        byte[] next() throws IOException {
            peekTag();
            position++;
            if (!hasMore()) {
                throw new IOException("truncated DER");
            }
            int length = data[position++] & 0xff;
            if (length >= 0x80) {
                int bytes = length & 0x7f;
                if (bytes == 0 || bytes > 3) {
                    throw new IOException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    if (!hasMore()) {
                        throw new IOException("truncated DER");
                    }
                    length = (length << 8) | (data[position++] & 0xff);
                }
            }
            if (length > data.length - position) {
                throw new IOException("truncated DER");
            }
            byte[] value = java.util.Arrays.copyOfRange(data, position, position + length);
            position += length;
            return value;
        }
    }
}
