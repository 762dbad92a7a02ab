package dev.jftp.server.ftps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Apache Commons Net {@link FTPSClient} against jftpd, explicit and implicit. Stock FTPSClient
 * does not resume the control session on data connections, so it is refused; the subclass below
 * makes it resume (test code only; see the comment on {@link ResumingFtpsClient}).
 */
@Timeout(120)
class FtpsCommonsNetTest {
    @TempDir
    Path dir;

    /**
     * FTPSClient with passive data connections that resume the control connection's session.
     *
     * <p>FTPSClient layers the data SSLSocket over the plain one; JSSE then looks for a session to
     * resume under the plain socket's real port, the data port, and finds none. Here the plain
     * socket reports the control port, which is where JSSE cached the control session. That leans on
     * how JSSE keys its cache, which is fine for a test; a real client uses an SSLEngine made with
     * the control host and port instead (see {@link dev.jftp.protocol.tls.ClientTlsDataChannel}). Closing a data
     * connection first reads to the server's close_notify, which takes in the TLS 1.3 ticket the
     * server sent after the handshake: JSSE spends one ticket per resumption.
     */
    static final class ResumingFtpsClient extends FTPSClient {
        private final SSLContext context;
        private final String[] protocols;

        ResumingFtpsClient(boolean implicit, SSLContext context, String... protocols) {
            super(implicit, context);
            this.context = context;
            this.protocols = protocols;
            setEnabledProtocols(protocols);
        }

        @Override
        protected Socket _openDataConnection_(String command, String arg) throws IOException {
            if (getDataConnectionMode() != PASSIVE_LOCAL_DATA_CONNECTION_MODE) {
                throw new IOException("this test client does passive mode only");
            }
            if (epsv() != FTPReply.ENTERING_EPSV_MODE) {
                return null;
            }
            _parseExtendedPassiveModeReply(_replyLines.get(0));
            int controlPort = getRemotePort();
            Socket plain = new Socket() {
                @Override
                public int getPort() {
                    return controlPort;
                }
            };
            plain.connect(new InetSocketAddress(getPassiveHost(), getPassivePort()), 10_000);
            long offset = getRestartOffset();
            setRestartOffset(0);
            if ((offset > 0 && !restart(offset)) || !FTPReply.isPositivePreliminary(sendCommand(command, arg))) {
                plain.close();
                return null;
            }
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, getRemoteAddress().getHostAddress(), controlPort, true);
            tls.setUseClientMode(true);
            tls.setEnabledProtocols(protocols);
            tls.startHandshake();
            return new DrainOnClose(tls);
        }
    }

    /** The data socket as FTPClient uses it (streams, close), closing TLS half first and reading to its end. */
    static final class DrainOnClose extends Socket {
        private final SSLSocket tls;

        DrainOnClose(SSLSocket tls) {
            this.tls = tls;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return tls.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new java.io.FilterOutputStream(tls.getOutputStream()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    DrainOnClose.this.close();
                }
            };
        }

        @Override
        public InetAddress getInetAddress() {
            return tls.getInetAddress();
        }

        @Override
        public synchronized void close() throws IOException {
            if (tls.isClosed()) {
                return;
            }
            try {
                tls.setSoTimeout(20_000);
                tls.shutdownOutput(); // close_notify: the upload is complete
                tls.getInputStream().transferTo(OutputStream.nullOutputStream());
            } finally {
                tls.close();
            }
        }
    }

    private static void login(FTPSClient ftp, int port) throws IOException {
        ftp.setConnectTimeout(10_000);
        ftp.setDefaultTimeout(20_000);
        ftp.connect(ControlConnection.HOST, port);
        assertThat(ftp.login(RunningServer.ALICE, RunningServer.ALICE_PASSWORD)).as(ftp.getReplyString()).isTrue();
        ftp.execPBSZ(0);
        ftp.execPROT("P");
        ftp.enterLocalPassiveMode();
        assertThat(ftp.setFileType(FTP.BINARY_FILE_TYPE)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"false,TLSv1.3", "false,TLSv1.2", "true,TLSv1.3", "true,TLSv1.2"})
    void listUploadDownloadAndResumeAreByteExact(boolean implicit, String protocol) throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, tls -> tls.withImplicitPort(0))) {
            ResumingFtpsClient ftp = new ResumingFtpsClient(implicit, server.clientContext(), protocol);
            try {
                login(ftp, implicit ? server.implicitPort() : server.port());
                byte[] content = new byte[2 * 1024 * 1024 + 5];
                new Random(4).nextBytes(content);

                assertThat(ftp.storeFile("up.bin", new ByteArrayInputStream(content))).as(ftp.getReplyString()).isTrue();
                assertThat(Files.readAllBytes(server.root().resolve("up.bin"))).isEqualTo(content);

                FTPFile[] files = ftp.listFiles();
                assertThat(files).extracting(FTPFile::getName).containsExactly("up.bin");
                assertThat(files[0].getSize()).isEqualTo(content.length);
                assertThat(ftp.mlistDir()).extracting(FTPFile::getName).containsExactly("up.bin");

                ByteArrayOutputStream down = new ByteArrayOutputStream();
                assertThat(ftp.retrieveFile("up.bin", down)).as(ftp.getReplyString()).isTrue();
                assertThat(down.toByteArray()).isEqualTo(content);

                ftp.setRestartOffset(1_500_000);
                ByteArrayOutputStream tail = new ByteArrayOutputStream();
                assertThat(ftp.retrieveFile("up.bin", tail)).as(ftp.getReplyString()).isTrue();
                assertThat(tail.toByteArray()).isEqualTo(Arrays.copyOfRange(content, 1_500_000, content.length));

                Files.write(server.root().resolve("half.bin"), Arrays.copyOf(content, 1_000_000));
                ftp.setRestartOffset(1_000_000);
                assertThat(ftp.storeFile("half.bin", new ByteArrayInputStream(content, 1_000_000, content.length - 1_000_000)))
                        .as(ftp.getReplyString()).isTrue();
                assertThat(Files.readAllBytes(server.root().resolve("half.bin"))).isEqualTo(content);
                assertThat(ftp.logout()).isTrue();
            } finally {
                ftp.disconnect();
            }
        }
    }

    @Test
    void stockFtpsClientDoesNotResumeTheSessionAndIsRefused425() throws Exception {
        try (RunningServer server = RunningServer.startFtps(dir, UnaryOperator.identity())) {
            Files.writeString(server.root().resolve("a.txt"), "a");
            FTPSClient ftp = new FTPSClient(false, server.clientContext());
            try {
                login(ftp, server.port());
                // its data handshake fails on the server's handshake_failure alert, then comes the 425
                assertThatThrownBy(ftp::listFiles).isInstanceOf(IOException.class);
                assertThat(ftp.getReply()).isEqualTo(425);
                assertThat(ftp.getReplyString()).contains("resume the control connection's TLS session");
            } finally {
                ftp.disconnect();
            }
        }
    }
}
