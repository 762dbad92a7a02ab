package dev.jftp.server.accounts.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jftp.server.accounts.AccountStoreUnavailableException;
import dev.jftp.server.accounts.PasswordHasher;
import dev.jftp.server.accounts.Permission;
import dev.jftp.server.accounts.StoredAccount;
import dev.jftp.server.testing.LogCapture;
import dev.jftp.server.testing.TemporaryPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL account store against a real PostgreSQL started for this class: schema creation
 * by two nodes at once, the account operations, changes reaching another node (NOTIFY and the poll
 * fallback), the database going away and coming back, and no password in any message or log line.
 */
class PostgresAccountStoreTest {
    @RegisterExtension
    static final TemporaryPostgres postgres = new TemporaryPostgres();

    /** The promise: every node sees a change within 5 seconds. */
    private static final long PROPAGATION_SECONDS = 5;
    /** Faster than the default 2 s, so that the poll fallback test is quick; NOTIFY does not depend on it. */
    private static final PostgresAccountStore.Settings SETTINGS = PostgresAccountStore.Settings.defaults()
            .withPollInterval(Duration.ofMillis(500));
    private static final String HASH = new PasswordHasher(1_000).hash("secret".toCharArray());

    private static StoredAccount account(String name, String home, Set<Permission> permissions, String... keys) {
        return new StoredAccount(name, HASH, home, permissions, List.of(keys));
    }

