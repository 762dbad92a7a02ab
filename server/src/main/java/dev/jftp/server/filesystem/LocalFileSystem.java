package dev.jftp.server.filesystem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FileSystemView} on the local disk, jailed in a home directory. Every path is mapped
 * below the home; any existing file is checked by its real path (symbolic links resolved) so that a
 * link pointing outside the home is treated as absent. Replacing uploads go to a temporary file in
 * the target directory and are renamed over the target only on success.
 */
public final class LocalFileSystem implements FileSystemView {
    /** Prefix of in-progress upload files; they are hidden from listings. */
    public static final String TEMP_PREFIX = ".jftpd-upload-";
    private static final Logger log = LoggerFactory.getLogger(LocalFileSystem.class);
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path home;

    public LocalFileSystem(Path home) throws IOException {
        this.home = home.toRealPath();
        if (!Files.isDirectory(this.home)) {
            throw new NotDirectoryException(home.toString());
        }
    }

    public Path home() {
        return home;
    }

    /** The local path for a virtual path, without touching the disk. */
    Path lexical(VirtualPath path) {
        Path local = home;
        for (String segment : path.segments()) {
            local = local.resolve(segment);
        }
        return local;
    }

    /**
     * The real path of an existing file; it must lie inside the jail. The home is already a real path
     * and a virtual path has no "." or ".." segments, so only the segments below the home need a
     * look: one lstat each, where toRealPath would readlink every directory from "/" down (7 system
     * calls for a file two levels below a home five levels deep). A symbolic link on the way is
     * resolved in full and must still land inside the jail.
     */
    private Path existing(VirtualPath path) throws IOException {
        Path local = home;
        for (String segment : path.segments()) {
            local = local.resolve(segment);
            if (Files.readAttributes(local, java.nio.file.attribute.BasicFileAttributes.class, NO_FOLLOW).isSymbolicLink()) {
                Path real = lexical(path).toRealPath();
                if (!real.startsWith(home)) {
                    throw new JailViolationException(path.toString());
                }
                return real;
            }
        }
        return local;
    }

    /**
     * The local path where a new entry named by {@code path} would go: its parent directory must
     * exist inside the jail; the last segment is kept as is (not followed), so operations on it act on
     * a link itself rather than on where it points.
     */
    private Path inParent(VirtualPath path) throws IOException {
        if (path.isRoot()) {
            throw new java.nio.file.AccessDeniedException("/", null, "cannot replace the home directory");
        }
        Path parent = existing(path.parent());
        if (!Files.isDirectory(parent)) {
            throw new NotDirectoryException(path.parent().toString());
        }
        return parent.resolve(path.name());
    }

    @Override
    public FileEntry stat(VirtualPath path) throws IOException {
        Path real = existing(path);
        return entry(path.name(), Files.readAttributes(real, PosixFileAttributes.class));
    }

    @Override
    public DirectoryStream<FileEntry> list(VirtualPath directory) throws IOException {
        Path dir = existing(directory);
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(directory.toString());
        }
        DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
        return new DirectoryStream<>() {
            @Override
            public Iterator<FileEntry> iterator() {
                Iterator<Path> paths = stream.iterator();
                return new Iterator<>() {
                    private FileEntry next;

                    @Override
                    public boolean hasNext() {
                        while (next == null && paths.hasNext()) {
                            Path p;
                            try {
                                p = paths.next();
                            } catch (DirectoryIteratorException e) {
                                throw new UncheckedIOException(e.getCause());
                            }
                            next = listedEntry(p);
                        }
                        return next != null;
                    }

                    @Override
                    public FileEntry next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        FileEntry result = next;
                        next = null;
                        return result;
                    }
                };
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    /** One directory entry, or null when it vanished meanwhile or is one of our temporary files. */
    private FileEntry listedEntry(Path p) {
        String name = displayName(p);
        if (name.startsWith(TEMP_PREFIX)) {
            return null;
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(p, PosixFileAttributes.class, NO_FOLLOW);
            if (attributes.isSymbolicLink()) {
                // Show a link as what it points to when that stays inside the jail, else as a bare link.
                try {
                    Path target = p.toRealPath();
                    if (target.startsWith(home)) {
                        return entry(name, Files.readAttributes(target, PosixFileAttributes.class));
                    }
                } catch (IOException dangling) {
                    // fall through: listed as a link of unknown type
                }
            }
            return entry(name, attributes);
        } catch (NoSuchFileException vanished) {
            return null;
        } catch (IOException e) {
            log.debug("cannot read attributes of {}: {}", p, e.toString());
            return null;
        }
    }

    /**
     * The file name as text. A name whose bytes on disk are not valid UTF-8 comes from the JDK with
     * U+FFFD in place of the bad bytes; those bytes are shown escaped instead ("caf\xe9.txt"), read
     * back from the path's URI, the one public view of a path's raw bytes.
     */
    static String displayName(Path p) {
        String name = p.getFileName().toString();
        if (name.indexOf('\uFFFD') < 0) {
            return name;
        }
        String raw = p.toUri().getRawPath();
        if (raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1); // directories get a trailing slash
        }
        return escapeInvalidUtf8(percentDecode(raw.substring(raw.lastIndexOf('/') + 1)));
    }

