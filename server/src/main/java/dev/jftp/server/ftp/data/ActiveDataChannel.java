package dev.jftp.server.ftp.data;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** PORT/EPRT: the server connects to an address the client named (already checked against bounce). */
public final class ActiveDataChannel implements DataChannel {
    private final InetSocketAddress target;
    private final InetAddress localAddress;

    public ActiveDataChannel(InetSocketAddress target, InetAddress localAddress) {
        this.target = target;
        this.localAddress = localAddress;
    }

    public InetSocketAddress target() {
        return target;
    }

    @Override
    public DataConnection open(Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.bind(new InetSocketAddress(localAddress, 0));
            channel.socket().connect(target, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new DataConnection(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        // nothing is held until open()
    }
}
