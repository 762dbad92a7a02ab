package dev.jftp.server.sftp;

import dev.jftp.server.storage.Storage;
import dev.jftp.server.testing.S3TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SFTP over the S3 backend (S3Proxy in this JVM): no modes, no writing in place. */
class SftpOverS3Test extends SftpFilesContract {
    @RegisterExtension
    static final S3TestServer s3 = new S3TestServer();

    @Override
    Storage newStorage(Path work) throws Exception {
        return S3Backend.storage(s3);
    }
}
