package dev.jftp.client.login;

import dev.jftp.client.ClientException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where to connect, from the command line: sftp's {@code [user@]host[:path]} (an IPv6 address in
 * brackets) or a URL {@code ftp://[user[:password]@]host[:port][/path]} (RFC 1738 section 3.2:
 * the path is relative to the login directory; {@code %2F} at its start makes it absolute),
 * {@code ftps://...} or {@code sftp://...} (draft-ietf-secsh-scp-sftp-ssh-uri-04 section 4.1:
 * the same form, but the path is absolute, and {@code /~/} at its start makes it relative to
 * the login directory, as curl reads it).
 *
 * @param user     login name, or null for the default
 * @param password password from the URL, or null
 * @param host     host name or address
 * @param port     port, or -1 for the default
 * @param path     the directory to start in or the file to fetch, or null
 * @param implicitTls true for an {@code ftps://} URL: implicit FTPS (TLS from the first byte, port 990 by default)
 * @param sftp     true for an {@code sftp://} URL (port 22 by default)
 */
public record Destination(String user, char[] password, String host, int port, String path, boolean implicitTls, boolean sftp) {
    /** The usual port of implicit FTPS. */
    public static final int IMPLICIT_TLS_PORT = 990;
    /** The usual port of SSH, hence SFTP. */
    public static final int SSH_PORT = 22;

    public Destination(String user, char[] password, String host, int port, String path) {
        this(user, password, host, port, path, false, false);
    }

    public Destination(String user, char[] password, String host, int port, String path, boolean implicitTls) {
        this(user, password, host, port, path, implicitTls, false);
    }

    public static Destination parse(String text) throws ClientException {
        if (text.regionMatches(true, 0, "ftp://", 0, 6)) {
            return parseUrl(text.substring(6));
        }
        if (text.regionMatches(true, 0, "ftps://", 0, 7)) {
            Destination d = parseUrl(text.substring(7));
            return new Destination(d.user, d.password, d.host, d.port, d.path, true);
        }
        if (text.regionMatches(true, 0, "sftp://", 0, 7)) {
            Destination d = parseUrl(text.substring(7));
            String path = d.path == null || d.path.equals("~") || d.path.equals("~/") ? null
                    : d.path.startsWith("~/") ? d.path.substring(2) : "/" + d.path;
            return new Destination(d.user, d.password, d.host, d.port, path, false, true);
        }
        if (text.contains("://")) {
            throw new ClientException("Only ftp://, ftps:// and sftp:// URLs are understood, not \"" + text + "\"");
        }
        String user = null;
        String rest = text;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (user.isEmpty()) {
                throw new ClientException("Empty user name in \"" + text + "\"");
            }
        }
        String host;
        String path = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new ClientException("Missing ] in \"" + text + "\"");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) {
                path = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new ClientException("Unexpected \"" + after + "\" after the host in \"" + text + "\"");
            }
        } else {
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            path = colon < 0 ? null : rest.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new ClientException("No host in \"" + text + "\"");
        }
        return new Destination(user, null, host, -1, path == null || path.isEmpty() ? null : path);
    }

    private static Destination parseUrl(String rest) throws ClientException {
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String rawPath = slash < 0 ? "" : rest.substring(slash + 1);
        String user = null;
        char[] password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) {
                password = decode(userInfo.substring(colon + 1)).toCharArray();
            }
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new ClientException("Missing ] in the URL host");
            }
            host = authority.substring(1, close);
            if (authority.length() > close + 1 && authority.charAt(close + 1) == ':') {
                portText = authority.substring(close + 2);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new ClientException("No host in the URL");
        }
        int port = -1;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (port < 1 || port > 65535) {
                throw new ClientException("Bad port \"" + portText + "\" in the URL");
            }
        }
        String path = null;
        if (!rawPath.isEmpty()) {
            // RFC 1738: ";type=" may follow the path; it does not name a file.
            int type = rawPath.toLowerCase(Locale.ROOT).indexOf(";type=");
            if (type >= 0) {
                rawPath = rawPath.substring(0, type);
            }
            path = decode(rawPath);
        }
        return new Destination(user == null || user.isEmpty() ? null : user, password, host, port,
                path == null || path.isEmpty() ? null : path);
    }

    /**
     * The password of an ftp://, ftps:// or sftp:// URL, the user's secret, as a user name and password
     * part "user:password@" that ends at the last '@' of the authority (as {@link #parse} reads it).
     */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(s?ftps?://[^\\s/@:'\"]*):[^\\s/'\"]*@");

    /**
     * The text with the password taken out of every ftp://, ftps:// or sftp:// URL in it
     * ({@code open ftp://alice:secret@host/} becomes {@code open ftp://alice@host/}), for what is
     * kept (history) or shown (a batch command's echo).
     */
    public static String withoutPasswords(String text) {
        if (text.indexOf("://") < 0) {
            return text;
        }
        return URL_PASSWORD.matcher(text).replaceAll("$1@");
    }

    /** Percent-decoding (RFC 3986 section 2.1), as UTF-8. */
    static String decode(String text) throws ClientException {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new ClientException("Bad %-escape in the URL");
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new ClientException("Bad %-escape in the URL");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
