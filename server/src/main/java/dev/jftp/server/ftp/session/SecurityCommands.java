package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.tls.TlsConfig;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * FTPS, explicit mode (RFC 4217, on the RFC 2228 commands): AUTH, PBSZ, PROT and CCC, and the
 * rules {@code --tls-required} adds to USER; REIN is refused on a TLS connection.
 */
final class SecurityCommands {
    /** RFC 4217 section 4 names TLS; SSL and TLS-C are older names for the same that clients still send. */
    private static final Set<String> MECHANISMS = Set.of("TLS", "SSL", "TLS-C");

    private SecurityCommands() {
    }

    /** FEAT lines (RFC 4217 section 6), when TLS is configured. */
    static List<String> features(FtpSession s) {
        return s.server().config().tls().enabled() ? List.of("AUTH TLS", "PBSZ", "PROT") : List.of();
    }

    static void auth(FtpSession s, String argument) throws FtpReplyException, IOException {
        TlsConfig tls = s.server().config().tls();
        if (!tls.enabled()) {
            throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "AUTH not available: this server has no TLS certificate");
        }
        String mechanism = argument.trim().toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Unknown security mechanism; use AUTH TLS");
        }
        if (s.tls != null) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, "TLS is already in use on this connection");
        }
        s.startTls("AUTH " + mechanism + " ok; start the TLS handshake");
    }

    /** PBSZ (RFC 4217 section 8): TLS is a stream, so the only buffer size is 0. */
    static void pbsz(FtpSession s, String argument) throws FtpReplyException, IOException {
        requireTls(s, "PBSZ");
        if (!argument.trim().matches("[0-9]{1,10}")) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Syntax: PBSZ 0");
        }
        s.protectionBufferSizeSet = true;
        s.reply(ReplyCode.OK, "PBSZ=0");
    }

    /** PROT (RFC 4217 section 9): C for clear data connections, P for TLS ones. */
    static void prot(FtpSession s, String argument) throws FtpReplyException, IOException {
        requireTls(s, "PROT");
        if (!s.protectionBufferSizeSet) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, "Send PBSZ 0 before PROT");
        }
        switch (argument.trim().toUpperCase(Locale.ROOT)) {
            case "P" -> {
                s.protectData = true;
                s.reply(ReplyCode.OK, "Protection level set to Private: data connections use TLS");
            }
            case "C" -> {
                s.protectData = false;
                s.reply(ReplyCode.OK, s.server().config().tls().required()
                        ? "Protection level set to Clear, but this server transfers data only with PROT P"
                        : "Protection level set to Clear");
            }
            case "S", "E" -> throw new FtpReplyException(ReplyCode.PROT_LEVEL_NOT_SUPPORTED, "Only PROT C and PROT P exist with TLS");
            default -> throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Syntax: PROT C|P");
        }
    }

    /** CCC (RFC 2228, RFC 4217): refused, since a clear control connection would expose the rest of the session. */
    static void ccc(FtpSession s, String argument) throws FtpReplyException {
        requireTls(s, "CCC");
        throw new FtpReplyException(ReplyCode.POLICY_DENIED, "CCC refused: the control connection stays protected");
    }

    /** USER: with --tls-required only anonymous may log in on a clear control connection. */
    static void user(FtpSession s, String name) throws FtpReplyException, IOException {
        if (s.tls == null && s.server().config().tls().required() && !s.server().authenticator().isAnonymousName(name)) {
            throw new FtpReplyException(ReplyCode.NOT_LOGGED_IN, "This server needs TLS to log in: send AUTH TLS first");
        }
        AccessCommands.user(s, name);
    }

    /**
     * REIN: RFC 2228 has it reset the security state as well, which for TLS would mean a clear
     * control connection again; like CCC that is not offered, so REIN is refused under TLS.
     */
    static void rein(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (s.tls != null) {
            throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "REIN is not available on a TLS connection; connect again instead");
        }
        AccessCommands.rein(s, argument);
    }

    private static void requireTls(FtpSession s, String verb) throws FtpReplyException {
        if (s.tls == null) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, verb + " needs a TLS control connection: send AUTH TLS first");
        }
    }
}
