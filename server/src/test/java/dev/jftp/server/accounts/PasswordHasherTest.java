package dev.jftp.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1000);

    @Test
    void theRightPasswordVerifiesAndAWrongOneDoesNot() {
        String hash = hasher.hash("correct horse".toCharArray());
        assertThat(PasswordHasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("correct horsE".toCharArray(), hash)).isFalse();
        assertThat(PasswordHasher.verify("".toCharArray(), hash)).isFalse();
    }

    @Test
    void theHashNamesSchemeAndIterationsAndNeverContainsThePassword() {
        String hash = hasher.hash("p4ssw0rd".toCharArray());
        assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("p4ssw0rd");
        assertThat(hash.split("\\$")).hasSize(4);
        assertThat(PasswordHasher.isValidHash(hash)).isTrue();
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertThat(hasher.hash("same".toCharArray())).isNotEqualTo(hasher.hash("same".toCharArray()));
    }

    @Test
    void nonAsciiPasswordsWork() {
        String hash = hasher.hash("pässwörd☃".toCharArray());
        assertThat(PasswordHasher.verify("pässwörd☃".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("passwort".toCharArray(), hash)).isFalse();
    }

    @Test
    void malformedHashesNeverVerify() {
        for (String bad : new String[] {"", "plain", "pbkdf2-sha256$x$AAAA$AAAA", "md5$1000$AAAA$AAAA",
                "pbkdf2-sha256$1000$!!!$AAAA", "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$1000$AAAA$"}) {
            assertThat(PasswordHasher.verify("x".toCharArray(), bad)).as(bad).isFalse();
            assertThat(PasswordHasher.isValidHash(bad)).as(bad).isFalse();
        }
    }

    @Test
    void refusesANonPositiveIterationCount() {
        assertThatThrownBy(() -> new PasswordHasher(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
