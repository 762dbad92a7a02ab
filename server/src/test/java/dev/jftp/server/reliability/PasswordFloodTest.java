package dev.jftp.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.RunningServer;
import dev.jftp.server.testing.Reply;
import dev.jftp.server.testing.ControlConnection;
import dev.jftp.server.auth.LoginThrottle;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 100 wrong passwords a second from one address, each on a new connection, for a few seconds:
 * the server must answer only a trickle of them (the login throttle), never let one in, and
 * meanwhile serve other addresses as if nothing happened: a right password from 127.0.0.2 logs in
 * at once, a wrong one from a third address gets only the first, short delay.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PasswordFloodTest {
    private static final int PER_SECOND = 100;
    private static final Duration ATTACK = Duration.ofSeconds(4);
    /** Attacking clients wait this long after the attack for their answers, then hang up. */
    private static final Duration PATIENCE = Duration.ofSeconds(2);
    private static final InetAddress ATTACKER = address(5);
    private static final InetAddress NEIGHBOUR = address(2);

    @TempDir
    Path root;
    static RunningServer server;

    @BeforeEach
    void start() throws IOException {
        server = RunningServer.start(root, c -> c.withLoginFailureDelay(LoginThrottle.BASE_DELAY));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    enum Attack {
        /** Guessing the password of a real account. */
        WRONG_PASSWORD("alice"),
        /** Guessing names: unknown users cost a full-strength password hash each, on purpose (timing). */
        UNKNOWN_USER("mallory");

        final String user;

        Attack(String user) {
            this.user = user;
        }
    }

    /** What one attacking connection got. */
    enum Result { REFUSED_AT_CONNECT, VERDICT_IN_ATTACK, VERDICT_LATER, GAVE_UP, LOGGED_IN }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void wrongPasswordsFromOneAddressAreThrottledAndOtherAddressesAreUnaffected(Attack attack) throws Exception {
        try (ControlConnection warm = server.loggedIn()) {
            warm.command("QUIT", 221);
        }
        awaitSessions(0);
        ResourceBaseline baseline = ResourceBaseline.capture();

        long started = System.nanoTime();
        long attackEnd = started + ATTACK.toNanos();
        ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Result>> attempts = new ArrayList<>();
        List<Long> neighbourLogins = Collections.synchronizedList(new ArrayList<>());
        List<Long> clumsyRefusals = Collections.synchronizedList(new ArrayList<>());
        int total = (int) (ATTACK.toSeconds() * PER_SECOND);
        for (int i = 0; i < total; i++) {
            long due = started + i * (1_000_000_000L / PER_SECOND);
            pauseUntil(due);
            int n = i;
            attempts.add(attackers.submit(() -> guess(attack.user, "guess-" + n, attackEnd)));
            if (i % PER_SECOND == PER_SECOND / 2) {
                attackers.submit(() -> neighbourLogins.add(timedLogin(NEIGHBOUR, RunningServer.ALICE_PASSWORD, 230)));
                // each from an address of its own (127.0.0.10...): its first failure, so the shortest delay
                InetAddress clumsy = address(10 + i / PER_SECOND);
                attackers.submit(() -> clumsyRefusals.add(timedLogin(clumsy, "typo-" + n, 530)));
            }
        }
        attackers.shutdown();
        assertThat(attackers.awaitTermination(60, TimeUnit.SECONDS)).as("attack clients finished").isTrue();

        LongAdder[] counts = new LongAdder[Result.values().length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
        for (Future<Result> f : attempts) {
            counts[f.get().ordinal()].increment();
        }
        long inAttack = counts[Result.VERDICT_IN_ATTACK.ordinal()].sum();
        long later = counts[Result.VERDICT_LATER.ordinal()].sum();
        assertThat(counts[Result.LOGGED_IN.ordinal()].sum()).isZero();
        assertThat(inAttack).as("wrong passwords answered during the %d s attack (of %d sent)", ATTACK.toSeconds(), total)
                .isLessThanOrEqualTo(total / 10);
        assertThat(neighbourLogins).hasSize((int) ATTACK.toSeconds());
        assertThat(clumsyRefusals).hasSize((int) ATTACK.toSeconds());
        long slowestNeighbour = Collections.max(neighbourLogins);
        long slowestClumsy = Collections.max(clumsyRefusals);
        // The attacker's address waits up to 8 s per answer; another address must not wait anything like
        // it (the bound is half of that, generous for a loaded machine: measured figures are ~10 ms and ~260 ms).
        long bound = LoginThrottle.MAX_DELAY.toMillis() / 2;
        assertThat(slowestNeighbour).as("slowest login (ms) from another address during the attack").isLessThan(bound);
        assertThat(slowestClumsy).as("slowest wrong-password reply (ms) from a third address").isLessThan(bound);

        Figures.record("password flood (" + attack + ")", String.format("%d wrong passwords at %d/s from one address for %d s: %d answered during the attack"
                + " (%.1f/s), %d after it, %d refused at connect (per-address limit), %d hung up unanswered, 0 logged in;"
                + " other addresses: right password logged in in at most %d ms, wrong one answered in at most %d ms",
                total, PER_SECOND, ATTACK.toSeconds(), inAttack, inAttack / (double) ATTACK.toSeconds(), later,
                counts[Result.REFUSED_AT_CONNECT.ordinal()].sum(), counts[Result.GAVE_UP.ordinal()].sum(), slowestNeighbour, slowestClumsy));
        baseline.assertReturned(server::sessionCount, Duration.ofSeconds(30));
    }

    /** One connection, one wrong password, waiting at most until {@code attackEnd} + patience for the answer. */
    private static Result guess(String user, String password, long attackEnd) throws IOException {
        ControlConnection c;
        try {
            c = ControlConnection.connect(server.port(), ATTACKER, Duration.ofSeconds(10));
        } catch (IOException refused) {
            return Result.REFUSED_AT_CONNECT;
        }
        try (c) {
            Reply greeting = c.reply();
            if (greeting.code() == 421) {
                return Result.REFUSED_AT_CONNECT;
            }
            c.command("USER " + user, 331);
            c.setTimeout(Duration.ofMillis(Math.max(1, (attackEnd + PATIENCE.toNanos() - System.nanoTime()) / 1_000_000)));
            Reply verdict;
            try {
                verdict = c.command("PASS " + password);
            } catch (java.net.SocketTimeoutException noAnswerYet) {
                return Result.GAVE_UP;
            }
            if (verdict.code() == 230) {
                return Result.LOGGED_IN;
            }
            assertThat(verdict.code()).isIn(530, 421);
            return System.nanoTime() <= attackEnd ? Result.VERDICT_IN_ATTACK : Result.VERDICT_LATER;
        }
    }

    /** Milliseconds from connect to the expected reply to PASS. */
    private static long timedLogin(InetAddress from, String password, int expected) throws IOException {
        long t0 = System.nanoTime();
        try (ControlConnection c = ControlConnection.connect(server.port(), from, Duration.ofSeconds(30))) {
            c.expect(220);
            c.command("USER " + RunningServer.ALICE, 331);
            c.command("PASS " + password, expected);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            c.command("QUIT", 221);
            return millis;
        }
    }

    private static void pauseUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            ResourceBaseline.pause(Math.max(1, wait / 1_000_000));
        }
    }

    private static void awaitSessions(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.sessionCount() != count) {
            assertThat(System.nanoTime()).as("%d sessions within 30 s", count).isLessThan(deadline);
            ResourceBaseline.pause(20);
        }
    }

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
