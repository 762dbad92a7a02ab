package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-letter options before the operands ({@code -afp}, {@code -a -f}), as sftp's commands take
 * them; {@code --} ends them, so a file named "-x" can be given.
 */
public record Flags(String letters, List<String> operands) {
    public static Flags parse(String command, List<String> args, String allowed) throws ClientException {
        StringBuilder seen = new StringBuilder();
        int i = 0;
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.length() == 1) {
                break;
            }
            for (char c : arg.substring(1).toCharArray()) {
                if (allowed.indexOf(c) < 0) {
                    throw new ClientException(command + ": unknown option -" + c + (allowed.isEmpty() ? "" : " (options: -" + allowed + ")"));
                }
                seen.append(c);
            }
        }
        return new Flags(seen.toString(), new ArrayList<>(args.subList(i, args.size())));
    }

    public boolean has(char letter) {
        return letters.indexOf(letter) >= 0;
    }
}
