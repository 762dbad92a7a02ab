import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The soak test of jftpd (run by bench/soak): CLIENTS clients of mixed traffic against a real
 * bin/jftpd for DURATION seconds, then checks that nothing was lost.
 *
 * <p>Each client owns a directory and keeps a ledger of what it has there: a file enters the ledger
 * only when its upload was answered 226, leaves it when DELE is answered 250, moves on RNTO 250.
 * Clients list (and compare with the ledger), download (and compare bytes), upload new files and
 * overwrite old ones, rename and delete, download shared files, all race to replace one shared
 * file, and now and then vanish mid-upload, mid-download or between commands (TCP reset). At the
 * end every directory must hold exactly its ledger, byte for byte; the shared file must be one of
 * the uploads that completed, whole; no temporary upload file may remain; and the server's heap
 * (after a GC), threads and descriptors must be back near where they were before the traffic.
 *
 * <p>Usage: java bench/Soak.java DURATION_SECONDS ROOT_DIR SERVER_PORT SERVER_PID USER PASSWORD [CLIENTS]
 */
public final class Soak {
    private static final String TEMP_PREFIX = ".jftpd-upload-";
    private static final int MAX_FILES_PER_CLIENT = 8;
    private static final int SHARED_FILES = 4;

    record Entry(long seed, int size, String sha256) {
    }

    // ---- totals ----
    static final LongAdder commands = new LongAdder();
    static final LongAdder uploadsCompleted = new LongAdder();
    static final LongAdder uploadsAbandoned = new LongAdder();
    static final LongAdder uploadsRefused = new LongAdder();
    static final LongAdder downloads = new LongAdder();
    static final LongAdder downloadsAbandoned = new LongAdder();
    static final LongAdder listings = new LongAdder();
    static final LongAdder renames = new LongAdder();
    static final LongAdder deletes = new LongAdder();
    static final LongAdder disconnects = new LongAdder();
    static final LongAdder reconnects = new LongAdder();
    static final LongAdder refusedConnections = new LongAdder();
    static final LongAdder unexpected = new LongAdder();
    static final LongAdder mismatches = new LongAdder();
    static final AtomicLong bytesUp = new AtomicLong();
    static final AtomicLong bytesDown = new AtomicLong();
    static final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    static final Set<String> hotCompleted = ConcurrentHashMap.newKeySet();
    static final Map<String, String> sharedHashes = new HashMap<>();

