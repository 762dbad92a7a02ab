package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code ssh -Q}-style list of SSH algorithms is what the server offers, in order
 * (so that the documentation cannot drift from {@link SshAlgorithms}), and nothing weak is in it.
 */
class SshAlgorithmsReadmeTest {
    private static final List<String> CATEGORIES = List.of("kex", "cipher", "mac", "key-sig");

    @Test
    void readmeListsExactlyTheOfferedAlgorithms() throws Exception {
        SshServer server = SshServer.setUpDefaultServer();
        SshAlgorithms.apply(server);
        Map<String, List<String>> documented = documented();
        for (String category : CATEGORIES) {
            assertThat(documented.get(category)).as(category).containsExactlyElementsOf(SshAlgorithms.offered(server, category));
        }
        List<String> all = documented.values().stream().flatMap(List::stream).toList();
        assertThat(all).noneMatch(name -> name.startsWith("diffie-hellman") || name.contains("cbc") || name.contains("3des")
                || name.startsWith("hmac-sha1") || name.equals("ssh-rsa") || name.equals("ssh-dss") || name.contains("md5"));
    }

    /** The block after "Algorithms offered" in the README: "category: names…" with continuation lines. */
    private static Map<String, List<String>> documented() throws Exception {
        Path readme = Path.of("..", "README.md");
        List<String> lines = Files.readAllLines(readme);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Algorithms offered, as `ssh -Q`")) {
                start = i;
                break;
            }
        }
        assertThat(start).as("README section 'Algorithms offered'").isNotNegative();
        while (!lines.get(start).equals("```")) {
            start++;
        }
        Map<String, List<String>> names = new LinkedHashMap<>();
        String category = null;
        for (int i = start + 1; !lines.get(i).equals("```"); i++) {
            String line = lines.get(i).strip();
            int colon = line.indexOf(": ");
            if (colon > 0 && CATEGORIES.contains(line.substring(0, colon))) {
                category = line.substring(0, colon);
                line = line.substring(colon + 1);
            }
            names.computeIfAbsent(category, c -> new ArrayList<>()).addAll(Arrays.asList(line.strip().split("\\s+")));
        }
        assertThat(names.keySet()).containsExactlyElementsOf(CATEGORIES);
        return names;
    }
}
