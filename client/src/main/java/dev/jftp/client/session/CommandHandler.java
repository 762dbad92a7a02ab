package dev.jftp.client.session;

import dev.jftp.client.ClientException;
import java.io.IOException;
import java.util.List;

/** One client command: runs with the words that followed the command word. */
@FunctionalInterface
public interface CommandHandler {
    void run(ClientSession session, List<String> args) throws IOException, ClientException;
}
