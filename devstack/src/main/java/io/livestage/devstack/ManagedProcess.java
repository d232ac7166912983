package io.livestage.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.livestage.infra.process.ChildProcess;

/**
 * A child process of the launcher (Kafka broker, Keycloak, a service): livestage-infra's {@link ChildProcess} plus a
 * pid file under {@code .devstack/pids/} so a later run (or {@code ./livestage down}) can clean it up if the
 * launcher died hard.
 */
public final class ManagedProcess {

    private final ChildProcess child;
    private final Path pidFile;

    private ManagedProcess(ChildProcess child, Path pidFile) {
        this.child = child;
        this.pidFile = pidFile;
    }

    /** Starts {@code command}, appending its output to {@code logFile} (rotate it first with {@link Logs#fresh}). */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                       Path logFile, Path pidsDir) {
        try {
            ChildProcess child = ChildProcess.start(name, command, workDir, env, logFile, ChildProcess.Log.APPEND);
            Path pidFile = pidsDir.resolve(name + ".pid");
            PidFile.write(pidFile, child.handle());
            return new ManagedProcess(child, pidFile);
        } catch (IOException e) {
            throw new DevStackException("Cannot start " + name + ": " + e.getMessage(),
                    "Check that " + command.get(0) + " exists and is executable.", e);
        }
    }

    /** The process itself, e.g. for a readiness wait. */
    public ChildProcess child() {
        return child;
    }

    public String name() {
        return child.name();
    }

    public long pid() {
        return child.pid();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    public boolean isStopping() {
        return child.isStopping();
    }

    public int exitValue() {
        return child.exitValue();
    }

    /** Completes with the exit code when the process ends. */
    public CompletableFuture<Integer> onExit() {
        return child.onExit();
    }

    public boolean waitFor(Duration timeout) throws InterruptedException {
        return child.waitFor(timeout);
    }

    public Path logFile() {
        return child.logFile();
    }

    /** SIGTERM (a graceful shutdown for Quarkus and a controlled shutdown for Kafka), then SIGKILL after {@code grace}. */
    public boolean stop(Duration grace) {
        boolean graceful = child.stop(grace);
        PidFile.delete(pidFile);
        return graceful;
    }
}
