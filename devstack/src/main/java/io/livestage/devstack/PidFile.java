package io.livestage.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.livestage.infra.process.ChildProcess;

/**
 * A pid file: pid on the first line (what {@code ./livestage down} reads), the process start time (epoch millis) on
 * the second, so a recycled pid is never mistaken for ours.
 */
public final class PidFile {

    private PidFile() {
    }

    public static void write(Path file, ProcessHandle process) {
        try {
            Files.createDirectories(file.getParent());
            String start = process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("");
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, process.pid() + "\n" + start + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write pid file " + file, e);
        }
    }

    /** The live process the pid file names, if it is still the same process. */
    public static Optional<ProcessHandle> alive(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (handle.isEmpty() || lines.size() < 2 || lines.get(1).isBlank()) {
                return handle;
            }
            long recordedStart = Long.parseLong(lines.get(1).trim());
            Optional<Instant> actualStart = handle.get().info().startInstant();
            // allow a little clock jitter between the two readings of the start time
            if (actualStart.isPresent() && Math.abs(actualStart.get().toEpochMilli() - recordedStart) > 2_000) {
                return Optional.empty();
            }
            return handle;
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // not worth failing a shutdown for
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true if it stopped within the grace period. */
    public static boolean terminate(ProcessHandle process, Duration grace) {
        return ChildProcess.terminate(process, grace);
    }
}
