package dev.jftp.client.transfer;

import dev.jftp.client.Problems;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Permission bits of files and directories a transfer creates: the remote mode with -p, or the
 * default (0666 for files, 0777 for directories) less the lumask. The JDK cannot set the process
 * umask, so lumask is applied by setting the bits after creation.
 */
public final class LocalModes {
    private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private LocalModes() {
    }

    /**
     * Sets the mode of {@code file}: {@code preserved} when it is known (>= 0), otherwise
     * {@code defaultMode}; in both cases less the umask. Without a preserved mode and without a
     * umask the file keeps what the process gave it.
     */
    public static void apply(Path file, int preserved, int defaultMode, Integer umask, PrintWriter err) {
        if (preserved < 0 && umask == null) {
            return;
        }
        int mode = (preserved >= 0 ? preserved : defaultMode) & 0777;
        if (umask != null) {
            mode &= ~umask;
        }
        try {
            Files.setPosixFilePermissions(file, toPermissions(mode));
        } catch (IOException e) {
            err.println("Cannot set the mode of " + file + ": " + Problems.describe(e));
        } catch (UnsupportedOperationException e) {
            err.println("Cannot set the mode of " + file + ": the file system has no Unix permissions");
        }
    }

    public static Set<PosixFilePermission> toPermissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(BITS[i]);
            }
        }
        return set;
    }

    public static int toMode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (permissions.contains(BITS[i])) {
                mode |= 1 << i;
            }
        }
        return mode;
    }
}
