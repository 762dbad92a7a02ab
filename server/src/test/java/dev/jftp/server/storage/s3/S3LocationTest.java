package dev.jftp.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3LocationTest {
    @Test
    void parsesBucketAndNormalisesThePrefix() {
        assertThat(S3Location.parse("s3://bucket")).isEqualTo(new S3Location("bucket", ""));
        assertThat(S3Location.parse("s3://bucket/")).isEqualTo(new S3Location("bucket", ""));
        assertThat(S3Location.parse("S3://my.bucket-1/data//ftp/")).isEqualTo(new S3Location("my.bucket-1", "data/ftp/"));
        assertThat(S3Location.parse("s3://b/p").toString()).isEqualTo("s3://b/p/");
        assertThat(S3Location.parse("s3://b/p").below("/users/alice/")).isEqualTo(new S3Location("b", "p/users/alice/"));
        assertThat(S3Location.parse("s3://b/p").below("")).isEqualTo(new S3Location("b", "p/"));
    }

    @Test
    void refusesWhatIsNoBucketLocation() {
        assertThatThrownBy(() -> S3Location.parse("http://bucket/p")).hasMessageContaining("s3://BUCKET/PREFIX");
        assertThatThrownBy(() -> S3Location.parse("s3:///p")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> S3Location.parse("s3://bad bucket/p")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> S3Location.parse("s3://b/a/../c")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> S3Location.parse("s3://b/p").below("../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
