package dev.jftp.server.sftp;

import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.OptionalFeature;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;

/**
 * The SSH algorithms jftpd offers, strongest first, and nothing older: key exchange over
 * Curve25519 or NIST curves (with the post-quantum hybrids OpenSSH 9 and 10 prefer), the AEAD
 * ciphers and AES-CTR, SHA-2 MACs (encrypt-then-MAC first), and host and user key signatures with
 * SHA-2 only (no {@code ssh-rsa}, which signs with SHA-1; no DSA). The README lists them as
 * {@code ssh -Q} does; {@code SshAlgorithmsReadmeTest} checks that list against this class.
 */
public final class SshAlgorithms {
    /** Key exchange (RFC 8731 curve25519, RFC 5656 ECDH, and the hybrids); no finite-field Diffie-Hellman. */
    static final List<BuiltinDHFactories> KEY_EXCHANGE = List.of(
            BuiltinDHFactories.mlkem768x25519,
            BuiltinDHFactories.sntrup761x25519_openssh,
            BuiltinDHFactories.sntrup761x25519,
            BuiltinDHFactories.curve25519,
            BuiltinDHFactories.curve25519_libssh,
            BuiltinDHFactories.ecdhp256,
            BuiltinDHFactories.ecdhp384,
            BuiltinDHFactories.ecdhp521);

    /** Ciphers: ChaCha20-Poly1305 and AES-GCM (authenticated), then AES-CTR; no CBC, no RC4, no 3DES. */
    static final List<BuiltinCiphers> CIPHERS = List.of(
            BuiltinCiphers.cc20p1305_openssh,
            BuiltinCiphers.aes128gcm,
            BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr,
            BuiltinCiphers.aes192ctr,
            BuiltinCiphers.aes256ctr);

    /** MACs for the CTR ciphers (the AEAD ciphers bring their own): SHA-2 only, encrypt-then-MAC first. */
    static final List<BuiltinMacs> MACS = List.of(
            BuiltinMacs.hmacsha256etm,
            BuiltinMacs.hmacsha512etm,
            BuiltinMacs.hmacsha256,
            BuiltinMacs.hmacsha512);

    /**
     * Signatures, for the host key and for users' keys: what {@code server-sig-algs} announces.
     * Ed25519 needs Bouncy Castle on the class path (MINA does not use the JDK's Ed25519).
     */
    static final List<BuiltinSignatures> SIGNATURES = List.of(
            BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256,
            BuiltinSignatures.nistp384,
            BuiltinSignatures.nistp521,
            BuiltinSignatures.rsaSHA512,
            BuiltinSignatures.rsaSHA256);

    private SshAlgorithms() {
    }

    /** Makes {@code server} offer these algorithms only (any this JVM lacks is left out). */
    static void apply(SshServer server) {
        server.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false, KEY_EXCHANGE, ServerBuilder.DH2KEX));
        server.setCipherFactories(supported(CIPHERS));
        server.setMacFactories(supported(MACS));
        server.setSignatureFactories(supported(SIGNATURES));
        // Compression costs CPU on both sides for data that is mostly compressed already.
        server.setCompressionFactories(List.of(BuiltinCompressions.none));
    }

    private static <T, F extends NamedFactory<T> & OptionalFeature> List<NamedFactory<T>> supported(List<F> factories) {
        List<NamedFactory<T>> result = new ArrayList<>();
        for (F factory : factories) {
            if (factory.isSupported()) {
                result.add(factory);
            }
        }
        return result;
    }

    /** The names offered in each category, as {@code ssh -Q kex|cipher|mac|key-sig} would print them. */
    public static List<String> offered(SshServer server, String category) {
        List<? extends NamedResource> factories = switch (category) {
            case "kex" -> server.getKeyExchangeFactories();
            case "cipher" -> server.getCipherFactories();
            case "mac" -> server.getMacFactories();
            case "key-sig" -> server.getSignatureFactories();
            default -> throw new IllegalArgumentException("no such category: " + category);
        };
        return NamedResource.getNameList(factories);
    }
}
