package dev.jftp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.accounts.User;
import dev.jftp.server.testing.ControlConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong passwords over real sockets: 530 after a delay that grows with each failure from the same
 * address (across sessions), 421 and close at the third failure in one session, and the right
 * password still works. Delays are checked as lower bounds only, so a slow machine cannot fail them.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WrongPasswordTest {
    private static final Duration BASE = Duration.ofMillis(100);

    @TempDir
    Path root;

    /** USER + PASS; returns the PASS reply and how long it took. */
    private record Attempt(String reply, Duration took) {
    }

    private static Attempt login(ControlConnection c, String user, String password) throws IOException {
        assertThat(c.command("USER " + user).last()).startsWith("331");
        long started = System.nanoTime();
        String reply = c.command("PASS " + password).last();
        return new Attempt(reply, Duration.ofNanos(System.nanoTime() - started));
    }

    private static ControlConnection connect(RunningServer server) throws IOException {
        ControlConnection c = ControlConnection.connect(server.port());
        assertThat(c.reply().last()).startsWith("220");
        return c;
    }

    @Test
    void eachFailureFromAnAddressWaitsLongerAndTheRightPasswordStillWorks() throws Exception {
        try (RunningServer server = RunningServer.start(root, c -> c.withLoginFailureDelay(BASE))) {
            try (ControlConnection first = connect(server)) {
                Attempt one = login(first, RunningServer.ALICE, "wrong-1");
                assertThat(one.reply()).isEqualTo("530 Login incorrect");
                assertThat(one.took()).isGreaterThanOrEqualTo(BASE);

                Attempt two = login(first, RunningServer.ALICE, "wrong-2");
                assertThat(two.reply()).isEqualTo("530 Login incorrect");
                assertThat(two.took()).isGreaterThanOrEqualTo(BASE.multipliedBy(2));
            }
            // A new connection from the same address does not start the count again.
            try (ControlConnection second = connect(server)) {
                Attempt three = login(second, RunningServer.ALICE, "wrong-3");
                assertThat(three.reply()).isEqualTo("530 Login incorrect");
                assertThat(three.took()).isGreaterThanOrEqualTo(BASE.multipliedBy(4));

                // An unknown user is answered the same way: names cannot be probed.
                Attempt unknown = login(second, "nobody", "whatever");
                assertThat(unknown.reply()).isEqualTo("530 Login incorrect");
                assertThat(unknown.took()).isGreaterThanOrEqualTo(BASE.multipliedBy(8));

                Attempt right = login(second, RunningServer.ALICE, RunningServer.ALICE_PASSWORD);
                assertThat(right.reply()).isEqualTo("230 User alice logged in");
                assertThat(second.command("PWD").last()).startsWith("257 \"/\"");
                assertThat(second.command("QUIT").last()).startsWith("221");
            }
        }
    }

    /**
     * A login proves one account only: an anonymous login between guesses at alice's password (or
     * a login as another user) must not start alice's schedule afresh. (It did: 8 wrong passwords
     * for alice took 33 s, with an anonymous login between each 3.3 s.)
     */
    @Test
    void aLoginToAnotherAccountDoesNotClearTheAddressFailures() throws Exception {
        try (RunningServer server = RunningServer.start(root, c -> c.withLoginFailureDelay(BASE).withAnonymous(true))) {
            Attempt last = null;
            for (int i = 1; i <= 4; i++) {
                try (ControlConnection c = connect(server)) {
                    last = login(c, RunningServer.ALICE, "wrong-" + i);
                    assertThat(last.reply()).isEqualTo("530 Login incorrect");
                    assertThat(login(c, "anonymous", "guest@example.com").reply()).startsWith("230");
                }
            }
            // The fourth failure from this address: 8 x the base delay, anonymous logins or not.
            assertThat(last.took()).isGreaterThanOrEqualTo(BASE.multipliedBy(8));

            // Guesses at a name that is no account are not cleared by alice's own login either.
            try (ControlConnection c = connect(server)) {
                assertThat(login(c, RunningServer.ALICE, RunningServer.ALICE_PASSWORD).reply()).startsWith("230");
            }
            try (ControlConnection c = connect(server)) {
                assertThat(login(c, "nobody", "x").reply()).isEqualTo("530 Login incorrect");
                assertThat(login(c, RunningServer.ALICE, RunningServer.ALICE_PASSWORD).reply()).startsWith("230");
            }
            try (ControlConnection c = connect(server)) {
                Attempt afterOwnLogin = login(c, RunningServer.ALICE, "wrong-again");
                assertThat(afterOwnLogin.reply()).isEqualTo("530 Login incorrect");
                // alice's four failures are gone (her login proved them hers), nobody's one is not:
                // this is the address's second failure.
                assertThat(afterOwnLogin.took()).isGreaterThanOrEqualTo(BASE.multipliedBy(2));
            }
        }
    }

    @Test
    void aLoginVerifiedBeforeIsNotHeldUpByAGuessServingItsDelay() throws Exception {
        Duration delay = Duration.ofSeconds(3);
        try (RunningServer server = RunningServer.start(root, c -> c.withLoginFailureDelay(delay))) {
            try (ControlConnection first = connect(server)) {
                assertThat(login(first, RunningServer.ALICE, RunningServer.ALICE_PASSWORD).reply()).startsWith("230");
            }
            try (ControlConnection guesser = connect(server); ControlConnection known = connect(server)) {
                assertThat(guesser.command("USER " + RunningServer.ALICE).last()).startsWith("331");
                long guessed = System.nanoTime();
                guesser.send("PASS wrong"); // takes the address's turn and keeps it through its delay
                // The remembered login needs no turn: it is answered while the guess still waits.
                assertThat(login(known, RunningServer.ALICE, RunningServer.ALICE_PASSWORD).reply()).startsWith("230");
                assertThat(guesser.socket().getInputStream().available()).as("the guess is still unanswered").isZero();
                assertThat(guesser.reply().last()).isEqualTo("530 Login incorrect");
                assertThat(Duration.ofNanos(System.nanoTime() - guessed)).isGreaterThanOrEqualTo(delay);
            }
        }
    }

    @Test
    void theThirdFailureInASessionIsAnsweredWith421AndTheConnectionClosed() throws Exception {
        try (RunningServer server = RunningServer.start(root, c -> c.withLoginFailureDelay(Duration.ofMillis(1)));
             ControlConnection c = connect(server)) {
            assertThat(login(c, RunningServer.ALICE, "a").reply()).isEqualTo("530 Login incorrect");
            assertThat(login(c, RunningServer.ALICE, "b").reply()).isEqualTo("530 Login incorrect");
            assertThat(login(c, RunningServer.ALICE, "c").reply()).startsWith("421 ");
            assertThat(c.awaitClosedByServer()).isTrue();

            // The address may still log in with the right password.
            FTPClient ftp = server.alice();
            assertThat(ftp.printWorkingDirectory()).isEqualTo("/");
            ftp.logout();
            ftp.disconnect();
            server.awaitSessionCount(0, Duration.ofSeconds(30));
        }
    }

    @Test
    void aClientWaitingOutAFailedLoginHoldsUpNobodyElse() throws Exception {
        // A delay far longer than the rest of the test: the other client finishes well inside it.
        try (RunningServer server = RunningServer.start(root, c -> c.withLoginFailureDelay(Duration.ofSeconds(60)));
             ControlConnection guesser = connect(server)) {
            assertThat(guesser.command("USER " + RunningServer.ALICE).last()).startsWith("331");
            guesser.send("PASS wrong");

            // Logins from the guesser's own address take turns behind its delay (LoginThrottle);
            // a client from another address is not held up at all.
            FTPClient other = new FTPClient();
            other.setDefaultTimeout(30_000);
            other.connect(java.net.InetAddress.getLoopbackAddress(), server.port(), java.net.InetAddress.getByName("127.0.0.2"), 0);
            assertThat(other.login(RunningServer.ALICE, RunningServer.ALICE_PASSWORD)).as(other.getReplyString()).isTrue();
            // (Control commands only: its data connections would come from 127.0.0.1, which the
            // server rightly refuses for a client at 127.0.0.2.)
            assertThat(other.printWorkingDirectory()).isEqualTo("/");
            assertThat(other.sendNoOp()).isTrue();
            assertThat(other.logout()).isTrue();
            other.disconnect();

            assertThat(guesser.socket().getInputStream().available()).as("the guesser is still waiting for its 530").isZero();
            // Stopping the server does not wait for the guesser's delay to run out.
            server.close();
            assertThat(server.ftp().sessionCount()).isZero();
        }
    }
}
