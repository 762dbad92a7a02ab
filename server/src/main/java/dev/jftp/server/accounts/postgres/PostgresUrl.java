package dev.jftp.server.accounts.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the accounts database is, as given to {@code --users}:
 * {@code postgresql://USER:PASSWORD@HOST:PORT/DB?param=value} (libpq's URI form; {@code postgres://}
 * too). User and password may be percent-encoded; the port defaults to 5432; an IPv6 host is
 * written in brackets. Query parameters are handed to the JDBC driver as they are
 * ({@code sslmode=verify-full}, {@code currentSchema=jftpd}, ...). Without a password in the URL,
 * {@code PGPASSWORD} from the environment is used when set, as libpq does.
 *
 * <p>{@link #toString()} and {@link #describe()} never contain the password.
 */
public final class PostgresUrl {
    private static final Pattern URL = Pattern.compile(
            "(?:postgresql|postgres)://(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\\[[0-9A-Fa-f:.]+]|[^:/?#\\[\\]@]+)(?::(\\d{1,5}))?/([^/?#]+)(?:\\?([^#]*))?");
    static final int DEFAULT_PORT = 5432;

    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final String database;
    private final Map<String, String> parameters;

    private PostgresUrl(String user, String password, String host, int port, String database, Map<String, String> parameters) {
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.database = database;
        this.parameters = Map.copyOf(parameters);
    }

    /** True when {@code text} names a PostgreSQL database rather than a users file. */
    public static boolean looksLikeUrl(String text) {
        return text.startsWith("postgresql://") || text.startsWith("postgres://");
    }

    /**
     * Parses the URL.
     *
     * @throws IllegalArgumentException with a message that repeats nothing of the text after the
     *         scheme (it may hold the password)
     */
    public static PostgresUrl parse(String text) {
        return parse(text, System.getenv("PGPASSWORD"));
    }

    static PostgresUrl parse(String text, String environmentPassword) {
        Matcher m = URL.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL URL: expected postgresql://USER:PASSWORD@HOST:PORT/DB");
        }
        String user = decode(m.group(1), "user");
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("the PostgreSQL URL names no user: expected postgresql://USER:PASSWORD@HOST:PORT/DB");
        }
        String password = decode(m.group(2), "password");
        if (password == null || password.isEmpty()) {
            password = environmentPassword == null || environmentPassword.isEmpty() ? null : environmentPassword;
        }
        String host = m.group(3);
        int port = DEFAULT_PORT;
        if (m.group(4) != null) {
            port = Integer.parseInt(m.group(4));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the PostgreSQL URL's port is out of range (1-65535)");
            }
        }
        String database = decode(m.group(5), "database name");
        Map<String, String> parameters = new LinkedHashMap<>();
        if (m.group(6) != null && !m.group(6).isEmpty()) {
            for (String pair : m.group(6).split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("the PostgreSQL URL has a parameter without a value (expected name=value)");
                }
                String name = decode(pair.substring(0, eq), "parameter name");
                if (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password")) {
                    throw new IllegalArgumentException("the PostgreSQL URL gives the user or password as a parameter: put them before the host");
                }
                parameters.put(name, decode(pair.substring(eq + 1), "parameter value"));
            }
        }
        return new PostgresUrl(user, password, host, port, database, parameters);
    }

    private static String decode(String part, String what) {
        if (part == null) {
            return null;
        }
        try {
            // URLDecoder would turn '+' into a space, which RFC 3986 (and libpq) do not.
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PostgreSQL URL's " + what + " has a bad percent-escape");
        }
    }

    /** The JDBC URL: host, port and database only; user and password go in the connection properties. */
    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + pathSegment(database);
    }

    private static String pathSegment(String name) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String user() {
        return user;
    }

    /** The password, or null to leave it to the driver (~/.pgpass, or none for trust authentication). */
    String password() {
        return password;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    /** "postgresql://user@host:port/db": for logs and messages, without the password or parameters. */
    public String describe() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return describe();
    }
}
