package dev.jftp.server.ftp.session;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.server.storage.StorageCapabilities;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** What the server says about itself: SYST, FEAT/OPTS (RFC 2389), HELP, NOOP, STAT. */
final class InfoCommands {
    private static final List<String> FEATURES = List.of(
            "EPRT", "EPSV", "HASH SHA-256*;SHA-1;SHA-512;MD5", "MDTM", "PASV", "REST STREAM", "SIZE", "TVFS", "UTF8");

    /** The FEAT lines (RFC 2389) for what works here: MFMT and the UNIX.mode fact only where the storage has them. */
    static List<String> features(StorageCapabilities storage) {
        List<String> features = new ArrayList<>(FEATURES);
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
        List<String> features = features(s.server().storage().capabilities());
        features.addAll(SecurityCommands.features(s));
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
                    s.reply(ReplyCode.OK, s.hashAlgorithm);
                    return;
                }
                String algorithm = value.toUpperCase(Locale.ROOT);
                if (!FileCommands.HASH_ALGORITHMS.containsKey(algorithm)) {
                    throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Unknown algorithm; use one of " + new TreeSet<>(FileCommands.HASH_ALGORITHMS.keySet()));
                }
                s.hashAlgorithm = algorithm;
                s.reply(ReplyCode.OK, algorithm);
            }
            case "MLST" -> s.reply(ReplyCode.OK, "MLST OPTS type;size;modify;perm;unique;"
                    + (s.server().storage().capabilities().permissions() ? "UNIX.mode;" : ""));
            default -> throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Option not understood: " + option);
        }
    }

    static void noop(FtpSession s, String argument) throws IOException {
        s.reply(ReplyCode.OK, "NOOP ok");
    }

    static void help(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (!argument.isBlank()) {
            CommandSpec spec = s.server().commands().get(argument.trim().toUpperCase(Locale.ROOT));
            if (spec == null) {
                throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Unknown command " + argument.trim());
            }
            s.reply(ReplyCode.HELP, "Syntax: " + spec.help());
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("The following commands are recognized:");
        StringBuilder row = new StringBuilder();
        for (String verb : new TreeSet<>(s.server().commands().keySet())) {
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
    static void stat(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (!argument.isBlank()) {
            if (s.user == null) {
                throw new FtpReplyException(ReplyCode.NOT_LOGGED_IN, "Please log in with USER and PASS first");
            }
            ListingCommands.statPath(s, argument);
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("jftpd status:");
        lines.add("Connected from " + s.clientAddress().getHostAddress());
        lines.add(s.user == null ? "Not logged in" : "Logged in as " + s.user.name());
        lines.add("TYPE: " + (s.ascii ? "ASCII" : "BINARY") + "; STRUcture: File; transfer MODE: Stream");
        lines.add("Idle timeout " + s.server().config().idleTimeout().toSeconds() + " s");
        lines.add(s.tls == null ? "Control connection not protected" : "Control connection protected by " + s.tls.describe()
                + "; data connections " + (s.protectData ? "protected (PROT P)" : "clear (PROT C)"));
        lines.add(s.dataChannel == null ? "No data connection" : "Data connection ready");
        lines.add("End of status");
        s.replyLines(ReplyCode.SYSTEM_STATUS, lines);
    }
}
