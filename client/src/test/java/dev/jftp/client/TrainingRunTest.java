package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jftp.client.ftp.FtpClient;
import dev.jftp.client.sftp.SftpLogin;
import dev.jftp.client.transfer.DataCopy;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
    @TempDir
    Path dir;

    @Test
    void loadsJftpsOwnClassesButTheSftpClients() throws IOException {
        Path jar = jarOf(FtpClient.class, DataCopy.class, SftpLogin.class);
        jar = addEntry(jar, "org/example/Other.class");
        List<String> asked = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("dev.jftp.") || name.startsWith("org.example.")) {
                    asked.add(name);
                }
                return super.loadClass(name, resolve);
            }
        }) {
            int loaded = TrainingRun.loadOwnClasses(jar, loader);

            assertThat(loaded).isEqualTo(2);
            assertThat(asked).containsExactlyInAnyOrder(FtpClient.class.getName(), DataCopy.class.getName());
        }
    }

    @Test
    void aClassListedButMissingIsAnError() throws IOException {
        Path jar = addEntry(jarOf(), "dev/jftp/client/NoSuchClass.class");

        assertThatThrownBy(() -> TrainingRun.loadOwnClasses(jar, getClass().getClassLoader()))
                .isInstanceOf(IOException.class).hasMessageContaining("dev/jftp/client/NoSuchClass.class");
    }

    private Path jarOf(Class<?>... classes) throws IOException {
        Path jar = dir.resolve("classes-" + System.nanoTime() + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> c : classes) {
                String name = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(name));
                try (var in = c.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A copy of {@code jar} with one more (empty) entry. */
    private Path addEntry(Path jar, String name) throws IOException {
        Path bigger = dir.resolve("more-" + System.nanoTime() + ".jar");
        try (var in = new java.util.jar.JarFile(jar.toFile()); JarOutputStream out = new JarOutputStream(Files.newOutputStream(bigger))) {
            for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
                out.putNextEntry(new JarEntry(e.getName()));
                try (var data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry(name));
            out.closeEntry();
        }
        return bigger;
    }
}
