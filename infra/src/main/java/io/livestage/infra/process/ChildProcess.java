package io.livestage.infra.process;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A child process (a service, Keycloak, the Kafka broker) with its output in a log file and no stdin; stopped with
 * SIGTERM, then SIGKILL after a grace period. The one way the tests and the local stack run processes.
 */
public final class ChildProcess {

    /** How the log file is opened: truncated (a fresh file per run) or appended to. */
    public enum Log { REPLACE, APPEND }

    private final String name;
    private final Process process;
    private final Path logFile;
    private final List<String> command;
    private volatile boolean stopping;

    private ChildProcess(String name, Process process, Path logFile, List<String> command) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.command = List.copyOf(command);
    }

    /**
     * Starts {@code command} in {@code workDir} with the inherited environment changed by {@code environment} (add,
     * replace or remove variables), stdout and stderr into {@code logFile}.
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Consumer<Map<String, String>> environment,
            Path logFile, Log mode) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(mode == Log.APPEND ? ProcessBuilder.Redirect.appendTo(logFile.toFile())
                        : ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        environment.accept(builder.environment());
        return new ChildProcess(name, builder.start(), logFile, command);
    }

    /** {@link #start} with these variables added to the inherited environment. */
    public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> env,
            Path logFile, Log mode) throws IOException {
        return start(name, command, workDir, inherited -> inherited.putAll(env), logFile, mode);
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Completes with the exit code when the process ends. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** Waits up to {@code timeout} for the process to end; true if it did. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once {@link #stop} was called: a readiness wait then gives up instead of reporting a crash. */
    public boolean isStopping() {
        return stopping;
    }

    public Path logFile() {
        return logFile;
    }

    public List<String> command() {
        return command;
    }

    /** The last {@code lines} lines of the log. */
    public List<String> tail(int lines) {
        return tail(logFile, lines);
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. True if it stopped within the grace period. */
    public boolean stop(Duration grace) {
        stopping = true;
        return terminate(process.toHandle(), grace);
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL (and up to 10 s more). True if it stopped within the grace. */
    public static boolean terminate(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (awaitExit(process, grace)) {
            return true;
        }
        process.destroyForcibly();
        awaitExit(process, Duration.ofSeconds(10));
        return false;
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** The last {@code lines} lines of a (possibly large) file, read from its last 64 KiB; empty if it does not exist. */
    public static List<String> tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int chunk = (int) Math.min(length, 64 * 1024);
            byte[] buf = new byte[chunk];
            raf.seek(length - chunk);
            raf.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\r?\n");
            return List.copyOf(Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
