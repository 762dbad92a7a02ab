package dev.jftp.server.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.storage.VirtualPath;
import dev.jftp.server.storage.local.linux.LinuxCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DescriptorChannelTest {
    @TempDir
    Path dir;
    Path file;
    int fd = -1;
    DescriptorChannel channel;

    @BeforeEach
    void open() throws IOException {
        file = dir.resolve("upload.bin");
        fd = LinuxCalls.openat(LinuxCalls.AT_FDCWD, file.toString().getBytes(StandardCharsets.UTF_8),
                LinuxCalls.O_WRONLY | LinuxCalls.O_CREAT | LinuxCalls.O_EXCL | LinuxCalls.O_CLOEXEC, 0644);
        channel = new DescriptorChannel(fd, VirtualPath.ROOT.resolve("upload.bin"));
    }

    @AfterEach
    void close() throws IOException {
        channel.close();
        LinuxCalls.close(fd);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aPlatformThreadWritesThroughTheDescriptorItselfAtTheChannelsPosition() throws IOException {
        ByteBuffer heap = ascii("hello ");
        assertThat(channel.write(heap)).isEqualTo(6);
        assertThat(heap.hasRemaining()).isFalse();
        ByteBuffer direct = ByteBuffer.allocateDirect(5).put("world".getBytes(StandardCharsets.US_ASCII)).flip();
        assertThat(channel.write(direct)).isEqualTo(5);
        assertThat(direct.hasRemaining()).isFalse();

        assertThat(Files.readString(file)).isEqualTo("hello world");
        assertThat(channel.position()).isEqualTo(11);
        assertThat(channel.size()).isEqualTo(11);
        assertThat(channel.openedThroughProc()).isFalse(); // no second open of the file
    }

    @Test
    void aLargeHeapBufferGoesThroughProcAndKeepsThePosition() throws IOException {
        channel.write(ascii("head:"));
        byte[] large = new byte[DescriptorChannel.COPIED_WRITE_LIMIT + 1];
        java.util.Arrays.fill(large, (byte) 'x');
        ByteBuffer heap = ByteBuffer.wrap(large);
        while (heap.hasRemaining()) {
            channel.write(heap);
        }
        assertThat(channel.openedThroughProc()).isTrue();
        channel.write(ascii(":tail"));

        String content = Files.readString(file);
        assertThat(content).hasSize(5 + large.length + 5).startsWith("head:x").endsWith("x:tail");
        assertThat(channel.position()).isEqualTo(content.length());
    }

    @Test
    void aVirtualThreadWritesThroughProcAndBothKeepOnePosition() throws Exception {
        channel.write(ascii("one,"));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread virtual = Thread.ofVirtual().start(() -> {
            try {
                channel.write(ascii("two,"));
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        virtual.join();
        assertThat(failed.get()).isNull();
        assertThat(channel.openedThroughProc()).isTrue();
        channel.write(ascii("three"));

        assertThat(Files.readString(file)).isEqualTo("one,two,three");
        assertThat(channel.position()).isEqualTo(13);
    }

    @Test
    void positionAndTruncateBehaveAsAFileChannels() throws IOException {
        channel.write(ascii("0123456789"));
        channel.position(2);
        channel.write(ascii("ab"));
        assertThat(Files.readString(file)).isEqualTo("01ab456789");
        assertThat(channel.position()).isEqualTo(4);

        channel.truncate(3); // below the position: the position follows
        assertThat(channel.size()).isEqualTo(3);
        assertThat(channel.position()).isEqualTo(3);
        channel.write(ascii("Z"));
        assertThat(Files.readString(file)).isEqualTo("01aZ");

        channel.position(6); // beyond the end: a hole, as with pwrite
        channel.write(ascii("!"));
        assertThat(Files.readAllBytes(file)).containsExactly('0', '1', 'a', 'Z', 0, 0, '!');
        assertThatThrownBy(() -> channel.position(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(1))).isInstanceOf(NonReadableChannelException.class);
    }

    @Test
    void aClosedChannelRefusesEverythingAndLeavesTheDescriptorToItsOwner() throws IOException {
        channel.write(ascii("kept"));
        channel.close();
        assertThat(channel.isOpen()).isFalse();
        assertThatThrownBy(() -> channel.write(ascii("x"))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> channel.position()).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> channel.size()).isInstanceOf(ClosedChannelException.class);
        assertThat(LinuxCalls.fstat(fd).size()).isEqualTo(4); // the descriptor is still open
        assertThat(Files.readString(file)).isEqualTo("kept");
    }
}