    @Test
    void twoNodesStartingAtOnceCreateTheSchemaOnce() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        int nodes = 4;
        CyclicBarrier together = new CyclicBarrier(nodes);
        List<PostgresAccountStore> stores = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try (LogCapture logs = LogCapture.of("dev.jftp.server.accounts.postgres")) {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                started.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    stores.add(PostgresAccountStore.open(url, SETTINGS));
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(stores).hasSize(nodes).allMatch(PostgresAccountStore::isAvailable);
            assertThat(postgres.psql(url.database(), "SELECT version FROM jftpd_schema_version ORDER BY version").strip())
                    .isEqualTo(Integer.toString(AccountSchema.LATEST));
            assertThat(logs.lines()).filteredOn(l -> l.contains("accounts schema")).hasSize(1)
                    .allMatch(l -> l.contains("created"));
            assertThat(logs.lines()).noneMatch(l -> l.startsWith("WARN") || l.startsWith("ERROR"));
            // and the schema works: one node writes, another reads
            stores.get(0).put(account("alice", "alice", Permission.ALL));
            assertThat(stores.get(nodes - 1).find("alice")).isPresent();
        } finally {
            pool.shutdownNow();
            stores.forEach(PostgresAccountStore::close);
        }
    }

    @Test
    void migrationsRunAtOnceOnSeveralConnectionsApplyOnce() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        int connections = 4;
        CyclicBarrier together = new CyclicBarrier(connections);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<Integer>> found = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                found.add(pool.submit(() -> {
                    try (Connection c = PostgresAccountStore.openConnection(url, SETTINGS)) {
                        together.await(30, TimeUnit.SECONDS);
                        return AccountSchema.ensure(c);
                    }
                }));
            }
            List<Integer> before = new ArrayList<>();
            for (Future<Integer> f : found) {
                before.add(f.get(60, TimeUnit.SECONDS));
            }
            // exactly one found nothing and created it; the others found it done
            assertThat(before).containsOnlyOnce(0).filteredOn(v -> v != 0).containsOnly(AccountSchema.LATEST);
        } finally {
            pool.shutdownNow();
        }
        assertThat(postgres.psql(url.database(), "SELECT count(*) FROM jftpd_schema_version").strip()).isEqualTo("1");
    }

    @Test
    void putFindListRemove() throws Exception {
        try (PostgresAccountStore store = PostgresAccountStore.open(PostgresUrl.parse(postgres.newDatabase()), SETTINGS)) {
            assertThat(store.find("bob")).isEmpty();
            assertThat(store.list()).isEmpty();

            StoredAccount bob = account("bob", "/srv/ftp/bob", Set.of(Permission.READ, Permission.WRITE),
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBob bob@laptop");
            store.put(bob);
            assertThat(store.find("bob")).contains(bob);

            StoredAccount bobReadOnly = new StoredAccount("bob", new PasswordHasher(1_000).hash("new".toCharArray()), "shared",
                    Permission.READ_ONLY, List.of());
            store.put(bobReadOnly);
            assertThat(store.find("bob")).contains(bobReadOnly);

            store.put(account("alice", "", Permission.ALL));
            store.put(account("carol.x@example", "c", Set.of()));
            assertThat(store.list()).extracting(StoredAccount::name).containsExactly("alice", "bob", "carol.x@example");

            assertThat(store.remove("bob")).isTrue();
            assertThat(store.remove("bob")).isFalse();
            assertThat(store.find("bob")).isEmpty();
            assertThat(store.list()).extracting(StoredAccount::name).containsExactly("alice", "carol.x@example");

            // names and hashes are checked as for the users file; a name that cannot exist is not looked up
            assertThatThrownBy(() -> store.put(account("no way", "", Permission.ALL))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad user name");
            assertThatThrownBy(() -> store.put(new StoredAccount("dave", "plain", "", Permission.ALL, List.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pbkdf2-sha256");
            assertThat(store.find("x\u0000y")).isEmpty();
            assertThat(store.find("")).isEmpty();
        }
    }

    @Test
    void manyConcurrentLookupsShareAFewConnections() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        try (PostgresAccountStore store = PostgresAccountStore.open(url, SETTINGS);
                ExecutorService logins = Executors.newVirtualThreadPerTaskExecutor()) {
            store.put(account("nina", "nina", Permission.ALL));
            List<Future<Optional<StoredAccount>>> found = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                found.add(logins.submit(() -> store.find("nina")));
            }
            for (Future<Optional<StoredAccount>> f : found) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isPresent();
            }
            // the pool's connections and the watcher's one, however many logins came at once
            String open = postgres.psql(url.database(),
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'jftpd' AND datname = '" + url.database() + "'");
            assertThat(Integer.parseInt(open.strip())).isBetween(1, SETTINGS.poolSize() + 1);
        }
    }

    @Test
    void aRowEditedByHandIntoNonsenseIsNoAccountAndSaysWhy() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        try (PostgresAccountStore store = PostgresAccountStore.open(url, SETTINGS);
                LogCapture logs = LogCapture.of("dev.jftp.server.accounts.postgres")) {
            store.put(account("erin", "erin", Permission.ALL));
            postgres.psql(url.database(), "UPDATE jftpd_accounts SET permissions = 'read,fly' WHERE name = 'erin'");
            assertThat(store.find("erin")).isEmpty();
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("'erin'") && l.contains("unknown permission 'fly'"));
        }
    }

    @Test
    void aChangeOnOneNodeReachesTheOtherWithinFiveSeconds() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        try (PostgresAccountStore nodeA = PostgresAccountStore.open(url, SETTINGS);
                PostgresAccountStore nodeB = PostgresAccountStore.open(url, SETTINGS)) {
            BlockingQueue<String> seenByB = new LinkedBlockingQueue<>();
            BlockingQueue<String> seenByA = new LinkedBlockingQueue<>();
            nodeB.onChange(seenByB::add);
            nodeA.onChange(seenByA::add);

            nodeA.put(account("frank", "frank", Permission.ALL)); // new user
            assertThat(seenByB.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS)).isEqualTo("frank");
            assertThat(seenByA.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS)).isEqualTo("frank");
            assertThat(nodeB.find("frank")).isPresent();

            nodeA.put(new StoredAccount("frank", new PasswordHasher(1_000).hash("other".toCharArray()), "frank",
                    Permission.ALL, List.of())); // new password
            assertThat(seenByB.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS)).isEqualTo("frank");

            nodeB.put(account("frank", "frank", Permission.READ_ONLY)); // permissions, through the other node
            assertThat(seenByA.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS)).isEqualTo("frank");

            assertThat(nodeA.remove("frank")).isTrue(); // removed
            assertThat(seenByB.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS)).isEqualTo("frank");

            // by hand in SQL, bypassing jftpd: the trigger still reports it
            postgres.psql(url.database(), "INSERT INTO jftpd_accounts (name, password_hash, home, permissions) VALUES ('gina', '"
                    + HASH + "', 'gina', 'read')");
            // B also saw its own change of frank: one more "frank", or none when its watcher read both
            // of frank's last changes in one batch (names are reported once per batch). Skip those.
            String next = seenByB.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS);
            for (int skipped = 0; skipped < 3 && "frank".equals(next); skipped++) {
                next = seenByB.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS);
            }
            assertThat(next).isEqualTo("gina");
        }
    }

    @Test
    void aChangeWithoutNotificationIsFoundByThePoll() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        try (PostgresAccountStore node = PostgresAccountStore.open(url, SETTINGS)) {
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            node.onChange(seen::add);
            // a change log entry with no NOTIFY (as when a notification is lost): only the poll finds it
            postgres.psql(url.database(), "INSERT INTO jftpd_account_changes (name) VALUES ('henry')");
            assertThat(seen.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS)).isEqualTo("henry");
        }
    }

    @Test
    void databaseDownFailsLookupsQuicklyAndTheyRecoverByThemselves() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        try (LogCapture logs = LogCapture.of("dev.jftp.server.accounts.postgres");
                PostgresAccountStore nodeA = PostgresAccountStore.open(url, SETTINGS);
                PostgresAccountStore nodeB = PostgresAccountStore.open(url, SETTINGS)) {
            BlockingQueue<String> seenByB = new LinkedBlockingQueue<>();
            nodeB.onChange(seenByB::add);
            nodeA.put(account("ivan", "ivan", Permission.ALL));
            assertThat(nodeA.find("ivan")).isPresent();
            assertThat(seenByB.poll(PROPAGATION_SECONDS, TimeUnit.SECONDS)).isEqualTo("ivan");

            postgres.stop();
            try {
                // Each lookup is bounded by the connect and read timeouts (2 + 3 s); refused
                // connections fail at once. The bound here is generous for a loaded machine.
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    AccountStoreUnavailableException e = catchThrowableOfType(AccountStoreUnavailableException.class,
                            () -> nodeA.find("ivan"));
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(e).as("lookup %d with the database down", i).isNotNull();
                    assertThat(millis).as("lookup %d took %d ms", i, millis).isLessThan(8_000);
                    assertThat(e.getMessage()).contains(url.describe()).doesNotContain(TemporaryPostgres.PASSWORD);
                    assertThat(stackTrace(e)).doesNotContain(TemporaryPostgres.PASSWORD);
                }
                assertThat(nodeA.isAvailable()).isFalse();
                assertThatThrownBy(nodeA::list).isInstanceOf(AccountStoreUnavailableException.class);
                assertThatThrownBy(() -> nodeA.put(account("judy", "", Permission.ALL)))
                        .isInstanceOf(AccountStoreUnavailableException.class);
            } finally {
                postgres.start();
            }

            // back: the next lookup works (a kept connection died with the server; the pool drops it)
            assertThat(nodeA.find("ivan")).isPresent();
            assertThat(nodeA.isAvailable()).isTrue();
            // and the other node's watcher reconnected: changes reach it again
            nodeA.put(account("judy", "judy", Permission.ALL));
            assertThat(pollUntil(seenByB, "judy", 15)).as("change seen by the other node after the restart").isTrue();
            assertThat(nodeB.find("judy")).isPresent();

            String logged = logs.text();
            assertThat(logged).doesNotContain(TemporaryPostgres.PASSWORD);
            // one line when it went (per store), one when it came back: not one per failed lookup
            assertThat(logs.lines()).filteredOn(l -> l.contains("unreachable")).hasSizeBetween(1, 2);
            assertThat(logs.lines()).anyMatch(l -> l.contains("reachable again"));
        }
    }

    @Test
    void aNodeStartedWhileTheDatabaseIsDownWorksOnceItIsUp() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        postgres.stop();
        PostgresAccountStore store;
        try {
            store = PostgresAccountStore.open(url, SETTINGS); // does not fail: the node starts
            assertThat(store.isAvailable()).isFalse();
            assertThatThrownBy(() -> store.find("olga")).isInstanceOf(AccountStoreUnavailableException.class);
        } finally {
            postgres.start();
        }
        try (store) {
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            store.onChange(seen::add);
            // the first use creates the schema
            assertThat(store.find("olga")).isEmpty();
            store.put(account("olga", "olga", Permission.ALL));
            assertThat(store.find("olga")).isPresent();
            assertThat(pollUntil(seen, "olga", 15)).as("the watcher connected and reports changes").isTrue();
        }
    }

    @Test
    void aSchemaNewerThanThisJftpdIsRefusedClearly() throws Exception {
        PostgresUrl url = PostgresUrl.parse(postgres.newDatabase());
        try (PostgresAccountStore store = PostgresAccountStore.open(url, SETTINGS)) {
            store.put(account("paul", "paul", Permission.ALL));
        }
        postgres.psql(url.database(), "INSERT INTO jftpd_schema_version (version) VALUES (" + (AccountSchema.LATEST + 1) + ")");
        try (PostgresAccountStore newerSchema = PostgresAccountStore.open(url, SETTINGS)) {
            assertThatThrownBy(() -> newerSchema.find("paul")).isInstanceOf(AccountStoreUnavailableException.class)
                    .hasMessageContaining("the accounts schema is at version " + (AccountSchema.LATEST + 1))
                    .hasMessageContaining("newer than this jftpd knows");
        }
    }

    @Test
    void aDatabaseThatNeverAnswersFailsLookupsWithinTheReadTimeout() throws Exception {
        // A black hole: accepts the connection and says nothing (a hung server, a dropped route).
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            PostgresAccountStore.Settings quick = new PostgresAccountStore.Settings(2, Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofMillis(500), Duration.ofMillis(500));
            PostgresUrl url = PostgresUrl.parse("postgresql://jftp:" + TemporaryPostgres.PASSWORD + "@127.0.0.1:" + silent.getLocalPort() + "/jftp");
            try (PostgresAccountStore store = PostgresAccountStore.open(url, quick)) {
                assertThat(store.isAvailable()).isFalse();
                long start = System.nanoTime();
                assertThatThrownBy(() -> store.find("kate")).isInstanceOf(AccountStoreUnavailableException.class)
                        .hasMessageNotContaining(TemporaryPostgres.PASSWORD);
                long millis = (System.nanoTime() - start) / 1_000_000;
                // one read timeout (1 s) and scheduling slack; without the timeout it would hang
                assertThat(millis).isLessThan(8_000);
            } finally {
                silent.close();
                for (Socket s : accepted) {
                    s.close();
                }
                acceptor.join(5_000);
            }
        }
    }

    @Test
    void aWrongPasswordIsUnavailableAndNeverShown() throws Exception {
        String wrong = "wrong-pass-" + System.nanoTime();
        String goodUrl = postgres.newDatabase();
        PostgresUrl url = PostgresUrl.parse(goodUrl.replace(TemporaryPostgres.PASSWORD, wrong));
        try (LogCapture logs = LogCapture.of("dev.jftp.server.accounts.postgres");
                PostgresAccountStore store = PostgresAccountStore.open(url, SETTINGS)) {
            AccountStoreUnavailableException e = catchThrowableOfType(AccountStoreUnavailableException.class, () -> store.find("leo"));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("password authentication failed").contains("jftp@127.0.0.1")
                    .doesNotContain(wrong);
            assertThat(stackTrace(e)).doesNotContain(wrong);
            assertThat(store.describe()).isEqualTo("postgresql://jftp@127.0.0.1:" + postgres.port() + "/" + url.database())
                    .doesNotContain(wrong);
            assertThat(store.toString()).doesNotContain(wrong);
            assertThat(logs.text()).contains("unreachable").doesNotContain(wrong);
        }
    }

    @Test
    void closingStopsTheWatcherAtOnce() throws Exception {
        PostgresAccountStore store = PostgresAccountStore.open(PostgresUrl.parse(postgres.newDatabase()), SETTINGS);
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("jftpd-accounts-watch"));
        long start = System.nanoTime();
        store.close();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThatThrownBy(() -> store.find("mia")).isInstanceOf(AccountStoreUnavailableException.class);
    }

    private static boolean pollUntil(BlockingQueue<String> queue, String expected, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String name = queue.poll(100, TimeUnit.MILLISECONDS);
            if (expected.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
