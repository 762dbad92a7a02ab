package dev.jftp.server.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.common.SftpConstants;
import org.junit.jupiter.api.Test;

/** Which SFTP requests QuickRequestsSftpSubsystem may answer on the network thread, read from the raw request. */
class QuickRequestsTest {
    @Test
    void fileOperationsAndSmallReadsAndWritesAreQuick() {
        assertThat(QuickRequestsSftpSubsystem.isQuick(request(SftpConstants.SSH_FXP_OPEN, new byte[40]))).isTrue();
        assertThat(QuickRequestsSftpSubsystem.isQuick(request(SftpConstants.SSH_FXP_CLOSE, new byte[8]))).isTrue();
        assertThat(QuickRequestsSftpSubsystem.isQuick(read("h1", 32 * 1024))).isTrue();
        assertThat(QuickRequestsSftpSubsystem.isQuick(write("h1", 4096))).isTrue();
    }

    @Test
    void bigReadsAndWritesExtensionsAndTheHandshakeAreNot() {
        assertThat(QuickRequestsSftpSubsystem.isQuick(read("h1", 255 * 1024))).isFalse();
        assertThat(QuickRequestsSftpSubsystem.isQuick(write("h1", 255 * 1024))).isFalse();
        assertThat(QuickRequestsSftpSubsystem.isQuick(request(SftpConstants.SSH_FXP_EXTENDED, new byte[30]))).isFalse();
        assertThat(QuickRequestsSftpSubsystem.isQuick(request(SftpConstants.SSH_FXP_INIT, new byte[4]))).isFalse();
    }

    /** A READ whose handle length points past the request (or overflows) is not quick, and reading it throws nothing. */
    @Test
    void malformedReadsAreNotQuick() {
        for (int handleLength : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 10, 1000, -1}) {
            Buffer b = new ByteArrayBuffer();
            b.putUInt(1 + 4 + 4 + 2);
            b.putByte((byte) SftpConstants.SSH_FXP_READ);
            b.putInt(7);
            b.putInt(handleLength);
            b.putRawBytes(new byte[] {'h', '1'});
            assertThat(QuickRequestsSftpSubsystem.isQuick(b)).as("handle length %d", handleLength).isFalse();
        }
        assertThat(QuickRequestsSftpSubsystem.isQuick(request(SftpConstants.SSH_FXP_READ, new byte[2]))).isFalse();
    }

    private static Buffer request(int type, byte[] body) {
        Buffer b = new ByteArrayBuffer();
        b.putUInt(1 + 4 + body.length);
        b.putByte((byte) type);
        b.putInt(1);
        b.putRawBytes(body);
        return b;
    }

    private static Buffer read(String handle, int length) {
        Buffer b = new ByteArrayBuffer();
        b.putUInt(1 + 4 + 4 + handle.length() + 8 + 4);
        b.putByte((byte) SftpConstants.SSH_FXP_READ);
        b.putInt(2);
        b.putString(handle);
        b.putLong(0);
        b.putInt(length);
        return b;
    }

    private static Buffer write(String handle, int length) {
        Buffer b = new ByteArrayBuffer();
        b.putUInt(1 + 4 + 4 + handle.length() + 8 + 4 + length);
        b.putByte((byte) SftpConstants.SSH_FXP_WRITE);
        b.putInt(3);
        b.putString(handle);
        b.putLong(0);
        b.putBytes(new byte[length]);
        return b;
    }
}
