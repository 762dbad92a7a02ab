package dev.jftp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Starts S3Proxy for the S3 variant of the benchmark (jftpd --storage s3://...): in its own JVM, on
 * 127.0.0.1, with its filesystem store in {@code --store}, AWS signature checking on, and a bucket
 * holding the benchmark's files below {@code root/}: the big file and the small files, copied from
 * the data root straight into the store (no HTTP) once, and an empty {@code root/UPLOADS/} for the
 * uploads. Stops on SIGTERM.
 *
 * <p>Usage: {@code S3ProxyLauncher --port N --store DIR --bucket B --data-root DIR --big NAME --uploads DIR
 * --access-key K --secret-key S}
 */
public final class S3ProxyLauncher {
    private S3ProxyLauncher() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path store = null;
        Path dataRoot = null;
        String bucket = null;
        String big = null;
        String uploads = null;
        String accessKey = null;
        String secretKey = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--store" -> store = Path.of(args[i + 1]).toAbsolutePath();
                case "--bucket" -> bucket = args[i + 1];
                case "--data-root" -> dataRoot = Path.of(args[i + 1]).toAbsolutePath();
                case "--big" -> big = args[i + 1];
                case "--uploads" -> uploads = args[i + 1];
                case "--access-key" -> accessKey = args[i + 1];
                case "--secret-key" -> secretKey = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (store == null || bucket == null || dataRoot == null || big == null || uploads == null || accessKey == null || secretKey == null) {
            System.err.println("usage: S3ProxyLauncher --port N --store DIR --bucket B --data-root DIR --big NAME --uploads DIR"
                    + " --access-key K --secret-key S");
            System.exit(2);
        }
        Files.createDirectories(store);
        BlobStore blobs = new FilesystemNio2BlobStore(store.toString());
        if (!blobs.containerExists(bucket)) {
            blobs.createContainer(bucket);
        }
        seed(blobs, bucket, dataRoot, big, uploads, store);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                System.err.println("S3Proxy did not start within 60 s: " + proxy.getState());
                System.exit(1);
            }
            Thread.sleep(10);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception e) {
                // stopping anyway
            }
        }, "s3proxy-stop"));
        System.out.println("S3Proxy listening on 127.0.0.1:" + proxy.getPort());
        System.out.flush();
    }

    /**
     * The files the figures read, as objects {@code root/NAME} and {@code root/small/fNNNN.bin}, each
     * put once (a marker file in the store remembers which big file it holds), and the uploads'
     * directory marker {@code root/UPLOADS/}.
     */
    private static void seed(BlobStore blobs, String bucket, Path dataRoot, String big, String uploads, Path store) throws IOException {
        Path seeded = store.resolve(".seeded-" + big);
        if (!Files.exists(seeded)) {
            System.out.println("S3Proxy: putting " + big + " and the small files into the bucket");
            put(blobs, bucket, "root/" + big, dataRoot.resolve(big));
            try (Stream<Path> small = Files.list(dataRoot.resolve("small"))) {
                for (Path f : small.sorted().toList()) {
                    put(blobs, bucket, "root/small/" + f.getFileName(), f);
                }
            }
            Files.writeString(seeded, "");
        }
        for (String marker : List.of("root/", "root/small/", "root/" + uploads + "/")) {
            blobs.putBlob(PutObjectRequest.builder().bucket(bucket).key(marker).contentLength(0L).build(), InputStream.nullInputStream());
        }
    }

    /** The S3Proxy version this jar was built with (bench.properties, filtered by Maven). */
    static String version() {
        try (InputStream in = S3ProxyLauncher.class.getResourceAsStream("/bench.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("s3proxy.version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }

    private static void put(BlobStore blobs, String bucket, String key, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            blobs.putBlob(PutObjectRequest.builder().bucket(bucket).key(key).contentLength(Files.size(file))
                    .contentType("application/octet-stream").build(), in);
        }
    }
}
