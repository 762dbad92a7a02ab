package dev.jftp.server.ftp.command;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.ftp.session.CommandSpec;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.ftp.session.SessionState;
import dev.jftp.server.storage.StorageCapabilities;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** What the server says about itself: SYST, FEAT/OPTS (RFC 2389), HELP, NOOP, STAT without a path. */
final class InfoCommands {
    private static final List<String> FEATURES = List.of(
            "EPRT", "EPSV", "HASH SHA-256*;SHA-1;SHA-512;MD5", "MDTM", "PASV", "REST STREAM", "SIZE", "TVFS", "UTF8");

    /** FEAT lines of FTPS (RFC 4217 section 6), when TLS is configured. */
    private static final List<String> TLS_FEATURES = List.of("AUTH TLS", "PBSZ", "PROT");

    /**
     * The FEAT lines (RFC 2389) for what works here: MFMT and the UNIX.mode fact only where the
     * storage has them, the FTPS commands only where TLS is configured.
     */
    static List<String> features(StorageCapabilities storage, boolean tls) {
        List<String> features = new ArrayList<>(FEATURES);
        if (tls) {
            features.addAll(TLS_FEATURES);
        }
        if (storage.setModifiedTime()) {
            features.add("MFMT");
        }
        features.add("MLST type*;size*;modify*;perm*;unique*;" + (storage.permissions() ? "UNIX.mode*;" : ""));
        return features;
    }

    private InfoCommands() {
    }

    static void syst(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.SYSTEM_TYPE, "UNIX Type: L8");
    }

    static void feat(FtpSession s, String argument) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("Features:");
        List<String> features = features(s.context().storage().capabilities(), s.context().config().tls().enabled());
        features.sort(null);
        lines.addAll(features);
        lines.add("End");
        s.replyLines(ReplyCode.SYSTEM_STATUS, lines);
    }

    static void opts(FtpSession s, String argument) throws FtpReplyException, IOException {
        String[] words = argument.trim().split("\\s+", 2);
        String option = words[0].toUpperCase(Locale.ROOT);
        String value = words.length > 1 ? words[1].trim() : "";
        switch (option) {
            case "UTF8", "UTF-8" -> {
                // RFC 2640: path names are always UTF-8 here; OFF is accepted but changes nothing.
                s.reply(ReplyCode.OK, "Always in UTF8 mode");
            }
            case "HASH" -> {
                if (value.isEmpty()) {
                    s.reply(ReplyCode.OK, s.state().hashAlgorithm());
                    return;
                }
                String algorithm = HashAlgorithms.named(value).orElseThrow(() ->
                        new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Unknown algorithm; use one of " + HashAlgorithms.names()));
                s.state().setHashAlgorithm(algorithm);
                s.reply(ReplyCode.OK, algorithm);
            }
            case "MLST" -> s.reply(ReplyCode.OK, "MLST OPTS type;size;modify;perm;unique;"
                    + (s.context().storage().capabilities().permissions() ? "UNIX.mode;" : ""));
            default -> throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Option not understood: " + option);
        }
    }

    static void noop(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.OK, "NOOP ok");
    }

    static void help(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (!argument.isBlank()) {
            CommandSpec spec = s.context().commands().get(argument.trim().toUpperCase(Locale.ROOT));
            if (spec == null) {
                throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Unknown command " + argument.trim());
            }
            s.reply(ReplyCode.HELP, "Syntax: " + spec.help());
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("The following commands are recognized:");
        StringBuilder row = new StringBuilder();
        for (String verb : new TreeSet<>(s.context().commands().keySet())) {
            row.append(String.format("%-5s", verb)).append(' ');
            if (row.length() > 60) {
                lines.add(row.toString().stripTrailing());
                row.setLength(0);
            }
        }
        if (!row.isEmpty()) {
            lines.add(row.toString().stripTrailing());
        }
        lines.add("Help OK");
        s.replyLines(ReplyCode.HELP, lines);
    }

    /** STAT without an argument: the session's status (RFC 959 section 4.1.3). */
    static void stat(FtpSession s, String argument) throws IOException {
        SessionState state = s.state();
        List<String> lines = new ArrayList<>();
        lines.add("jftpd status:");
        lines.add("Connected from " + s.clientAddress().getHostAddress());
        lines.add(state.isLoggedIn() ? "Logged in as " + state.user().name() : "Not logged in");
        lines.add("TYPE: " + (state.ascii() ? "ASCII" : "BINARY") + "; STRUcture: File; transfer MODE: Stream");
        lines.add("Idle timeout " + s.context().config().idleTimeout().toSeconds() + " s");
        lines.add(state.tls() == null ? "Control connection not protected" : "Control connection protected by " + state.tls().describe()
                + "; data connections " + (state.protectData() ? "protected (PROT P)" : "clear (PROT C)"));
        lines.add(state.dataChannel() == null ? "No data connection" : "Data connection ready");
        lines.add("End of status");
        s.replyLines(ReplyCode.SYSTEM_STATUS, lines);
    }
}
