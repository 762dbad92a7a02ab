package dev.jftp.server.transfer;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.ThreadLocalRandom;

/** The ports passive listeners may use: any free port, or a range for firewalls (--passive-ports). */
public record PassivePortRange(int low, int high) {
    public static final PassivePortRange ANY = new PassivePortRange(0, 0);

    public PassivePortRange {
        if (!(low == 0 && high == 0) && (low < 1024 || high > 65535 || low > high)) {
            throw new IllegalArgumentException("passive ports must be a range within 1024-65535, e.g. 50000-50100");
        }
    }

    public static PassivePortRange parse(String text) {
        String[] parts = text.split("-", -1);
        try {
            if (parts.length == 2) {
                return new PassivePortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("expected LOW-HIGH, e.g. 50000-50100: " + text);
    }

    /** Binds a listener on a free port of the range, starting at a random one. */
    ServerSocketChannel bind(InetAddress address) throws IOException {
        if (low == 0) {
            return open(address, 0);
        }
        int size = high - low + 1;
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            try {
                return open(address, low + (start + i) % size);
            } catch (BindException busy) {
                // try the next port
            }
        }
        throw new BindException("all passive ports " + low + "-" + high + " are in use");
    }

    private static ServerSocketChannel open(InetAddress address, int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.bind(new InetSocketAddress(address, port), 1);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }
}
