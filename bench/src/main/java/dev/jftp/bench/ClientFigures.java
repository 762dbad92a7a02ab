package dev.jftp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Figure 7: the jftp client's get and put of the big file against jftpd, next to curl's on the
 * same server (curl_retr, curl_stor). The client is driven in batch mode, like {@code sftp -b}:
 * {@code jftp -b FILE ftp://USER:PASSWORD@HOST:PORT/}.
 */
final class ClientFigures {
    private ClientFigures() {
    }

    static void measure(Bench.Options o, Servers.Running s, Results results, Path big, Path uploads) throws Exception {
        Path jftp = o.jftpClient();
        if (jftp == null || !Files.isExecutable(jftp)) {
            results.fact("client_skipped", "bin/jftp does not exist yet (the client is being built in parallel): "
                    + "the client-versus-curl row was not measured");
            System.out.println("bench: bin/jftp not found: client figure skipped");
            return;
        }
        String url = "ftp://" + s.spec().ftpUser() + ":" + s.spec().password() + "@127.0.0.1:" + s.address().getPort() + "/";
        Path getBatch = o.work().resolve("jftp-get.batch");
        Files.writeString(getBatch, "get " + o.bigName() + " /dev/null\nquit\n");
        Path putBatch = o.work().resolve("jftp-put.batch");
        Files.writeString(putBatch, "put " + big + " " + s.spec().uploadDir() + "/client.bin\nquit\n");
        try {
            Bench.Sample get = Bench.best(s, o.runs(), true, () -> o.bigSize() / Figures.MIB
                    / Bench.timed(List.of(jftp.toString(), "-b", getBatch.toString(), url)), null);
            results.add(new Results.Row("jftpd", "client_get", "jftp get " + o.bigLabel(), get.value(), "MiB/s", "higher",
                    get.cpuSeconds(), get.peakKb(), -1, o.runs(), ""));
            Bench.Sample put = Bench.best(s, o.runs(), true, () -> o.bigSize() / Figures.MIB
                    / Bench.timed(List.of(jftp.toString(), "-b", putBatch.toString(), url)), () -> {
                Bench.resetUploads(uploads, null);
                return 0;
            });
            results.add(new Results.Row("jftpd", "client_put", "jftp put " + o.bigLabel(), put.value(), "MiB/s", "higher",
                    put.cpuSeconds(), put.peakKb(), -1, o.runs(), ""));
        } catch (Exception e) {
            results.fact("client_skipped", "bin/jftp exists but its batch mode (jftp -b FILE URL) failed: " + e.getMessage());
            System.out.println("bench: client figure failed: " + e.getMessage());
        }
    }
}
