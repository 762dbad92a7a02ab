package dev.jftp.server.ftp.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte count of a download (STAT's "bytes so far", the transfer log of an aborted RETR) counts
 * what the socket took, write by write: a client that reads a few bytes and aborts (curl's ranged
 * download) never lets the server finish its first buffer-full.
 */
@Timeout(60)
class DataConnectionProgressTest {
    @TempDir
    Path dir;

    @Test
    void aDownloadCountsWhatTheSocketTookBeforeItsFirstBufferFullIsSent() throws Exception {
        Path file = dir.resolve("four-mib.bin");
        Files.write(file, new byte[4 << 20]);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel client = SocketChannel.open()) {
            // Small buffers on both ends (set, so the kernel does not grow them): far less than one 1 MiB buffer-full fits.
            client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            client.connect(listener.getLocalAddress());
            SocketChannel accepted = listener.accept();
            accepted.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            DataConnection data = new DataConnection(accepted);
            TransferProgress progress = new TransferProgress();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            // A virtual thread, as every session's: its socket writes return as soon as the kernel took some bytes.
            Thread sender = Thread.ofVirtual().start(() -> {
                try (FileChannel in = FileChannel.open(file)) {
                    data.sendFile(in, 1000, false, progress);
                } catch (Throwable e) {
                    ended.set(e);
                }
            });

            ByteBuffer few = ByteBuffer.allocate(4000);
            while (few.hasRemaining()) {
                assertThat(client.read(few)).isNotNegative();
            }
            for (int look = 0; look < 1000 && progress.bytes() < 4000; look++) {
                Thread.sleep(10);
            }
            assertThat(progress.bytes()).isBetween(4000L, (long) BufferPool.BUFFER_SIZE - 1);
            assertThat(sender.isAlive()).as("the sender waits for the client to read").isTrue();

            data.close(); // what ABOR does
            sender.join();
            assertThat(ended.get()).isInstanceOf(IOException.class);
            assertThat(progress.bytes()).isBetween(4000L, (long) BufferPool.BUFFER_SIZE - 1);
        }
    }
}
