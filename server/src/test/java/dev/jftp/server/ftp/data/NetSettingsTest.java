package dev.jftp.server.ftp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kernel's settings as the data connections read them, against what cat(1) prints of them. */
class NetSettingsTest {
    private static int[] byCat(String name) throws Exception {
        Process cat = new ProcessBuilder("cat", "/proc/sys/net/ipv4/" + name).start();
        String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(cat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Arrays.stream(out.split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void readsEveryNumberOfASetting() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/sys/net/ipv4")), "not Linux: no /proc/sys/net/ipv4");
        // Files.readString of these files returned only their first byte ("4" of "4096 16384 4194304").
        assertThat(NetSettings.ipv4("tcp_wmem")).hasSize(3).containsExactly(byCat("tcp_wmem"));
        assertThat(NetSettings.ipv4("ip_local_port_range")).hasSize(2).containsExactly(byCat("ip_local_port_range"));
    }

    @Test
    void aSettingThatCannotBeReadIsEmpty() {
        assertThat(NetSettings.ipv4("no_such_setting")).isEmpty();
    }
}
