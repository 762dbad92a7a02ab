package dev.jftp.server.sftp;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.storage.s3.S3Storage;
import dev.jftp.server.testing.S3TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SFTP over the S3 backend (S3Proxy in this JVM): no modes, no writing in place. */
class SftpOverS3Test extends SftpFilesContract {
    @RegisterExtension
    static final S3TestServer s3 = new S3TestServer();

    private S3Storage s3Storage;

    @Override
    Storage newStorage(Path work) throws Exception {
        s3Storage = S3Backend.storage(s3);
        return s3Storage;
    }

    /** An interrupted upload leaves no multipart upload open in the bucket. */
    @Override
    void assertNoUploadLeftovers() throws Exception {
        String bucket = s3Storage.describe().substring("s3://".length()).split("/")[0];
        waitFor(() -> s3.client().listMultipartUploads(r -> r.bucket(bucket)).uploads().isEmpty(), "no multipart upload left");
    }
}
