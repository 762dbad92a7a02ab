package dev.jftp.server.ftp.command;

import dev.jftp.protocol.ReplyCode;
import dev.jftp.protocol.listing.ListingFormat;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.User;
import dev.jftp.server.ftp.data.DataConnection;
import dev.jftp.server.ftp.session.FtpReplyException;
import dev.jftp.server.ftp.session.FtpSession;
import dev.jftp.server.ftp.session.SessionState;
import dev.jftp.server.storage.FileEntry;
import dev.jftp.server.storage.VirtualPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Directory listings: LIST and NLST (RFC 959), MLSD (RFC 3659 section 7) over the data connection,
 * and MLST (RFC 3659 section 7) and STAT path over the control connection. Listings stream from the
 * directory to the socket, so a
 * directory of any size is listed in constant memory. Wildcards are allowed in the last segment only
 * (as vsftpd does), which bounds the work to one directory read.
 */
final class ListingCommands {
    /** STAT path goes over the control connection; its size is bounded. */
    static final int STAT_LINE_LIMIT = 10_000;

    private ListingCommands() {
    }

    /** What a LIST/NLST argument asks for: options such as "-la", a path, and maybe a wildcard. */
    record ListingRequest(boolean all, String path, VirtualPath directory, GlobPattern glob, String displayPrefix) {
    }

    static ListingRequest parse(FtpSession s, String argument) throws FtpReplyException {
        return parse(s.state().cwd(), argument);
    }

    /** Parses a LIST/NLST argument given in the working directory {@code cwd}. */
    static ListingRequest parse(VirtualPath cwd, String argument) throws FtpReplyException {
        boolean all = false;
        String rest = argument.strip();
        // Tolerate "ls" options (-a, -l, -la, -F...) that clients send: they start with '-'.
        while (rest.startsWith("-")) {
            int space = rest.indexOf(' ');
            String options = space < 0 ? rest : rest.substring(0, space);
            if (options.indexOf('a') >= 0 || options.indexOf('A') >= 0) {
                all = true;
            }
            rest = space < 0 ? "" : rest.substring(space + 1).stripLeading();
        }
        if (rest.isEmpty()) {
            return new ListingRequest(all, "", cwd, null, "");
        }
        int slash = rest.lastIndexOf('/');
        String last = rest.substring(slash + 1);
        if (GlobPattern.isGlob(last)) {
            String dirPart = slash < 0 ? "" : rest.substring(0, slash + 1);
            VirtualPath dir = dirPart.isEmpty() ? cwd : resolve(cwd, dirPart);
            try {
                return new ListingRequest(all || last.startsWith("."), rest, dir, GlobPattern.compile(last), dirPart);
            } catch (IllegalArgumentException e) {
                throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Bad pattern: " + e.getMessage());
            }
        }
        return new ListingRequest(all, rest, resolve(cwd, rest), null, "");
    }

