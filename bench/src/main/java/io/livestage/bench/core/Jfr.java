package io.livestage.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The one JFR reader: a recording started in a process with {@code jcmd <pid> JFR.start settings=profile} around the
 * measured windows, stopped into a file, and its {@code jdk.ExecutionSample} events (Java code on CPU, every 10 ms with
 * the profile settings; time in native code such as socket I/O is not sampled) counted by top frame.
 */
public final class Jfr {
    private static final String NAME = "bench";

    /** A method and its share of the samples. */
    public record Frame(String method, long samples, double share) {
    }

    private final String proc;
    private final long pid;
    private final Path file;
    private boolean started;

    public Jfr(String proc, long pid, Path file) {
        this.proc = proc;
        this.pid = pid;
        this.file = file;
    }

    public boolean start() {
        String out = jcmd("JFR.start", "name=" + NAME, "settings=profile");
        started = out.startsWith("ok:") && !out.contains("Could not");
        if (!started) {
            Log.info("JFR.start in %s (pid %d) failed: %s", proc, pid, out);
        }
        return started;
    }

    /** Stops the recording and returns its heaviest top frames (empty if it never started). */
    public List<Frame> stopAndTop(int count) {
        if (!started) {
            return List.of();
        }
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            String out = jcmd("JFR.stop", "name=" + NAME, "filename=" + file.toAbsolutePath());
            if (!Files.isRegularFile(file)) {
                Log.info("JFR.stop in %s failed: %s", proc, out);
                return List.of();
            }
            return top(file, count);
        } catch (IOException e) {
            Log.info("cannot read the JFR recording %s: %s", file, e);
            return List.of();
        }
    }

    /** The heaviest top frames of a recording's execution samples. */
    public static List<Frame> top(Path recording, int count) throws IOException {
        Map<String, Long> byMethod = new HashMap<>();
        long total = 0;
        try (RecordingFile events = new RecordingFile(recording)) {
            while (events.hasMoreEvents()) {
                RecordedEvent event = events.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                RecordedFrame frame = stack.getFrames().getFirst();
                String method = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
                byMethod.merge(method, 1L, Long::sum);
                total++;
            }
        }
        long samples = total;
        List<Frame> frames = new ArrayList<>();
        byMethod.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(count)
                .forEach(e -> frames.add(new Frame(e.getKey(), e.getValue(), (double) e.getValue() / samples)));
        return frames;
    }

    public static Table table(List<Frame> frames) {
        Table table = new Table("top frame", "samples", "share");
        frames.forEach(f -> table.row("`" + f.method() + "`", f.samples(), Table.pct(f.share())));
        return table;
    }

    private String jcmd(String... command) {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        args.addAll(List.of(command));
        try {
            return "ok: " + Peer.exec(args, null, Duration.ofSeconds(60));
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
