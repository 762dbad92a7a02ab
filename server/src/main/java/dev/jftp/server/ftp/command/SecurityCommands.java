package dev.jftp.server.ftp.command;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.tls.TlsConfig;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** FTPS, explicit mode (RFC 4217, on the RFC 2228 commands): AUTH, PBSZ, PROT and CCC. */
final class SecurityCommands {
    /** RFC 4217 section 4 names TLS; SSL and TLS-C are older names for the same that clients still send. */
    private static final Set<String> MECHANISMS = Set.of("TLS", "SSL", "TLS-C");

    private SecurityCommands() {
    }

    static void auth(FtpSession s, String argument) throws FtpReplyException, IOException {
        TlsConfig tls = s.context().config().tls();
        if (!tls.enabled()) {
            throw new FtpReplyException(ReplyCode.NOT_IMPLEMENTED, "AUTH not available: this server has no TLS certificate");
        }
        String mechanism = argument.trim().toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            throw new FtpReplyException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Unknown security mechanism; use AUTH TLS");
        }
        if (s.state().tls() != null) {
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
        s.state().setProtectionBufferSize();
        s.reply(ReplyCode.OK, "PBSZ=0");
    }

    /** PROT (RFC 4217 section 9): C for clear data connections, P for TLS ones. */
    static void prot(FtpSession s, String argument) throws FtpReplyException, IOException {
        requireTls(s, "PROT");
        if (!s.state().protectionBufferSizeSet()) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, "Send PBSZ 0 before PROT");
        }
        switch (argument.trim().toUpperCase(Locale.ROOT)) {
            case "P" -> {
                s.state().setProtectData(true);
                s.reply(ReplyCode.OK, "Protection level set to Private: data connections use TLS");
            }
            case "C" -> {
                s.state().setProtectData(false);
                s.reply(ReplyCode.OK, s.context().config().tls().required()
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

    private static void requireTls(FtpSession s, String verb) throws FtpReplyException {
        if (s.state().tls() == null) {
            throw new FtpReplyException(ReplyCode.BAD_SEQUENCE, verb + " needs a TLS control connection: send AUTH TLS first");
        }
    }
}
