package dev.jftp.server.storage.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A file's bytes in memory, in chunks of {@link #CHUNK} bytes so that a large file needs no single
 * array and an upload never copies what it already holds. Immutable once built: a reader keeps the
 * content it opened while uploads put new content in place.
 */
final class MemoryContent {
    static final int CHUNK = 64 * 1024;
    static final MemoryContent EMPTY = new MemoryContent(List.of(), 0);

    private final List<byte[]> chunks;
    private final long size;

    private MemoryContent(List<byte[]> chunks, long size) {
        this.chunks = chunks;
        this.size = size;
    }

    long size() {
        return size;
    }

    /** A reader of this content: read-only, positioned at 0. */
    SeekableByteChannel reader() {
        return new Reader();
    }

    /** A writer whose content starts as this one's first {@code keep} bytes (0: empty; size(): append). */
    Writer writer(long keep) {
        return new Writer(this, keep);
    }

    /** Bytes appended one write after the other; {@link #content()} is what was written so far. */
    static final class Writer implements WritableByteChannel {
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] last;
        private int lastUsed;
        private long size;
        private volatile boolean open = true;

        private Writer(MemoryContent start, long keep) {
            for (long taken = 0; taken < keep; taken += CHUNK) {
                byte[] chunk = start.chunks.get((int) (taken / CHUNK));
                int used = (int) Math.min(CHUNK, keep - taken);
                if (used == CHUNK) {
                    chunks.add(chunk); // full chunks are never written again: shared
                } else {
                    last = Arrays.copyOf(chunk, CHUNK);
                    lastUsed = used;
                }
            }
            size = keep;
        }

        @Override
        public synchronized int write(ByteBuffer source) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            int written = source.remaining();
            while (source.hasRemaining()) {
                if (last == null) {
                    last = new byte[CHUNK];
                    lastUsed = 0;
                }
                int n = Math.min(source.remaining(), CHUNK - lastUsed);
                source.get(last, lastUsed, n);
                lastUsed += n;
                if (lastUsed == CHUNK) {
                    chunks.add(last);
                    last = null;
                }
            }
            size += written;
            return written;
        }

        /** What was written so far, as content of its own. */
        synchronized MemoryContent content() {
            List<byte[]> all = new ArrayList<>(chunks);
            if (last != null && lastUsed > 0) {
                all.add(Arrays.copyOf(last, lastUsed));
            }
            return new MemoryContent(List.copyOf(all), size);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private final class Reader implements SeekableByteChannel {
        private long position;
        private volatile boolean open = true;

        @Override
        public synchronized int read(ByteBuffer destination) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (position >= size) {
                return -1;
            }
            int read = 0;
            while (destination.hasRemaining() && position < size) {
                byte[] chunk = chunks.get((int) (position / CHUNK));
                int offset = (int) (position % CHUNK);
                int n = (int) Math.min(Math.min(destination.remaining(), chunk.length - offset), size - position);
                destination.put(chunk, offset, n);
                position += n;
                read += n;
            }
            return read;
        }

        @Override
        public int write(ByteBuffer source) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized long position() {
            return position;
        }

        @Override
        public synchronized SeekableByteChannel position(long newPosition) {
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position");
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
