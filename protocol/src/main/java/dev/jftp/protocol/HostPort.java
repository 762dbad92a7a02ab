package dev.jftp.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address formats of the data-connection commands: PORT and the 227 PASV reply
 * ("h1,h2,h3,h4,p1,p2", RFC 959 section 4.1.2), EPRT ("|1|addr|port|", RFC 2428 section 2)
 * and the 229 EPSV reply ("(|||port|)", RFC 2428 section 3).
 */
public final class HostPort {
    /** h1,h2,h3,h4,p1,p2, in ASCII digits only. */
    private static final Pattern SIX_NUMBERS =
            Pattern.compile("([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3})");
    /** The six numbers inside a reply's text: not part of a longer run of numbers and commas. */
    private static final Pattern SIX_NUMBERS_IN_TEXT = Pattern.compile("(?<![0-9,])" + SIX_NUMBERS.pattern() + "(?![0-9,])");
    private static final Pattern EPSV_REPLY = Pattern.compile("\\((.)\\1\\1(\\d{1,5})\\1\\)");

    private HostPort() {
    }

    /**
     * Parses a PORT argument (RFC 959 section 4.1.2): exactly "h1,h2,h3,h4,p1,p2", nothing before
     * or after, so that "1,2,3,4,5,6,7" or "1,2,3,4,5,6junk" is refused rather than read in part.
     */
    public static InetSocketAddress parsePortArgument(String text) {
        Matcher m = SIX_NUMBERS.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected exactly h1,h2,h3,h4,p1,p2");
        }
        return sixNumbers(m);
    }

    /**
     * Parses the numbers inside a 227 reply text, such as "Entering Passive Mode (h1,h2,h3,h4,p1,p2)."
     * (servers put text around them), refusing a run of more than six.
     */
    public static InetSocketAddress parseSixNumbers(String text) {
        Matcher m = SIX_NUMBERS_IN_TEXT.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("expected h1,h2,h3,h4,p1,p2");
        }
        return sixNumbers(m);
    }

    private static InetSocketAddress sixNumbers(Matcher m) {
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            address[i] = (byte) octet(m.group(i + 1));
        }
        int port = octet(m.group(5)) * 256 + octet(m.group(6));
        return new InetSocketAddress(byAddress(address), port);
    }

    /** Formats an IPv4 socket address as "h1,h2,h3,h4,p1,p2". */
    public static String formatSixNumbers(InetAddress address, int port) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("PORT/PASV carry IPv4 addresses only");
        }
        byte[] b = address.getAddress();
        return (b[0] & 0xff) + "," + (b[1] & 0xff) + "," + (b[2] & 0xff) + "," + (b[3] & 0xff) + ","
                + (port >> 8) + "," + (port & 0xff);
    }

    /**
     * Parses an EPRT argument such as {@code |1|132.235.1.2|6275|} or {@code |2|::1|5282|}.
     * The first character is the delimiter.
     */
    public static InetSocketAddress parseExtended(String text) {
        if (text == null || text.length() < 7) {
            throw new IllegalArgumentException("expected |proto|address|port|");
        }
        char d = text.charAt(0);
        if (d < 33 || d > 126 || text.charAt(text.length() - 1) != d) {
            throw new IllegalArgumentException("bad delimiter");
        }
        String[] parts = text.substring(1, text.length() - 1).split(Pattern.quote(String.valueOf(d)), -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected |proto|address|port|");
        }
        String protocol = parts[0];
        String host = parts[1];
        InetAddress address;
        if ("1".equals(protocol)) {
            address = parseIpv4Literal(host);
        } else if ("2".equals(protocol)) {
            address = parseIpv6Literal(host);
        } else {
            throw new UnsupportedOperationException("network protocol " + protocol);
        }
        return new InetSocketAddress(address, parsePort(parts[2]));
    }

    /** Formats an EPRT argument for the given address. */
    public static String formatExtended(InetAddress address, int port) {
        String protocol = address instanceof Inet6Address ? "2" : "1";
        return "|" + protocol + "|" + address.getHostAddress() + "|" + port + "|";
    }

    /** Extracts the port from a 229 reply text such as "Entering Extended Passive Mode (|||6446|)". */
    public static int parseEpsvReply(String text) {
        Matcher m = EPSV_REPLY.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no (|||port|) in EPSV reply");
        }
        return parsePort(m.group(2));
    }

    public static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !isAsciiDigits(text)) {
            throw new IllegalArgumentException("bad port: " + text);
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    /**
     * Only 0-9: Character.isDigit (and Integer.parseInt) also take the digits of other scripts,
     * such as fullwidth "１０２５", which no protocol text may carry.
     */
    private static boolean isAsciiDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int octet(String digits) {
        int value = Integer.parseInt(digits);
        if (value > 255) {
            throw new IllegalArgumentException("number out of range: " + value);
        }
        return value;
    }

    /** A dotted-quad IPv4 address ("192.0.2.7"), never looked up as a name; IllegalArgumentException otherwise. */
    public static InetAddress parseIpv4Literal(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad IPv4 address: " + host);
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !isAsciiDigits(parts[i])) {
                throw new IllegalArgumentException("bad IPv4 address: " + host);
            }
            address[i] = (byte) octet(parts[i]);
        }
        return byAddress(address);
    }

    /** An IPv6 address without brackets ("2001:db8::7"), never looked up as a name; IllegalArgumentException otherwise. */
    public static InetAddress parseIpv6Literal(String host) {
        if (host.isEmpty() || host.length() > 45 || !host.matches("[0-9A-Fa-f:.]+") || !host.contains(":")) {
            throw new IllegalArgumentException("bad IPv6 address: " + host);
        }
        try {
            // In brackets the JDK takes the text as an IPv6 literal or refuses it; bare, a text that
            // is not a valid literal (such as ".0:") would be looked up as a host name.
            return InetAddress.getByName("[" + host + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad IPv6 address: " + host, e);
        }
    }

    private static InetAddress byAddress(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
