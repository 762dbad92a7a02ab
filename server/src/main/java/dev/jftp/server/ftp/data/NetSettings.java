package dev.jftp.server.ftp.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's network settings the data connections size themselves by (Linux's /proc/sys/net/ipv4). */
final class NetSettings {
    private NetSettings() {
    }

    /**
     * The numbers of the setting {@code name} (e.g. "tcp_wmem"), or an empty array where it cannot
     * be read (not Linux): each caller has its own default.
     */
    static int[] ipv4(String name) {
        try {
            // Not Files.readString: for these files (size 0) it returned only their first byte, "4"
            // for "4096 16384 4194304" (JDK 25, Linux 6.18).
            String[] fields = String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4", name))).trim().split("\\s+");
            int[] values = new int[fields.length];
            for (int i = 0; i < fields.length; i++) {
                values[i] = Integer.parseInt(fields[i]);
            }
            return values;
        } catch (IOException | RuntimeException e) {
            return new int[0];
        }
    }
}
