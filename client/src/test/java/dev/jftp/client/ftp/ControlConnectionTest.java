package dev.jftp.client.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.client.remote.ConnectionLostException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control connection against a raw socket that sends exactly the replies under test. */
class ControlConnectionTest {
    private ServerSocket listener;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> dialogue = new CopyOnWriteArrayList<>();

    /** Serves one connection: sends {@code script} after each line it receives (the first part at once). */
    private ControlConnection connect(String... script) throws Exception {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket s = listener.accept()) {
                OutputStream out = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                out.write(script[0].getBytes(StandardCharsets.UTF_8));
                out.flush();
                for (int i = 1; i < script.length; i++) {
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    received.add(line);
                    out.write(script[i].getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (Exception e) {
                received.add("server failed: " + e);
            }
        });
        return ControlConnection.open("127.0.0.1", listener.getLocalPort(), Duration.ofSeconds(5), Duration.ofSeconds(5), dialogue::add, null);
    }

    @AfterEach
    void close() throws Exception {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void readsMultiLineRepliesUpToTheLineWithTheSameCodeAndASpace() throws Exception {
        try (ControlConnection c = connect("220-Welcome\r\n220-second\r\n123 looks like a code\r\n220 Ready\r\n",
                "211-Features:\r\n MDTM\r\n211 End\r\n")) {
            Reply greeting = c.readReply();
            assertThat(greeting.code()).isEqualTo(220);
            assertThat(greeting.lines()).hasSize(4);
            assertThat(greeting.textLines()).containsExactly("Welcome", "second", "123 looks like a code", "Ready");
            Reply feat = c.command("FEAT");
            assertThat(Features.parse(feat).has("MDTM")).isTrue();
        }
    }

    @Test
    void aGarbledReplyOrA421EndsTheConnection() throws Exception {
        try (ControlConnection c = connect("220 hi\r\n", "421 Service closing\r\n")) {
            c.readReply();
            Reply reply = c.command("NOOP");
            assertThat(reply.code()).isEqualTo(421);
            assertThat(c.isOpen()).isFalse();
        }
        listener.close();
        try (ControlConnection c = connect("hello, I am not FTP\r\n")) {
            assertThatThrownBy(c::readReply).isInstanceOf(ConnectionLostException.class).hasMessageContaining("garbled reply");
        }
    }

    @Test
    void aClosedConnectionIsALostOne() throws Exception {
        try (ControlConnection c = connect("220 hi\r\n", "")) {
            c.readReply();
            c.send("NOOP");
            assertThatThrownBy(c::readReply).isInstanceOf(ConnectionLostException.class).hasMessage("127.0.0.1 closed the connection");
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(() -> c.send("NOOP")).isInstanceOf(ConnectionLostException.class);
        }
    }

    @Test
    void neverSendsALineBreakInsideACommandNorShowsAPassword() throws Exception {
        try (ControlConnection c = connect("220 hi\r\n", "230 ok\r\n")) {
            c.readReply();
            assertThatThrownBy(() -> c.send("DELE a\r\nRMD b")).isInstanceOf(IllegalArgumentException.class);
            assertThat(c.command("PASS hunter2").code()).isEqualTo(230);
            assertThat(received).containsExactly("PASS hunter2");
            assertThat(dialogue).contains("--> PASS ****", "<-- 230 ok").noneMatch(l -> l.contains("hunter2"));
        }
    }
}
