package dev.jftp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Figure 7: the jftp client's get and put of the big file against jftpd, next to curl's on the same
 * server and the same disk. Both write downloads to a file in the work directory (the client writes
 * a part file and renames it: it must never be pointed at /dev/null) and upload the big file. The
 * client runs in batch mode: {@code JFTP_PASSWORD=... jftp -b FILE -P PORT USER@127.0.0.1}.
 */
final class ClientFigures {
    private ClientFigures() {
    }

    static void measure(Bench.Options o, Servers.Running s, Results results, Path big, Path uploads) throws Exception {
        Path jftp = o.jftpClient();
        if (jftp == null || !Files.isExecutable(jftp)) {
            results.fact("client_skipped", "bin/jftp does not exist yet (the client is being built in parallel): "
                    + "the client-versus-curl rows were not measured");
            System.out.println("bench: bin/jftp not found: client figure skipped");
            return;
        }
        int port = s.address().getPort();
        String user = s.spec().ftpUser();
        String url = "ftp://" + user + ":" + s.spec().password() + "@127.0.0.1:" + port + "/";
        Path downloaded = o.work().resolve("client-get.bin");
        Path getBatch = o.work().resolve("jftp-get.batch");
        Files.writeString(getBatch, "get " + o.bigName() + " " + downloaded + "\n");
        Path putBatch = o.work().resolve("jftp-put.batch");
        Files.writeString(putBatch, "put " + big + " " + s.spec().uploadDir() + "/client.bin\n");
        List<String> client = List.of(jftp.toString(), "-b", "", "-P", Integer.toString(port), user + "@127.0.0.1");
        Map<String, String> env = Map.of("JFTP_PASSWORD", s.spec().password());
        Bench.Body removeDownload = () -> {
            Files.deleteIfExists(downloaded);
            return 0;
        };
        Bench.Body removeUploads = () -> {
            Bench.resetUploads(uploads, null);
            return 0;
        };
        try {
            Bench.timed(with(client, getBatch), env); // first use builds and warms the client: not counted
            removeDownload.run();
            double mib = o.bigSize() / Figures.MIB;
            add(results, s, o, "client_get", "jftp get " + o.bigLabel() + " to a file",
                    Bench.best(s, o.runs(), true, () -> mib / Bench.timed(with(client, getBatch), env), removeDownload));
            add(results, s, o, "curl_get_file", "curl get " + o.bigLabel() + " to a file",
                    Bench.best(s, o.runs(), true, () -> mib / Bench.timed(List.of("curl", "-sS", "-o", downloaded.toString(),
                            url + o.bigName()), Map.of()), removeDownload));
            add(results, s, o, "client_put", "jftp put " + o.bigLabel(),
                    Bench.best(s, o.runs(), true, () -> mib / Bench.timed(with(client, putBatch), env), removeUploads));
            add(results, s, o, "curl_put", "curl put " + o.bigLabel(),
                    Bench.best(s, o.runs(), true, () -> mib / Bench.timed(List.of("curl", "-sS", "-T", big.toString(),
                            url + s.spec().uploadDir() + "/client.bin"), Map.of()), removeUploads));
        } catch (Exception e) {
            results.fact("client_skipped", "bin/jftp exists but its batch mode failed: " + e.getMessage());
            System.out.println("bench: client figure failed: " + e.getMessage());
        } finally {
            removeDownload.run();
        }
    }

    private static List<String> with(List<String> command, Path batch) {
        List<String> c = new java.util.ArrayList<>(command);
        c.set(2, batch.toString());
        return c;
    }

    private static void add(Results results, Servers.Running s, Bench.Options o, String figure, String label, Bench.Sample sample)
            throws java.io.IOException {
        results.add(new Results.Row(s.spec().name(), figure, label, sample.value(), "MiB/s", "higher", sample.cpuSeconds(),
                sample.peakKb(), -1, o.runs(), ""));
    }
}
