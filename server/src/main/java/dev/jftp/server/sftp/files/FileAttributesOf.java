package dev.jftp.server.sftp.files;

import dev.jftp.server.ftp.control.ControlCharacters;
import dev.jftp.server.storage.FileEntry;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.sshd.common.util.io.IoUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;

/**
 * A storage entry ({@link FileEntry}) in the shapes MINA's SFTP server reads attributes in: its
 * attribute map, {@link PosixFileAttributes}, and, for directory listings, {@link SftpClient.Attributes}
 * with the {@code ls -l}-style long name that SFTP version 3 sends with each entry. Owner and group
 * are shown as the user's own name (the files are theirs; there are no system accounts behind
 * them). A storage without Unix modes (S3) shows directories as 755 and files as 644. Times are UTC,
 * as in FTP's listings.
 */
final class FileAttributesOf {
    static final int DIRECTORY_MODE = 0755;
    static final int FILE_MODE = 0644;

    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Duration SIX_MONTHS = Duration.ofDays(182);

    private FileAttributesOf() {
    }

    /** The Unix permission bits shown for the entry (without the file type). */
    static int mode(FileEntry e) {
        if (e.hasMode()) {
            return e.mode() & 07777;
        }
        return e.isDirectory() ? DIRECTORY_MODE : FILE_MODE;
    }

    /** MINA's attribute map (what {@code Files.readAttributes(path, "unix:*")} would give). */
    static Map<String, Object> map(FileEntry e, String owner) {
        Map<String, Object> attributes = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        FileTime modified = FileTime.from(e.modified());
        attributes.put(IoUtils.SIZE_VIEW_ATTR, e.size());
        attributes.put(IoUtils.REGFILE_VIEW_ATTR, e.isFile());
        attributes.put(IoUtils.DIRECTORY_VIEW_ATTR, e.isDirectory());
        attributes.put(IoUtils.SYMLINK_VIEW_ATTR, false);
        attributes.put(IoUtils.OTHERFILE_VIEW_ATTR, e.type() == FileEntry.Type.OTHER);
        attributes.put(IoUtils.PERMISSIONS_VIEW_ATTR, permissions(mode(e)));
        attributes.put(IoUtils.LASTMOD_TIME_VIEW_ATTR, modified);
        attributes.put(IoUtils.LASTACC_TIME_VIEW_ATTR, modified);
        attributes.put(IoUtils.CREATE_TIME_VIEW_ATTR, modified);
        attributes.put(IoUtils.OWNER_VIEW_ATTR, owner);
        attributes.put(IoUtils.GROUP_VIEW_ATTR, owner);
        return attributes;
    }

    /** A directory entry as SFTP v3 sends it: attributes and long name. */
    static SftpClient.Attributes listed(FileEntry e, String owner, Instant now) {
        SftpClient.Attributes a = new SftpClient.Attributes();
        int mode = mode(e);
        int type = e.isDirectory() ? SftpConstants.S_IFDIR : e.isFile() ? SftpConstants.S_IFREG : 0;
        a.setType(e.isDirectory() ? SftpConstants.SSH_FILEXFER_TYPE_DIRECTORY
                : e.isFile() ? SftpConstants.SSH_FILEXFER_TYPE_REGULAR : SftpConstants.SSH_FILEXFER_TYPE_SPECIAL);
        a.setSize(e.size());
        a.setPermissions(type | mode);
        FileTime modified = FileTime.from(e.modified());
        a.setAccessTime(modified);
        a.setModifyTime(modified);
        a.setLongName(longName(e, mode, owner, now));
        return a;
    }

    /**
     * The long name: "-rw-r--r--    1 alice    alice        1234 Mar 05 14:02 name", as OpenSSH's
     * sftp-server writes it (and {@code ls -l}); control characters of the name shown as
     * {@code \xNN}, since clients print the long name as it comes.
     */
    static String longName(FileEntry e, int mode, String owner, Instant now) {
        StringBuilder sb = new StringBuilder(64 + e.name().length());
        sb.append(e.isDirectory() ? 'd' : e.isFile() ? '-' : '?');
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        sb.append("    1 ");
        pad(sb, owner, 8).append(' ');
        pad(sb, owner, 8).append(' ');
        String size = Long.toString(e.size());
        for (int i = size.length(); i < 8; i++) {
            sb.append(' ');
        }
        sb.append(size).append(' ');
        Instant modified = e.modified();
        boolean recent = modified.isBefore(now.plus(Duration.ofDays(1))) && modified.isAfter(now.minus(SIX_MONTHS));
        sb.append((recent ? RECENT : OLD).format(modified)).append(' ');
        sb.append(ControlCharacters.escape(e.name()));
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, String text, int width) {
        sb.append(text);
        for (int i = text.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb;
    }

    static EnumSet<PosixFilePermission> permissions(int mode) {
        EnumSet<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE: 0400 down to 0001
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                result.add(bits[i]);
            }
        }
        return result;
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    /** {@link PosixFileAttributes} of an entry, for {@code Files.readAttributes(path, PosixFileAttributes.class)}. */
    static PosixFileAttributes posix(FileEntry e, String owner) {
        FileTime modified = FileTime.from(e.modified());
        EnumSet<PosixFilePermission> permissions = permissions(mode(e));
        return new PosixFileAttributes() {
            @Override
            public UserPrincipal owner() {
                return () -> owner;
            }

            @Override
            public GroupPrincipal group() {
                return () -> owner;
            }

            @Override
            public Set<PosixFilePermission> permissions() {
                return EnumSet.copyOf(permissions);
            }

            @Override
            public FileTime lastModifiedTime() {
                return modified;
            }

            @Override
            public FileTime lastAccessTime() {
                return modified;
            }

            @Override
            public FileTime creationTime() {
                return modified;
            }

            @Override
            public boolean isRegularFile() {
                return e.isFile();
            }

            @Override
            public boolean isDirectory() {
                return e.isDirectory();
            }

            @Override
            public boolean isSymbolicLink() {
                return false;
            }

            @Override
            public boolean isOther() {
                return e.type() == FileEntry.Type.OTHER;
            }

            @Override
            public long size() {
                return e.size();
            }

            @Override
            public Object fileKey() {
                return e.identity();
            }
        };
    }
}