    /** Undoes a URI's %XX escapes; everything else in a raw URI path is ASCII. */
    private static byte[] percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toByteArray();
    }

    /** Decodes UTF-8, writing each byte that is not part of a valid sequence as \xNN. */
    static String escapeInvalidUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        while (in.hasRemaining()) {
            CoderResult result = decoder.decode(in, out, true);
            sb.append(out.flip());
            out.clear();
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    sb.append(String.format("\\x%02x", in.get() & 0xff));
                }
            }
        }
        return sb.toString();
    }

    private static FileEntry entry(String name, PosixFileAttributes a) {
        FileEntry.Type type = a.isDirectory() ? FileEntry.Type.DIRECTORY
                : a.isRegularFile() ? FileEntry.Type.FILE : FileEntry.Type.OTHER;
        return new FileEntry(name, type, a.size(), a.lastModifiedTime().toInstant(), mode(a.permissions()),
                a.fileKey());
    }

    @Override
    public FileChannel openForRead(VirtualPath path) throws IOException {
        Path real = existing(path);
        if (Files.isDirectory(real)) {
            throw new java.nio.file.FileSystemException(path.toString(), null, "Is a directory");
        }
        return FileChannel.open(real, StandardOpenOption.READ);
    }

    @Override
    public Upload openForWrite(VirtualPath path, UploadMode mode, long offset) throws IOException {
        Path target = inParent(path);
        if (Files.isDirectory(target, NO_FOLLOW)) {
            throw new java.nio.file.FileSystemException(path.toString(), null, "Is a directory");
        }
        return switch (mode) {
            case REPLACE -> replacing(target);
            case APPEND, RESUME -> inPlace(path, target, mode, offset);
        };
    }

    private Upload replacing(Path target) throws IOException {
        Path temp = target.resolveSibling(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Upload() {
            private boolean committed;

            @Override
            public FileChannel channel() {
                return channel;
            }

            @Override
            public void commit() throws IOException {
                channel.close();
                keepPermissions(target, temp);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                committed = true;
            }

            @Override
            public void close() {
                try {
                    channel.close();
                    if (!committed) {
                        Files.deleteIfExists(temp);
                    }
                } catch (IOException e) {
                    log.warn("could not remove temporary upload {}: {}", temp, e.toString());
                }
            }
        };
    }

    /** A replaced file keeps its permission bits, as it would if written in place. */
    private static void keepPermissions(Path target, Path temp) {
        try {
            if (Files.isRegularFile(target, NO_FOLLOW)) {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target, NO_FOLLOW));
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("could not copy permissions to {}: {}", temp, e.toString());
        }
    }

    private Upload inPlace(VirtualPath path, Path target, UploadMode mode, long offset) throws IOException {
        if (Files.isSymbolicLink(target)) {
            target = existing(path); // follow it, but only inside the jail
        }
        FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            long size = channel.size();
            if (mode == UploadMode.APPEND) {
                channel.position(size);
            } else {
                if (offset > size) {
                    throw new InvalidOffsetException(path.toString(), offset, size);
                }
                channel.truncate(offset);
                channel.position(offset);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new Upload() {
            @Override
            public FileChannel channel() {
                return channel;
            }

            @Override
            public void commit() throws IOException {
                channel.close();
            }

            @Override
            public void close() {
                try {
                    channel.close();
                } catch (IOException e) {
                    log.warn("could not close {}: {}", path, e.toString());
                }
            }
        };
    }

    @Override
    public void delete(VirtualPath path) throws IOException {
        Path target = inParent(path);
        if (Files.isDirectory(target, NO_FOLLOW)) {
            throw new java.nio.file.FileSystemException(path.toString(), null, "Is a directory (use RMD)");
        }
        if (!Files.exists(target, NO_FOLLOW)) {
            throw new NoSuchFileException(path.toString());
        }
        Files.delete(target);
    }

    @Override
    public void makeDirectory(VirtualPath path) throws IOException {
        Path target = inParent(path);
        if (Files.exists(target, NO_FOLLOW)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        Files.createDirectory(target);
    }

    @Override
    public void removeDirectory(VirtualPath path) throws IOException {
        Path target = inParent(path);
        if (!Files.isDirectory(target, NO_FOLLOW)) {
            throw Files.exists(target, NO_FOLLOW) ? new NotDirectoryException(path.toString()) : new NoSuchFileException(path.toString());
        }
        Files.delete(target);
    }

    @Override
    public void rename(VirtualPath from, VirtualPath to) throws IOException {
        Path source = inParent(from);
        if (!Files.exists(source, NO_FOLLOW)) {
            throw new NoSuchFileException(from.toString());
        }
        Path target = inParent(to);
        if (Files.isDirectory(target, NO_FOLLOW) && !target.equals(source)) {
            throw new FileAlreadyExistsException(to.toString(), null, "a directory of that name exists");
        }
        if (to.startsWith(from) && !to.equals(from)) {
            throw new java.nio.file.FileSystemException(to.toString(), null, "cannot move a directory into itself");
        }
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void setModified(VirtualPath path, Instant time) throws IOException {
        Files.getFileAttributeView(existing(path), PosixFileAttributeView.class).setTimes(FileTime.from(time), null, null);
    }

    @Override
    public void setPermissions(VirtualPath path, int mode) throws IOException {
        Files.setPosixFilePermissions(existing(path), permissions(mode));
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                result.add(p);
            }
        }
        return result;
    }

    /** REST offset past the end of the file being resumed. */
    public static final class InvalidOffsetException extends java.nio.file.FileSystemException {
        public InvalidOffsetException(String file, long offset, long size) {
            super(file, null, "restart offset " + offset + " is past the end of the file (" + size + " bytes)");
        }
    }
}
