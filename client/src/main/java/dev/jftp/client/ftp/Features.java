package dev.jftp.client.ftp;

import dev.jftp.protocol.ReplyCode;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the server announced in its FEAT reply (RFC 2389 section 3.2): feature name to parameters. */
public final class Features {
    public static final Features NONE = new Features(Map.of());

    private final Map<String, String> features;

    private Features(Map<String, String> features) {
        this.features = features;
    }

    /** Parses a 211 FEAT reply: the lines between the first and the last name one feature each. */
    public static Features parse(Reply reply) {
        if (!reply.is(ReplyCode.SYSTEM_STATUS)) {
            return NONE;
        }
        List<String> lines = reply.lines();
        Map<String, String> found = new HashMap<>();
        for (int i = 1; i < lines.size() - 1; i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            String name = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String parameters = space < 0 ? "" : line.substring(space + 1).strip();
            found.put(name, parameters);
        }
        return new Features(Map.copyOf(found));
    }

    public boolean has(String name) {
        return features.containsKey(name.toUpperCase(Locale.ROOT));
    }

    /** The parameters after the feature name ("" when none; null when the feature is absent). */
    public String parameters(String name) {
        return features.get(name.toUpperCase(Locale.ROOT));
    }

    /** "REST STREAM" (RFC 3659 section 5): REST works with stream-mode STOR and RETR. */
    public boolean hasRestStream() {
        String rest = parameters("REST");
        return rest != null && rest.toUpperCase(Locale.ROOT).contains("STREAM");
    }

    @Override
    public String toString() {
        return features.keySet().toString();
    }
}
