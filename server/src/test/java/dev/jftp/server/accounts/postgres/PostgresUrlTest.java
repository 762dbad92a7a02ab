package dev.jftp.server.accounts.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresUrlTest {
    @Test
    void theIssuesForm() {
        PostgresUrl url = PostgresUrl.parse("postgresql://jftpd:s3cret@db.example:6432/accounts", null);
        assertThat(url.user()).isEqualTo("jftpd");
        assertThat(url.password()).isEqualTo("s3cret");
        assertThat(url.host()).isEqualTo("db.example");
        assertThat(url.port()).isEqualTo(6432);
        assertThat(url.database()).isEqualTo("accounts");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6432/accounts");
        assertThat(url.describe()).isEqualTo("postgresql://jftpd@db.example:6432/accounts");
        assertThat(url).hasToString("postgresql://jftpd@db.example:6432/accounts");
    }

    @Test
    void postgresSchemeDefaultPortIpv6AndParameters() {
        PostgresUrl url = PostgresUrl.parse("postgres://u:p@[::1]/db?sslmode=verify-full&currentSchema=jftpd", null);
        assertThat(url.host()).isEqualTo("[::1]");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.parameters()).isEqualTo(Map.of("sslmode", "verify-full", "currentSchema", "jftpd"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
        assertThat(url.describe()).isEqualTo("postgresql://u@[::1]:5432/db");
    }

    @Test
    void percentEncodedPasswordAndPlusKept() {
        PostgresUrl url = PostgresUrl.parse("postgresql://a%40b:p%3Aw%2Fd+x@h/d", null);
        assertThat(url.user()).isEqualTo("a@b");
        assertThat(url.password()).isEqualTo("p:w/d+x");
    }

    @Test
    void withoutPasswordPgpasswordIsUsedOrNone() {
        assertThat(PostgresUrl.parse("postgresql://u@h/d", "fromenv").password()).isEqualTo("fromenv");
        assertThat(PostgresUrl.parse("postgresql://u@h/d", null).password()).isNull();
        assertThat(PostgresUrl.parse("postgresql://u:inurl@h/d", "fromenv").password()).isEqualTo("inurl");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://h/d", // no user
        "postgresql://u:topsecret@h", // no database
        "postgresql://u:topsecret@h:0/d",
        "postgresql://u:topsecret@h:99999/d",
        "postgresql://u:topsecret@h:54x/d",
        "postgresql://u:topsecret@h/d?sslmode",
        "postgresql://u:topsecret@h/d?password=topsecret",
        "postgresql://u:top%zzsecret@h/d",
        "mysql://u:topsecret@h/d",
        "postgresql://u:topsecret@[nothex]/d",
    })
    void badUrlsAreRefusedWithoutRepeatingThePassword(String text) {
        assertThatThrownBy(() -> PostgresUrl.parse(text, null)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("topsecret").contains("PostgreSQL URL");
    }

    @Test
    void tellsUrlsFromFiles() {
        assertThat(PostgresUrl.looksLikeUrl("postgresql://u@h/d")).isTrue();
        assertThat(PostgresUrl.looksLikeUrl("postgres://u@h/d")).isTrue();
        assertThat(PostgresUrl.looksLikeUrl("jftpd.users")).isFalse();
        assertThat(PostgresUrl.looksLikeUrl("postgresql.users")).isFalse();
    }
}
