package dev.jftp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-address delay schedule after wrong passwords. */
class LoginThrottleTest {
    private final InetAddress a = InetAddress.getLoopbackAddress();
    private final InetAddress b = address("127.0.0.2");

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDelayDoublesWithEachFailureUpToTheMaximum() {
        LoginThrottle throttle = new LoginThrottle(Duration.ofMillis(250));

        assertThat(throttle.recordFailure(a, "alice")).isEqualTo(Duration.ofMillis(250));
        assertThat(throttle.recordFailure(a, "alice")).isEqualTo(Duration.ofMillis(500));
        assertThat(throttle.recordFailure(a, "alice")).isEqualTo(Duration.ofMillis(1000));
        assertThat(throttle.recordFailure(a, "alice")).isEqualTo(Duration.ofMillis(2000));
        assertThat(throttle.recordFailure(a, "alice")).isEqualTo(Duration.ofMillis(4000));
        assertThat(throttle.recordFailure(a, "alice")).isEqualTo(LoginThrottle.MAX_DELAY);
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.recordFailure(a, "alice")).isEqualTo(LoginThrottle.MAX_DELAY);
        }
        assertThat(throttle.failureCount(a)).isPositive();
    }

    @Test
    void failuresFromOneAddressDoNotSlowAnother() {
        LoginThrottle throttle = new LoginThrottle(Duration.ofMillis(100));
        throttle.recordFailure(a, "alice");
        throttle.recordFailure(a, "alice");
        throttle.recordFailure(a, "alice");

        assertThat(throttle.recordFailure(b, "alice")).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.failureCount(a)).isEqualTo(3);
        assertThat(throttle.failureCount(b)).isEqualTo(1);
    }

    @Test
    void aSuccessfulLoginStartsTheScheduleAfresh() {
        LoginThrottle throttle = new LoginThrottle(Duration.ofMillis(100));
        throttle.recordFailure(a, "alice");
        throttle.recordFailure(a, "alice");

        throttle.recordSuccess(a, "alice");

        assertThat(throttle.failureCount(a)).isZero();
        assertThat(throttle.recordFailure(a, "alice")).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aSuccessClearsOnlyTheFailuresOfTheAccountItProves() {
        LoginThrottle throttle = new LoginThrottle(Duration.ofMillis(100));
        throttle.recordFailure(a, "alice");
        throttle.recordFailure(a, "alice");
        throttle.recordFailure(a, null); // a name that is no account
        throttle.recordFailure(a, "bob");

        throttle.recordSuccess(a, "anonymous");
        throttle.recordSuccess(a, "carol");
        assertThat(throttle.failureCount(a)).isEqualTo(4);
        throttle.recordSuccess(b, "alice"); // another address proves nothing here
        assertThat(throttle.failureCount(a)).isEqualTo(4);

        throttle.recordSuccess(a, "alice");
        assertThat(throttle.failureCount(a)).isEqualTo(2);
        // The delay counts every failure from the address, whichever names they were for.
        assertThat(throttle.recordFailure(a, "alice")).isEqualTo(Duration.ofMillis(400));
        throttle.recordSuccess(a, "bob");
        throttle.recordSuccess(a, "alice");
        assertThat(throttle.failureCount(a)).isEqualTo(1);
    }

    @Test
    void guessesSpreadOverManyNamesStillAddUpAndStayBounded() {
        LoginThrottle throttle = new LoginThrottle(Duration.ofMillis(1));
        int names = LoginThrottle.ACCOUNTS_PER_ADDRESS + 4;
        for (int i = 0; i < names; i++) {
            throttle.recordFailure(a, "user" + i);
        }
        assertThat(throttle.failureCount(a)).isEqualTo(names);
        // The first accounts are kept apart, so a success clears its own; the rest share one count.
        throttle.recordSuccess(a, "user0");
        assertThat(throttle.failureCount(a)).isEqualTo(names - 1);
        throttle.recordSuccess(a, "user" + (names - 1));
        assertThat(throttle.failureCount(a)).isEqualTo(names - 1);

        for (int i = 0; i < 1000; i++) {
            throttle.recordFailure(a, "other" + i);
        }
        assertThat(throttle.failureCount(a)).isEqualTo(30); // capped; the delay is at its maximum
        assertThat(throttle.recordFailure(a, "user1")).isEqualTo(LoginThrottle.MAX_DELAY);
    }
}
