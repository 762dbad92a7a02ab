package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.storage.local.LocalStorage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH connection's socket as the server keeps it. */
class SftpSocketOptionsTest {
    @TempDir
    Path work;

    /**
     * TCP_NODELAY, as OpenSSH's sshd sets it: SFTP is request and reply, and with Nagle's algorithm
     * a small reply may wait for the acknowledgement of the one before (1000 small puts with
     * OpenSSH's sftp took 2.5-3 times as long).
     */
    @Test
    void repliesAreSentWithoutNaglesDelay() throws Exception {
        try (SftpTestServer server = SftpTestServer.start(LocalStorage.at(Files.createDirectories(work.resolve("root"))), work);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            IoSession io = server.onlyConnection();
            assertThat(io).isInstanceOf(Nio2Session.class);
            assertThat(((Nio2Session) io).getSocket().getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            assertThat(io).as("replies written from the SFTP thread complete there").isInstanceOf(DirectWriteTransport.DirectWriteSession.class);
        }
    }
}
