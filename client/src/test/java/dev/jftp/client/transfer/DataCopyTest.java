package dev.jftp.client.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.client.remote.Transfer;
import dev.jftp.client.remote.TransferListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ways an upload leaves: sendfile (to another machine), the buffer (over loopback, into TLS and SFTP). */
class DataCopyTest {
    @TempDir
    Path dir;

    /** A file of a few buffers and a bit, so that the last read is short. */
    private Path file() throws IOException {
        byte[] bytes = new byte[3 * DataCopy.BUFFER_SIZE + 12_345];
        new Random(7).nextBytes(bytes);
        return Files.write(dir.resolve("data.bin"), bytes);
    }

    /** Runs {@code send} into a loopback connection; returns what arrived at the other end. */
    private static byte[] sendOverLoopback(SendBody send) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            try (SocketChannel server = listener.accept()) {
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(server));
                try (client) {
                    send.run(client);
                }
                return received.get();
            }
        }
    }

    private static byte[] readAll(SocketChannel channel) {
        try (InputStream in = Channels.newInputStream(channel)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface SendBody {
        void run(ByteChannel channel) throws IOException;
    }

    /** A channel that is not a socket (as the TLS and SFTP channels are not), counting its largest write. */
    private static final class Wrapped implements ByteChannel {
        private final ByteChannel socket;
        int largestWrite;

        Wrapped(ByteChannel socket) {
            this.socket = socket;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return socket.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            largestWrite = Math.max(largestWrite, src.remaining());
            return socket.write(src);
        }

        @Override
        public boolean isOpen() {
            return socket.isOpen();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final long OFFSET = 1000;

    /**
     * Sends the file from {@link #OFFSET} into what {@code wrap} makes of a loopback connection;
     * checks what arrived and what the transfer counted; returns what send returned.
     */
    private long sendFromResumeOffset(UnaryOperator<ByteChannel> wrap) throws Exception {
        Path file = file();
        byte[] bytes = Files.readAllBytes(file);
        Transfer transfer = new Transfer("data.bin", OFFSET, bytes.length, true, TransferListener.NONE);
        long[] sent = new long[1];
        byte[] received = sendOverLoopback(channel -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                sent[0] = new DataCopy().send(in, OFFSET, bytes.length, wrap.apply(channel), transfer);
            }
        });
        assertThat(received).isEqualTo(Arrays.copyOfRange(bytes, (int) OFFSET, bytes.length));
        assertThat(transfer.bytes()).isEqualTo(bytes.length - OFFSET);
        return sent[0];
    }

    @Test
    void aLoopbackUploadSendsFromTheResumeOffset() throws Exception {
        assertThat(sendFromResumeOffset(channel -> channel)).isEqualTo(Files.size(dir.resolve("data.bin")) - OFFSET);
    }

    @Test
    void anUploadIntoAnotherChannelGoesThroughTheWholeBuffer() throws Exception {
        Wrapped[] wrapped = new Wrapped[1];
        sendFromResumeOffset(channel -> wrapped[0] = new Wrapped(channel));
        // Not FileChannel.transferTo's 8 KiB pieces into a channel that is not the JDK's own.
        assertThat(wrapped[0].largestWrite).isEqualTo(DataCopy.BUFFER_SIZE);
    }

    @Test
    void sendfileSendsTheSameBytes() throws Exception {
        Path file = file();
        byte[] bytes = Files.readAllBytes(file);
        Transfer transfer = new Transfer("data.bin", 0, bytes.length, true, TransferListener.NONE);
        byte[] received = sendOverLoopback(channel -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                new DataCopy().sendfile(in, 0, bytes.length, channel, transfer);
            }
        });
        assertThat(received).isEqualTo(bytes);
        assertThat(transfer.bytes()).isEqualTo(bytes.length);
    }

    @Test
    void aFileThatShrinksDuringAnUploadFailsIt() throws Exception {
        Path file = file();
        long announced = Files.size(file) + 1;
        for (String way : new String[] {"loopback", "other channel", "sendfile"}) {
            Transfer transfer = new Transfer("data.bin", 0, announced, true, TransferListener.NONE);
            assertThatThrownBy(() -> sendOverLoopback(channel -> {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    switch (way) {
                        case "loopback" -> new DataCopy().send(in, 0, announced, channel, transfer);
                        case "other channel" -> new DataCopy().send(in, 0, announced, new Wrapped(channel), transfer);
                        default -> new DataCopy().sendfile(in, 0, announced, channel, transfer);
                    }
                }
            })).as(way).isInstanceOf(IOException.class).hasMessageContaining("shrank to " + (announced - 1) + " bytes");
        }
    }
}
