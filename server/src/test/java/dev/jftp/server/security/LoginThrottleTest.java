package dev.jftp.server.security;

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

        assertThat(throttle.recordFailure(a)).isEqualTo(Duration.ofMillis(250));
        assertThat(throttle.recordFailure(a)).isEqualTo(Duration.ofMillis(500));
        assertThat(throttle.recordFailure(a)).isEqualTo(Duration.ofMillis(1000));
        assertThat(throttle.recordFailure(a)).isEqualTo(Duration.ofMillis(2000));
        assertThat(throttle.recordFailure(a)).isEqualTo(Duration.ofMillis(4000));
        assertThat(throttle.recordFailure(a)).isEqualTo(LoginThrottle.MAX_DELAY);
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.recordFailure(a)).isEqualTo(LoginThrottle.MAX_DELAY);
        }
        assertThat(throttle.failureCount(a)).isPositive();
    }

    @Test
    void failuresFromOneAddressDoNotSlowAnother() {
        LoginThrottle throttle = new LoginThrottle(Duration.ofMillis(100));
        throttle.recordFailure(a);
        throttle.recordFailure(a);
        throttle.recordFailure(a);

        assertThat(throttle.recordFailure(b)).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.failureCount(a)).isEqualTo(3);
        assertThat(throttle.failureCount(b)).isEqualTo(1);
    }

    @Test
    void aSuccessfulLoginStartsTheScheduleAfresh() {
        LoginThrottle throttle = new LoginThrottle(Duration.ofMillis(100));
        throttle.recordFailure(a);
        throttle.recordFailure(a);

        throttle.recordSuccess(a);

        assertThat(throttle.failureCount(a)).isZero();
        assertThat(throttle.recordFailure(a)).isEqualTo(Duration.ofMillis(100));
    }
}
