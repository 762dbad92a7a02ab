package dev.jftp.server.e2e;

import static dev.jftp.server.e2e.ClusterClients.CHANGE_LIMIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jftp.server.testing.ExternalCommand;
import dev.jftp.server.testing.TemporaryPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --users postgresql://...} with the real {@code bin/jftpd} and a PostgreSQL of the test's
 * own: accounts changed through {@code bin/jftpd user ...} reach a running node within 5 s, a
 * removed account's session ends, a new password invalidates the verified-login cache, and with the
 * database down verified logins go on while new ones get 421, until it is back. The database's
 * password never shows in an output or a log line.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgresAccountsIT {
    @RegisterExtension
    static final TemporaryPostgres postgres = new TemporaryPostgres();

    @TempDir
    Path work;

    private JftpdProcess node(String url, String... more) throws IOException {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--bind", "127.0.0.1", "--port", "0",
                "--root", work.resolve("root").toString(), "--users", url));
        args.addAll(java.util.List.of(more));
        return JftpdProcess.start(work, args.toArray(String[]::new));
    }

    private ExternalCommand.Result cli(String stdin, String... args) throws IOException {
        ExternalCommand.Result result = JftpdProcess.run(work, stdin, args);
        assertThat(result.stdout() + result.stderr()).as("bin/jftpd %s output", args[1]).doesNotContain(TemporaryPostgres.PASSWORD);
        return result;
    }

    @Test
    void changesThroughTheCommandLineReachARunningNodeWithinFiveSeconds() throws Exception {
        String url = postgres.newDatabase();
        try (JftpdProcess node = node(url)) {
            // The node made the schema (the database was empty) and names the database without its password.
            assertThat(node.stderr()).contains("jftpd: accounts in postgresql://" + TemporaryPostgres.USER + "@127.0.0.1:" + postgres.port() + "/");
            assertThat(postgres.psql(url.substring(url.lastIndexOf('/') + 1), "SELECT count(*) FROM jftpd_accounts").strip()).isEqualTo("0");

            ExternalCommand.Result add = cli("alice-pw-1\n", "user", "add", "alice", "--home", "alice", "--users", url);
            assertThat(add.exit()).as(add.describe()).isZero();
            Duration seen = ClusterClients.awaitLogin(node.port(), "alice", "alice-pw-1", 230, CHANGE_LIMIT);
            assertThat(seen).as("alice logs in on the running node within %s", CHANGE_LIMIT).isNotNull();

            ExternalCommand.Result list = cli("", "user", "list", "--users", url);
            assertThat(list.exit()).as(list.describe()).isZero();
            assertThat(list.stdout()).isEqualTo("alice\tread,write,delete,mkdir,rename\talice\n").doesNotContain("pbkdf2");

            // The first password is now in the node's verified-login cache; a new one must end that.
            ExternalCommand.Result passwd = cli("alice-pw-2\n", "user", "passwd", "alice", "--users", url);
            assertThat(passwd.exit()).as(passwd.describe()).isZero();
            assertThat(ClusterClients.awaitLogin(node.port(), "alice", "alice-pw-1", 530, CHANGE_LIMIT))
                    .as("the old (cached) password is refused within %s", CHANGE_LIMIT).isNotNull();
            assertThat(ClusterClients.tryLogin(null, node.port(), "alice", "alice-pw-2")).isEqualTo(230);

            // A session logged in as alice, idle between commands, ends when she is removed.
            FTPClient session = ClusterClients.client(null);
            try {
                assertThat(ClusterClients.login(session, node.port(), "alice", "alice-pw-2")).isEqualTo(230);
                assertThat(session.storeFile("kept.txt", new ByteArrayInputStream("hello".getBytes()))).isTrue();
                ExternalCommand.Result remove = cli("", "user", "remove", "alice", "--users", url);
                assertThat(remove.exit()).as(remove.describe()).isZero();
                long deadline = System.nanoTime() + CHANGE_LIMIT.toNanos();
                boolean ended = false;
                while (!ended && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    try {
                        ended = !session.sendNoOp() && session.getReplyCode() == 421 || !session.isConnected();
                    } catch (IOException e) {
                        ended = true; // FTPConnectionClosedException, or the connection reset
                    }
                }
                assertThat(ended).as("the removed user's session ends within %s", CHANGE_LIMIT).isTrue();
            } finally {
                ClusterClients.disconnect(session);
            }
            assertThat(ClusterClients.tryLogin(null, node.port(), "alice", "alice-pw-2")).isEqualTo(530);
            assertThat(node.stderr()).contains("the account of alice was removed; closing the session")
                    .doesNotContain(TemporaryPostgres.PASSWORD);

            ExternalCommand.Result again = cli("", "user", "remove", "alice", "--users", url);
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.stderr()).contains("no user 'alice'");
        }
    }

    @Test
    void withTheDatabaseDownVerifiedLoginsGoOnNewOnesGet421AndLoginsResumeWhenItIsBack() throws Exception {
        String url = postgres.newDatabase();
        // Here the command line makes the schema, before any node ran.
        assertThat(cli("bob-pw\n", "user", "add", "bob", "--users", url).exit()).isZero();
        assertThat(cli("carol-pw\n", "user", "add", "carol", "--users", url).exit()).isZero();
        try (JftpdProcess node = node(url, "--metrics-port", "0")) {
            int metrics = ClusterClients.metricsPort(node);
            assertThat(ClusterClients.tryLogin(null, node.port(), "bob", "bob-pw")).isEqualTo(230); // now verified and cached
            assertThat(ClusterClients.metric(ClusterClients.get(metrics, "/metrics").body(), "jftpd_account_store_up")).isEqualTo(1.0);

            postgres.stop();
            try {
                assertThat(ClusterClients.tryLogin(null, node.port(), "bob", "bob-pw")).as("bob's verified login, from the cache").isEqualTo(230);
                assertThat(ClusterClients.tryLogin(null, node.port(), "carol", "carol-pw")).as("carol's first login").isEqualTo(421);
                assertThat(ClusterClients.tryLogin(null, node.port(), "carol", "carol-pw")).isEqualTo(421);
                assertThat(node.awaitStderr("new logins are refused until it is back", Duration.ofSeconds(10))).isTrue();
                assertThat(node.stderr().split("new logins are refused until it is back", -1)).as("said once").hasSize(2);
                assertThat(ClusterClients.metric(ClusterClients.get(metrics, "/metrics").body(), "jftpd_account_store_up")).isEqualTo(0.0);
                ExternalCommand.Result list = cli("", "user", "list", "--users", url);
                assertThat(list.exit()).as(list.describe()).isEqualTo(1);
                assertThat(list.stderr()).contains("unavailable");
            } finally {
                postgres.start();
            }
            assertThat(ClusterClients.awaitLogin(node.port(), "carol", "carol-pw", 230, Duration.ofSeconds(30)))
                    .as("logins resume by themselves once the database is back").isNotNull();
            assertThat(node.stderr()).contains("reachable again; logins resume").doesNotContain(TemporaryPostgres.PASSWORD);
            assertThat(ClusterClients.metric(ClusterClients.get(metrics, "/metrics").body(), "jftpd_account_store_up")).isEqualTo(1.0);
        }
    }
}
