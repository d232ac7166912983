package io.livestage.bench.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.livestage.testing.service.ServiceProcess;

/**
 * A peer process of a benchmark (a floor server in its own JVM, a Node server): its output goes to {@code log}; it is
 * ready once the log says {@code ready <port>}.
 */
public final class Peer implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(30);

    public final Process process;
    public final int port;

    private Peer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static int freePort() {
        return ServiceProcess.freePorts(1)[0];
    }

    /** Starts {@code command} in {@code dir} (null: the current one); waits until it printed {@code ready <port>}. */
    public static Peer start(String name, List<String> command, Path dir, int port, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Process process = (dir == null ? builder : builder.directory(dir.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, name + "-stop"));
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + tail(log));
            }
            if (Files.readString(log).contains("ready " + port)) {
                return new Peer(process, port);
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " not ready within " + READY.toSeconds() + " s: " + tail(log));
    }

    /** {@code mainClass <free port> args...} in a child JVM on this JVM's JDK and class path ({@code -Xmx512m}). */
    public static Peer jvm(Class<?> mainClass, List<String> args, Path log) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-Djava.net.preferIPv4Stack=true"));
        if (Runtime.version().feature() >= 24) {
            command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName(),
                Integer.toString(port)));
        command.addAll(args);
        return start(mainClass.getSimpleName(), command, null, port, log);
    }

    /** Runs {@code command} to its end and returns its output; fails on a non-zero exit or after {@code timeout}. */
    public static String exec(List<String> command, Path dir, Duration timeout) throws IOException,
            InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + out);
        }
        return out;
    }

    public long pid() {
        return process.pid();
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log) : "";
        return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
