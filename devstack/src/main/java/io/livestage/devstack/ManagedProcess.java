package io.livestage.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A child process of the launcher (Kafka broker, a service): output to a log file, a pid file under
 * {@code .devstack/pids/} so a later run (or {@code ./livestage down}) can clean it up if the launcher died hard.
 */
public final class ManagedProcess {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path pidFile;
    private volatile boolean stopping;

    private ManagedProcess(String name, Process process, Path logFile, Path pidFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /** Starts {@code command}, appending its output to {@code logFile} (rotate it first with {@link Logs#fresh}). */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                       Path logFile, Path pidsDir) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        pb.environment().putAll(env);
        try {
            java.nio.file.Files.createDirectories(logFile.getParent());
            Process p = pb.start();
            Path pidFile = pidsDir.resolve(name + ".pid");
            PidFile.write(pidFile, p.toHandle());
            return new ManagedProcess(name, p, logFile, pidFile);
        } catch (IOException e) {
            throw new DevStackException("Cannot start " + name + ": " + e.getMessage(),
                    "Check that " + command.get(0) + " exists and is executable.", e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public boolean isStopping() {
        return stopping;
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGTERM (a graceful shutdown for Quarkus and a controlled shutdown for Kafka), then SIGKILL after {@code grace}. */
    public boolean stop(Duration grace) {
        stopping = true;
        boolean graceful = PidFile.terminate(process.toHandle(), grace);
        PidFile.delete(pidFile);
        return graceful;
    }
}
