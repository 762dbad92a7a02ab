package dev.jftp.client;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The extra work of the run that trains bin/jftp's AOT cache (bin/jftp sets {@value #PROPERTY}
 * then): it loads jftp's own classes, so that the cache holds them whatever that first
 * session did. A class that is not in the cache comes from the jar, and the first one makes the JVM
 * open and index its 9,000 entries: with a cache trained by a get, as the benchmark's first run is,
 * a later one-shot put loaded the uploader from the jar (put of 4 KiB, 40 runs alternated: 91.7 ms
 * with the jar opened, 82.8 ms without).
 */
final class TrainingRun {
    static final String PROPERTY = "jftp.aot.training";
    /**
     * Left out: the SFTP client's classes pull in ~60 of Apache SSHD's, which the JVM would then
     * load at every start (with AOT class linking, every class in the cache is loaded up front),
     * 3-4 ms of each FTP session for an SFTP one that loads hundreds of SSHD's classes anyway.
     */
    private static final String SFTP = "dev/jftp/client/sftp/";

    private TrainingRun() {
    }

    static boolean active() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Loads the classes from the jar this class came from; nothing when it came from a directory (a test run). */
    static int loadOwnClasses() throws IOException {
        Path jar = codeLocation();
        return jar == null || !Files.isRegularFile(jar) ? 0 : loadOwnClasses(jar, TrainingRun.class.getClassLoader());
    }

    /**
     * Loads through {@code loader} (without initialising) the classes under {@code dev/jftp/} in
     * {@code jar} but the SFTP client's; returns how many.
     */
    static int loadOwnClasses(Path jar, ClassLoader loader) throws IOException {
        int loaded = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                String name = entry.getName();
                if (name.startsWith("dev/jftp/") && name.endsWith(".class") && !name.startsWith(SFTP)) {
                    try {
                        Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader);
                        loaded++;
                    } catch (ClassNotFoundException e) {
                        throw new IOException("class " + name + " listed in the jar but not found", e);
                    }
                }
            }
        }
        return loaded;
    }

    private static Path codeLocation() throws IOException {
        CodeSource source = TrainingRun.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot read this program's location " + source.getLocation(), e);
        }
    }
}
