package dev.jftp.server.net;

import dev.jftp.protocol.HostPort;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The addresses allowed to send a PROXY protocol header ({@code --trusted-proxies CIDR,...}): a
 * header from anyone else would let a client choose the address it is logged, limited and
 * throttled by.
 *
 * <p>Each entry is an IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8},
 * {@code fd00::/8}) or a single address ({@code 192.0.2.7}, {@code ::1}). A network with bits set
 * after its prefix ({@code 10.0.0.1/8}) is refused as a likely typo. An IPv4 address that arrives
 * as IPv4-mapped IPv6 ({@code ::ffff:10.0.0.2}, on a dual-stack listener) matches the IPv4 networks.
 */
public final class TrustedProxies {
    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** One network: its address bytes (4 or 16) and prefix length. */
    private record Network(byte[] address, int prefix) {
        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[full] & mask) == (address[full] & mask);
        }

        @Override
        public String toString() {
            try {
                String text = InetAddress.getByAddress(address).getHostAddress();
                return text + "/" + prefix;
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Parses {@code "10.0.0.0/8, 192.0.2.7, fd00::/8"}.
     *
     * @throws IllegalArgumentException naming the entry that is wrong and why
     */
    public static TrustedProxies parse(String text) {
        List<Network> networks = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String entry = part.strip();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("--trusted-proxies: an empty entry (expected CIDR,CIDR,... such as 10.0.0.0/8,::1)");
            }
            networks.add(network(entry));
        }
        return new TrustedProxies(networks);
    }

    private static Network network(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        byte[] address;
        try {
            address = (host.contains(":") ? HostPort.parseIpv6Literal(host) : HostPort.parseIpv4Literal(host)).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--trusted-proxies: '" + entry + "' is not an IPv4 or IPv6 address or network");
        }
        if (host.contains(":") && address.length == 4) {
            // ::ffff:a.b.c.d came back as IPv4: its prefix counted the 96 bits before
            address = mapped(address);
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = entry.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(digits) > bits) {
                throw new IllegalArgumentException("--trusted-proxies: '" + entry + "' has a bad prefix length (0-" + bits + ")");
            }
            prefix = Integer.parseInt(digits);
        }
        byte[] masked = masked(address, prefix);
        if (!Arrays.equals(masked, address)) {
            throw new IllegalArgumentException("--trusted-proxies: '" + entry + "' has bits set after the prefix; did you mean "
                    + new Network(masked, prefix) + "?");
        }
        if (address.length == 16 && isMapped(address) && prefix >= 96) {
            // the same network written as IPv4, so that IPv4 peers match it
            return new Network(Arrays.copyOfRange(address, 12, 16), prefix - 96);
        }
        return new Network(address, prefix);
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] result = address.clone();
        for (int i = 0; i < result.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            result[i] = (byte) (result[i] & (0xFF << (8 - keep)));
        }
        return result;
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] result = new byte[16];
        result[10] = (byte) 0xFF;
        result[11] = (byte) 0xFF;
        System.arraycopy(ipv4, 0, result, 12, 4);
        return result;
    }

    private static boolean isMapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }

    /** True when {@code peer} may send a PROXY protocol header. */
    public boolean contains(InetAddress peer) {
        byte[] address = peer.getAddress();
        if (peer instanceof Inet6Address && isMapped(address)) {
            address = Arrays.copyOfRange(address, 12, 16);
        }
        for (Network network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** "10.0.0.0/8,fd00:0:0:0:0:0:0:0/8": the networks as understood, for the start-up line. */
    @Override
    public String toString() {
        return networks.stream().map(Network::toString).collect(Collectors.joining(","));
    }
}
