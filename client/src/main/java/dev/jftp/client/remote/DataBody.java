package dev.jftp.client.remote;

import java.io.IOException;
import java.nio.channels.ByteChannel;

/** What runs while a transfer's channel is open (a data connection, a remote file); returns the bytes it moved. */
@FunctionalInterface
public interface DataBody {
    long run(ByteChannel channel, Transfer transfer) throws IOException;
}