    private static VirtualPath resolve(VirtualPath cwd, String path) throws FtpReplyException {
        try {
            return cwd.resolve(path);
        } catch (VirtualPath.InvalidPathException e) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, "Bad path: " + e.getMessage());
        }
    }

    static void list(FtpSession s, String argument) throws FtpReplyException, IOException {
        listing(s, argument, false);
    }

    static void nlst(FtpSession s, String argument) throws FtpReplyException, IOException {
        listing(s, argument, true);
    }

    private static void listing(FtpSession s, String argument, boolean namesOnly) throws FtpReplyException, IOException {
        s.state().require(Permission.READ);
        ListingRequest request = parse(s, argument);
        Instant now = Instant.now();
        EntrySource source = source(s, request, argument);
        ListingFormat.DateColumn dates = new ListingFormat.DateColumn(now);
        send(s, "file list", source, request, e -> namesOnly
                ? ListingFormat.printable(request.displayPrefix() + e.name())
                : ListingFormat.longLine(e, now, dates));
    }

    /** Streams one line per entry over the data connection, each ended by CRLF. */
    private static void send(FtpSession s, String description, EntrySource source, ListingRequest request,
            java.util.function.Function<FileEntry, String> format) throws FtpReplyException, IOException {
        s.transfers().transfer(description, (connection, progress) -> {
            try (DataConnection.LineOutput out = connection.lineOutput()) {
                long[] count = {0};
                source.each(request, e -> {
                    String line = format.apply(e);
                    out.line(line);
                    progress.add(line.length() + 2);
                    count[0]++;
                });
                out.flush();
                return count[0];
            }
        });
    }

    static void mlsd(FtpSession s, String argument) throws FtpReplyException, IOException {
        SessionState state = s.state();
        state.require(Permission.READ);
        VirtualPath dir = argument.isEmpty() ? state.cwd() : state.resolve(argument);
        FileEntry entry;
        try {
            entry = state.files().stat(dir);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument);
        }
        if (!entry.isDirectory()) {
            throw new FtpReplyException(ReplyCode.BAD_ARGUMENTS, argument + ": not a directory (use MLST for a file)");
        }
        ListingRequest request = new ListingRequest(true, argument, dir, null, "");
        EntrySource source = source(s, request, argument);
        User user = state.user();
        send(s, "MLSD", source, request, e -> ListingFormat.factsLine(e, perm(user, e), e.name()));
    }

    /** MLST [path] (RFC 3659 section 7): the facts of one entry over the control connection. */
    static void mlst(FtpSession s, String argument) throws FtpReplyException, IOException {
        SessionState state = s.state();
        state.require(Permission.READ);
        VirtualPath path = argument.isEmpty() ? state.cwd() : state.resolve(argument);
        FileEntry entry;
        try {
            entry = state.files().stat(path);
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument.isEmpty() ? "." : argument);
        }
        String facts = ListingFormat.factsLine(entry, perm(state.user(), entry), path.toString());
        s.replyLines(ReplyCode.FILE_ACTION_OK, List.of("Listing " + (argument.isEmpty() ? path.toString() : argument), facts, "End"));
    }

    /** The RFC 3659 "perm" fact for {@code user}. */
    private static String perm(User user, FileEntry entry) {
        return ListingFormat.permFact(entry, user.may(Permission.WRITE), user.may(Permission.DELETE),
                user.may(Permission.RENAME), user.may(Permission.MKDIR));
    }

    /** STAT path (RFC 959 section 4.1.3): a LIST over the control connection. */
    static void statPath(FtpSession s, String argument) throws FtpReplyException, IOException {
        if (!s.state().isLoggedIn()) {
            throw new FtpReplyException(ReplyCode.NOT_LOGGED_IN, "Please log in with USER and PASS first");
        }
        s.state().require(Permission.READ);
        ListingRequest request = parse(s, argument);
        EntrySource source = source(s, request, argument);
        Instant now = Instant.now();
        List<String> lines = new ArrayList<>();
        lines.add("Status of " + argument + ":");
        source.each(request, e -> {
            if (lines.size() <= STAT_LINE_LIMIT) {
                lines.add(ListingFormat.longLine(e, now));
            }
        });
        if (lines.size() > STAT_LINE_LIMIT) {
            lines.set(STAT_LINE_LIMIT, "... more entries: use LIST");
            lines.subList(STAT_LINE_LIMIT + 1, lines.size()).clear();
        }
        lines.add("End of status");
        s.replyLines(ReplyCode.FILE_STATUS, lines);
    }

    @FunctionalInterface
    interface EntryConsumer {
        void accept(FileEntry entry) throws IOException;
    }

    /** Where a listing's entries come from: one file, or a directory read lazily (filtered by a pattern). */
    @FunctionalInterface
    interface EntrySource {
        void each(ListingRequest request, EntryConsumer consumer) throws IOException;
    }

    /**
     * Checks the target before the data connection is opened, so a missing path gets a plain 550
     * rather than a 150 followed by a failure.
     */
    private static EntrySource source(FtpSession s, ListingRequest request, String argument) throws FtpReplyException {
        FileEntry target;
        try {
            target = s.state().files().stat(request.directory());
        } catch (IOException e) {
            throw FtpReplyException.of(e, argument.isEmpty() ? "." : request.path());
        }
        if (request.glob() == null && !target.isDirectory()) {
            FileEntry single = target.withName(request.path().isEmpty() ? target.name() : request.path());
            return (r, consumer) -> consumer.accept(single);
        }
        if (!target.isDirectory()) {
            throw new FtpReplyException(ReplyCode.FILE_UNAVAILABLE, request.path() + ": No such file or directory");
        }
        return (r, consumer) -> {
            try (DirectoryStream<FileEntry> entries = s.state().files().list(r.directory())) {
                for (FileEntry e : entries) {
                    if (!r.all() && e.name().startsWith(".")) {
                        continue;
                    }
                    if (r.glob() != null && !r.glob().matches(e.name())) {
                        continue;
                    }
                    consumer.accept(e);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        };
    }
}