    static int port;
    static String user;
    static String password;

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: java Soak.java DURATION_SECONDS ROOT_DIR PORT SERVER_PID USER PASSWORD [CLIENTS]");
            System.exit(2);
        }
        Duration duration = Duration.ofSeconds(Long.parseLong(args[0]));
        Path root = Path.of(args[1]);
        port = Integer.parseInt(args[2]);
        long pid = Long.parseLong(args[3]);
        user = args[4];
        password = args[5];
        int clients = args.length > 6 ? Integer.parseInt(args[6]) : 200;

        Path shared = Files.createDirectories(root.resolve("shared"));
        for (int i = 0; i < SHARED_FILES; i++) {
            byte[] content = content(1000 + i, 256 * 1024 * (i + 1));
            Files.write(shared.resolve("s" + i + ".bin"), content);
            sharedHashes.put("s" + i + ".bin", sha256(content));
        }
        Files.createDirectories(root.resolve("hot"));

        warmUp(root);
        ServerState before = ServerState.measure(pid);
        System.out.println("soak: " + clients + " clients for " + duration.toSeconds() + " s against port " + port + "; server before: " + before);

        long deadline = System.nanoTime() + duration.toNanos();
        List<Client> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                Client c = new Client(i, deadline);
                all.add(c);
                Files.createDirectories(root.resolve("c" + i));
                pool.submit(c);
            }
            long start = System.nanoTime();
            long nextReport = start + TimeUnit.SECONDS.toNanos(60);
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                if (System.nanoTime() > nextReport) {
                    nextReport += TimeUnit.SECONDS.toNanos(60);
                    System.out.printf("soak: %d s: %d commands, %d uploads, %d downloads, %d disconnects, %d mismatches, server %s%n",
                            (System.nanoTime() - start) / 1_000_000_000L, commands.sum(), uploadsCompleted.sum(), downloads.sum(),
                            disconnects.sum(), mismatches.sum(), ServerState.measure(pid));
                }
                if (System.nanoTime() > deadline + TimeUnit.SECONDS.toNanos(120)) {
                    problems.add("clients did not stop within 120 s after the end");
                    pool.shutdownNow();
                    break;
                }
            }
        }

        // ---- verification ----
        long filesChecked = 0;
        long bytesChecked = 0;
        for (Client c : all) {
            Path dir = root.resolve("c" + c.id);
            Set<String> onDisk = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(p -> onDisk.add(p.getFileName().toString()));
            }
            if (!onDisk.equals(new TreeSet<>(c.ledger.keySet()))) {
                problems.add("client " + c.id + ": on disk " + onDisk + " but ledger " + new TreeSet<>(c.ledger.keySet()));
            }
            for (Map.Entry<String, Entry> e : c.ledger.entrySet()) {
                Path file = dir.resolve(e.getKey());
                if (Files.exists(file)) {
                    byte[] bytes = Files.readAllBytes(file);
                    filesChecked++;
                    bytesChecked += bytes.length;
                    if (!sha256(bytes).equals(e.getValue().sha256())) {
                        problems.add("client " + c.id + ": " + e.getKey() + " differs from its completed upload (" + bytes.length + " bytes, expected " + e.getValue().size() + ")");
                    }
                }
            }
        }
        Path hot = root.resolve("hot/hot.bin");
        String hotState = "never completed";
        if (Files.exists(hot)) {
            String h = sha256(Files.readAllBytes(hot));
            hotState = hotCompleted.contains(h) ? "one of " + hotCompleted.size() + " completed uploads, whole" : "NOT a completed upload";
            if (!hotCompleted.contains(h)) {
                problems.add("hot/hot.bin is not any completed upload (a mix or a partial file)");
            }
        } else if (!hotCompleted.isEmpty()) {
            problems.add("hot/hot.bin missing although " + hotCompleted.size() + " uploads of it completed");
        }
        for (int i = 0; i < SHARED_FILES; i++) {
            if (!sha256(Files.readAllBytes(shared.resolve("s" + i + ".bin"))).equals(sharedHashes.get("s" + i + ".bin"))) {
                problems.add("shared/s" + i + ".bin changed");
            }
        }
        List<Path> temporary;
        try (Stream<Path> all2 = Files.walk(root)) {
            temporary = all2.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList();
        }
        if (!temporary.isEmpty()) {
            problems.add(temporary.size() + " temporary upload file(s) left: " + temporary.subList(0, Math.min(5, temporary.size())));
        }

        ServerState after = ServerState.settle(pid, before);
        if (!after.nearBaseline(before)) {
            problems.add("server did not return near its baseline: before " + before + ", after " + after);
        }

        System.out.printf("soak: %d commands; uploads %d completed (%.1f MiB), %d abandoned mid-transfer, %d refused; downloads %d (%.1f MiB), %d abandoned;"
                        + " %d listings, %d renames, %d deletes; %d deliberate disconnects, %d reconnects, %d connections refused (421); %d unexpected replies%n",
                commands.sum(), uploadsCompleted.sum(), bytesUp.get() / 1048576.0, uploadsAbandoned.sum(), uploadsRefused.sum(), downloads.sum(),
                bytesDown.get() / 1048576.0, downloadsAbandoned.sum(), listings.sum(), renames.sum(), deletes.sum(), disconnects.sum(),
                reconnects.sum(), refusedConnections.sum(), unexpected.sum());
        System.out.printf("soak: verified %d files (%.1f MiB) byte-exact against the ledgers; %d download/listing mismatches; hot.bin: %s;"
                + " %d temporary files; server after: %s%n", filesChecked, bytesChecked / 1048576.0, mismatches.sum(), hotState, temporary.size(), after);
        if (mismatches.sum() > 0) {
            problems.add(mismatches.sum() + " downloads or listings did not match the ledger");
        }
        if (problems.isEmpty()) {
            System.out.println("soak: PASS (bytes lost: 0)");
        } else {
            problems.stream().limit(30).forEach(p -> System.out.println("soak: PROBLEM " + p));
            System.out.println("soak: FAIL (" + problems.size() + " problem(s))");
            System.exit(1);
        }
    }

    /** One of each operation first, so that what the server opens lazily belongs to the baseline. */
    static void warmUp(Path root) throws IOException {
        Files.createDirectories(root.resolve("warm"));
        Ftp f = Ftp.login(InetAddress.getLoopbackAddress(), -1);
        if (f == null) {
            throw new IOException("the server refused the warm-up connection");
        }
        try (f) {
            f.command("CWD /warm", 250);
            try (Socket data = f.passive()) {
                f.command("STOR w.bin", 150);
                data.getOutputStream().write(content(1, 100_000));
            }
            f.expect(226);
            try (Socket data = f.passive()) {
                f.command("RETR w.bin", 150);
                data.getInputStream().readAllBytes();
            }
            f.expect(226);
            try (Socket data = f.passive()) {
                f.command("MLSD", 150);
                data.getInputStream().readAllBytes();
            }
            f.expect(226);
            f.command("DELE w.bin", 250);
            f.command("QUIT", 221);
        }
    }

    /** One client: connects, logs in, runs random operations until the deadline, reconnecting when it vanished. */
    static final class Client implements Runnable {
        final int id;
        final long deadline;
        final SplittableRandom random;
        final Map<String, Entry> ledger = new HashMap<>();
        final InetAddress from;
        Ftp ftp;
        int names;

        Client(int id, long deadline) throws IOException {
            this.id = id;
            this.deadline = deadline;
            this.random = new SplittableRandom(id * 7919L + 17);
            this.from = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + id % 8)});
        }

        @Override
        public void run() {
            try {
                while (System.nanoTime() < deadline) {
                    try {
                        if (ftp == null) {
                            ftp = Ftp.login(from, id);
                            if (ftp == null) {
                                refusedConnections.increment();
                                Thread.sleep(200 + random.nextInt(800));
                                continue;
                            }
                            ftp.command("CWD /c" + id, 250);
                        }
                        step();
                    } catch (IOException | RuntimeException e) {
                        unexpected.increment();
                        if (unexpected.sum() < 50) {
                            problems.add("client " + id + ": " + e);
                        }
                        drop();
                    }
                }
                if (ftp != null) {
                    try {
                        ftp.command("QUIT", 221);
                    } catch (IOException | RuntimeException e) {
                        // the end anyway
                    }
                    ftp.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void drop() {
            if (ftp != null) {
                ftp.reset();
                ftp = null;
                reconnects.increment();
            }
        }

        void step() throws IOException, InterruptedException {
            int roll = random.nextInt(100);
            List<String> names = new ArrayList<>(ledger.keySet());
            if (roll < 22) {
                upload(names.size() >= MAX_FILES_PER_CLIENT || (!names.isEmpty() && random.nextInt(3) == 0)
                        ? names.get(random.nextInt(names.size())) : "f" + (this.names++) + ".bin", random.nextInt(20) == 0);
            } else if (roll < 42 && !names.isEmpty()) {
                download(names.get(random.nextInt(names.size())), random.nextInt(20) == 0);
            } else if (roll < 52) {
                downloadShared();
            } else if (roll < 64) {
                list();
            } else if (roll < 72 && !names.isEmpty()) {
                rename(names.get(random.nextInt(names.size())));
            } else if (roll < 80 && !names.isEmpty()) {
                delete(names.get(random.nextInt(names.size())));
            } else if (roll < 84) {
                uploadHot();
            } else if (roll < 86) {
                disconnects.increment();
                drop(); // vanish between commands
            } else {
                ftp.command("NOOP", 200);
            }
            Thread.sleep(random.nextInt(20));
        }

        int size() {
            int kind = random.nextInt(10);
            return kind < 5 ? random.nextInt(16 * 1024) : kind < 9 ? random.nextInt(512 * 1024) : random.nextInt(4 << 20);
        }

        void upload(String name, boolean vanish) throws IOException {
            long seed = random.nextLong();
            int size = size();
            byte[] content = content(seed, size);
            Socket data = ftp.passive();
            Ftp.Reply first = ftp.command("STOR " + name);
            if (first.code() != 150) {
                data.close();
                uploadsRefused.increment();
                return;
            }
            try (data) {
                OutputStream out = data.getOutputStream();
                int cut = vanish ? random.nextInt(size + 1) : size;
                out.write(content, 0, cut);
                out.flush();
                if (vanish) {
                    Ftp.resetQuietly(data);
                    uploadsAbandoned.increment();
                    disconnects.increment();
                    drop();
                    return;
                }
            }
            Ftp.Reply done = ftp.reply();
            if (done.code() == 226) {
                ledger.put(name, new Entry(seed, size, sha256(content)));
                uploadsCompleted.increment();
                bytesUp.addAndGet(size);
            } else {
                uploadsRefused.increment();
                problems.add("client " + id + ": STOR " + name + " (" + size + " bytes) -> " + done.text());
            }
        }

        void download(String name, boolean vanish) throws IOException {
            Entry e = ledger.get(name);
            Socket data = ftp.passive();
            Ftp.Reply first = ftp.command("RETR " + name);
            if (first.code() != 150) {
                data.close();
                mismatch("RETR " + name + " of a file in the ledger: " + first.text());
                return;
            }
            try (data) {
                InputStream in = data.getInputStream();
                if (vanish) {
                    in.readNBytes(random.nextInt(e.size() + 1));
                    Ftp.resetQuietly(data);
                    downloadsAbandoned.increment();
                    disconnects.increment();
                    drop();
                    return;
                }
                byte[] bytes = in.readAllBytes();
                bytesDown.addAndGet(bytes.length);
                if (!sha256(bytes).equals(e.sha256())) {
                    mismatch("RETR " + name + ": " + bytes.length + " bytes differ from the upload of " + e.size());
                }
            }
            ftp.expect(226);
            downloads.increment();
        }

        void downloadShared() throws IOException {
            String name = "s" + random.nextInt(SHARED_FILES) + ".bin";
            Socket data = ftp.passive();
            ftp.command("RETR /shared/" + name, 150);
            byte[] bytes;
            try (data) {
                bytes = data.getInputStream().readAllBytes();
            }
            ftp.expect(226);
            bytesDown.addAndGet(bytes.length);
            downloads.increment();
            if (!sha256(bytes).equals(sharedHashes.get(name))) {
                mismatch("RETR /shared/" + name + " differs");
            }
        }

        void list() throws IOException {
            Socket data = ftp.passive();
            ftp.command(random.nextBoolean() ? "NLST" : "MLSD", 150);
            String text;
            try (data) {
                text = new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            ftp.expect(226);
            listings.increment();
            Set<String> listed = new TreeSet<>();
            for (String line : text.split("\r\n")) {
                if (!line.isEmpty()) {
                    listed.add(line.contains("; ") ? line.substring(line.indexOf("; ") + 2) : line);
                }
            }
            if (!listed.equals(new TreeSet<>(ledger.keySet()))) {
                mismatch("listing " + listed + " but ledger " + new TreeSet<>(ledger.keySet()));
            }
        }

        void rename(String from) throws IOException {
            String to = "r" + (names++) + ".bin";
            ftp.command("RNFR " + from, 350);
            ftp.command("RNTO " + to, 250);
            ledger.put(to, ledger.remove(from));
            renames.increment();
        }

        void delete(String name) throws IOException {
            ftp.command("DELE " + name, 250);
            ledger.remove(name);
            deletes.increment();
        }

        void uploadHot() throws IOException {
            long seed = random.nextLong();
            byte[] content = content(seed, 64 * 1024 + random.nextInt(1 << 20));
            Socket data = ftp.passive();
            Ftp.Reply first = ftp.command("STOR /hot/hot.bin");
            if (first.code() != 150) {
                data.close();
                uploadsRefused.increment();
                return;
            }
            try (data) {
                data.getOutputStream().write(content);
            }
            Ftp.Reply done = ftp.reply();
            if (done.code() == 226) {
                hotCompleted.add(sha256(content));
                uploadsCompleted.increment();
                bytesUp.addAndGet(content.length);
            } else {
                uploadsRefused.increment();
                problems.add("client " + id + ": STOR /hot/hot.bin -> " + done.text());
            }
        }

        void mismatch(String what) {
            mismatches.increment();
            problems.add("client " + id + ": " + what);
        }
    }

    static byte[] content(long seed, int size) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain FTP client: control connection, PASV data connections from the same local address. */
    static final class Ftp implements Closeable {
        private static final Pattern PASV = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)");

        record Reply(int code, String text) {
        }

        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final InetAddress from;

        Ftp(Socket socket, InetAddress from) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
            this.from = from;
        }

        /** A logged-in client, or null when the server refused the connection (421). */
        static Ftp login(InetAddress from, int id) throws IOException {
            Socket s = new Socket();
            // All clients share this host's ports with the server; SO_REUSEADDR keeps their TIME_WAIT
            // entries from blocking the server's passive listeners, as clients on other hosts would.
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
            s.setSoTimeout(120_000);
            Ftp f = new Ftp(s, from);
            Reply greeting = f.reply();
            if (greeting.code() == 421) {
                f.close();
                return null;
            }
            if (greeting.code() != 220) {
                f.close();
                throw new IOException("greeting " + greeting.text());
            }
            f.command("USER " + user, 331);
            f.command("PASS " + password, 230);
            f.command("TYPE I", 200);
            return f;
        }

        Reply reply() throws IOException {
            String first = line();
            StringBuilder text = new StringBuilder(first);
            if (first.length() > 3 && first.charAt(3) == '-') {
                String end = first.substring(0, 3) + " ";
                for (int i = 0; i < 100_000; i++) {
                    String l = line();
                    text.append('\n').append(l);
                    if (l.startsWith(end)) {
                        break;
                    }
                }
            }
            commands.increment();
            return new Reply(Integer.parseInt(first.substring(0, 3)), text.toString());
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("control connection closed");
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        Reply command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply();
        }

        Reply command(String line, int expected) throws IOException {
            Reply r = command(line);
            if (r.code() != expected) {
                throw new IOException(line.startsWith("PASS") ? "PASS -> " + r.text() : line + " -> " + r.text());
            }
            return r;
        }

        Reply expect(int code) throws IOException {
            Reply r = reply();
            if (r.code() != code) {
                throw new IOException("expected " + code + ", got " + r.text());
            }
            return r;
        }

        Socket passive() throws IOException {
            Reply r = command("PASV", 227);
            Matcher m = PASV.matcher(r.text());
            if (!m.find()) {
                throw new IOException("bad PASV reply " + r.text());
            }
            Socket data = new Socket();
            data.setReuseAddress(true);
            data.bind(new InetSocketAddress(from, 0));
            data.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6))), 30_000);
            data.setSoTimeout(120_000);
            return data;
        }

        void reset() {
            resetQuietly(socket);
        }

        static void resetQuietly(Socket s) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // gone
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone
            }
        }
    }

    /** The server process as seen from outside: heap in use after a GC, threads, descriptors, resident memory. */
    record ServerState(long heapUsedKb, int threads, int fds, long rssKb) {
        static ServerState measure(long pid) throws IOException, InterruptedException {
            return new ServerState(heapAfterGc(pid), threads(pid), fds(pid), rss(pid));
        }

        /** Measures until the server has let go of the clients' sessions (bounded: 60 s). */
        static ServerState settle(long pid, ServerState baseline) throws IOException, InterruptedException {
            ServerState s = measure(pid);
            for (int i = 0; i < 12 && !s.nearBaseline(baseline); i++) {
                Thread.sleep(5000);
                s = measure(pid);
            }
            return s;
        }

        /** Heap within 16 MiB or 50% of the baseline, threads within 8, descriptors within 8. */
        boolean nearBaseline(ServerState b) {
            return heapUsedKb <= Math.max(b.heapUsedKb + 16 * 1024, b.heapUsedKb * 3 / 2) && threads <= b.threads + 8 && fds <= b.fds + 8;
        }

        static long heapAfterGc(long pid) throws IOException, InterruptedException {
            jcmd(pid, "GC.run");
            String info = jcmd(pid, "GC.heap_info");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
            long used = 0;
            while (m.find()) {
                used += Long.parseLong(m.group(1));
            }
            return used;
        }

        static String jcmd(long pid, String command) throws IOException, InterruptedException {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        }

        static int threads(long pid) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
            return -1;
        }

        static long rss(long pid) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            return -1;
        }

        static int fds(long pid) throws IOException {
            try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                return (int) s.count();
            }
        }

        @Override
        public String toString() {
            return String.format("heap %.1f MiB after GC, %d threads, %d fds, RSS %.0f MiB", heapUsedKb / 1024.0, threads, fds, rssKb / 1024.0);
        }
    }
}
