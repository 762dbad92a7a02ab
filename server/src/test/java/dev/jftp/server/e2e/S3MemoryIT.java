package dev.jftp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.S3TestServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory check: a 400 MiB upload and download through a jftpd started with
 * {@code JFTPD_JAVA_OPTS=-Xmx160m} on S3 storage (S3Proxy's filesystem store on loopback), byte-exact,
 * with the process's peak resident memory (VmHWM) under 400 MiB: the upload is streamed as a
 * multipart upload in bounded buffers, the download as a ranged GET, neither staged anywhere.
 *
 * <p>The test holds no 400 MiB either: the file sent is sparse (a random 4 KiB block at every MiB,
 * zeros between, so a lost, doubled or misplaced MiB changes the digest), curl reads it from disk,
 * and the download goes from curl straight into sha256sum.
 */
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class S3MemoryIT {
    private static final long SIZE = 400L * 1024 * 1024;
    private static final long RSS_LIMIT_KIB = 400L * 1024;

    @TempDir
    Path work;

    @Test
    void fourHundredMebibytesUpAndDownWithASmallHeapStayUnder400MibResident() throws Exception {
        try (S3TestServer s3 = new S3TestServer(true).start()) {
            s3.freshBucket("big");
            Path local = Files.createDirectories(work.resolve("local"));
            Path file = sparseFile(local.resolve("big.bin"));
            String expected = sha256sum(local, "sha256sum " + file);

            Map<String, String> env = new HashMap<>(S3StorageCliIT.awsEnvironment(S3TestServer.SECRET_KEY));
            env.put("JFTPD_JAVA_OPTS", "-Xmx160m");
            try (JftpdProcess jftpd = JftpdProcess.start(work.resolve("node"), env, "--bind", "127.0.0.1", "--port", "0",
                    "--user", "alice:secret", "--storage", "s3://big/ftp", "--s3-endpoint", s3.endpoint().toString())) {
                String url = "ftp://alice:secret@127.0.0.1:" + jftpd.port() + "/big.bin";
                long started = System.nanoTime();
                ExternalCommand.Result up = ExternalCommand.in(local).timeout(Duration.ofMinutes(4))
                        .run("curl", "--silent", "--show-error", "--max-time", "230", "-T", file.toString(), url);
                assertThat(up.exit()).as(up.describe()).isZero();
                long uploaded = System.nanoTime();
                assertThat(s3.client().headObject(r -> r.bucket("big").key("ftp/big.bin")).contentLength()).isEqualTo(SIZE);

                String downloaded = sha256sum(local, "set -o pipefail; curl --silent --show-error --max-time 230 '" + url + "' | sha256sum");
                long done = System.nanoTime();
                assertThat(downloaded).as("the download is byte-exact").isEqualTo(expected);

                long peakKib = peakResidentKib(jftpd.pid());
                System.out.printf("S3 400 MiB with -Xmx160m: upload %.1f s, download %.1f s, jftpd peak RSS %d MiB%n",
                        (uploaded - started) / 1e9, (done - uploaded) / 1e9, peakKib / 1024);
                assertThat(peakKib).as("jftpd's peak RSS in KiB (VmHWM)").isLessThan(RSS_LIMIT_KIB);
                assertThat(jftpd.stderr()).doesNotContain("OutOfMemoryError");
            }
        }
    }

    /** SIZE bytes, holding a random 4 KiB block at the start of every MiB and holes between. */
    private static Path sparseFile(Path file) throws IOException {
        Random random = new Random(400);
        byte[] block = new byte[4096];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < SIZE; at += 1024 * 1024) {
                random.nextBytes(block);
                channel.write(ByteBuffer.wrap(block), at);
            }
            channel.truncate(SIZE);
            if (channel.size() < SIZE) {
                channel.write(ByteBuffer.wrap(new byte[1]), SIZE - 1);
            }
        }
        assertThat(Files.size(file)).isEqualTo(SIZE);
        return file;
    }

    /** The hex digest a shell pipeline ending in sha256sum printed. */
    private static String sha256sum(Path dir, String pipeline) throws IOException {
        ExternalCommand.Result run = ExternalCommand.in(dir).timeout(Duration.ofMinutes(4)).run("bash", "-c", pipeline);
        assertThat(run.exit()).as(run.describe()).isZero();
        return run.stdout().trim().split("\\s+")[0];
    }

    /** VmHWM of /proc/PID/status: the highest resident set size the process has had. */
    private static long peakResidentKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + pid + "/status");
    }
}
