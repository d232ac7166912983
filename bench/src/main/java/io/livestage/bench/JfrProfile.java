package io.livestage.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * JDK Flight Recorder on a service process, started and stopped around the measured windows with {@code jcmd}
 * ({@code JFR.start settings=profile}, {@code JFR.stop filename=…}), and read back with {@link RecordingFile}:
 * where the CPU samples ({@code jdk.ExecutionSample}) fall — by top frame, by thread, and inclusively by the
 * application's own methods — and the GC pauses.
 */
final class JfrProfile {
    /** One row: a name and its share of the samples. */
    record Row(String name, long samples, double share) {
    }

    /** What one recording says. */
    record Summary(String service, Path file, long samples, List<Row> topFrames, List<Row> threads,
            List<Row> activities, List<Row> inclusive, int gcPauses, double gcPauseMillis, double gcMaxPauseMillis) {
    }

    private static final String NAME = "livestage-bench";
    private static final int TOP = 15;
    /** Packages whose methods are listed inclusively: the services' own code. */
    static final List<String> INCLUSIVE_PREFIXES = List.of("io.livestage.");
    /** Where a sample with no livestage frame is: by the package of its top frame, first match. */
    static final List<List<String>> FRAMEWORK = List.of(
            List.of("io.vertx.pgclient.", "PostgreSQL client (Vert.x pg)"),
            List.of("io.vertx.sqlclient.", "PostgreSQL client (Vert.x pg)"),
            List.of("org.postgresql.", "PostgreSQL JDBC"),
            List.of("io.agroal.", "PostgreSQL JDBC"),
            List.of("org.apache.kafka.streams.", "Kafka Streams"),
            List.of("org.apache.kafka.", "Kafka client"),
            List.of("com.fasterxml.jackson.", "JSON (Jackson)"),
            List.of("io.quarkus.websockets.next.", "websockets-next"),
            List.of("io.netty.", "Netty I/O"),
            List.of("io.vertx.", "Vert.x"),
            List.of("io.smallrye.", "SmallRye (Mutiny, context, messaging)"),
            List.of("io.quarkus.", "Quarkus"),
            List.of("sun.nio.", "JDK NIO"),
            List.of("java.", "JDK"),
            List.of("jdk.", "JDK"));

    private final String service;
    private final long pid;
    private final Path file;
    private final List<String> options;
    private boolean started;

    JfrProfile(String service, long pid, Path file) {
        this(service, pid, file, List.of());
    }

    /** With more {@code JFR.start} options, e.g. event settings such as {@code jdk.ThreadPark#threshold=1ms}. */
    JfrProfile(String service, long pid, Path file, List<String> options) {
        this.service = service;
        this.pid = pid;
        this.file = file;
        this.options = List.copyOf(options);
    }

    Path file() {
        return file;
    }

    /** Starts a recording in the process; false (and a reason in the log) when jcmd failed. */
    boolean start() {
        List<String> command = new ArrayList<>(List.of("JFR.start", "name=" + NAME, "settings=profile"));
        command.addAll(options);
        String out = jcmd(command.toArray(String[]::new));
        started = out != null && !out.contains("Could not");
        if (!started) {
            Harness.log("JFR.start in " + service + " (pid " + pid + ") failed: " + out);
        }
        return started;
    }

    /** Stops the recording and writes it to the file. */
    boolean stop() {
        if (!started) {
            return false;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Harness.log("cannot prepare " + file + ": " + e);
        }
        String out = jcmd("JFR.stop", "name=" + NAME, "filename=" + file.toAbsolutePath());
        boolean ok = out != null && Files.isRegularFile(file);
        if (!ok) {
            Harness.log("JFR.stop in " + service + " failed: " + out);
        }
        return ok;
    }

    private String jcmd(String... command) {
        List<String> args = new ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return "jcmd failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    Summary summarize() throws IOException {
        return summarize(service, file);
    }

    static Summary summarize(String service, Path file) throws IOException {
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> activities = new HashMap<>();
        long samples = 0;
        int pauses = 0;
        double pauseMillis = 0;
        double maxPause = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.GCPhasePause")) {
                    double ms = event.getDuration().toNanos() / 1e6;
                    pauses++;
                    pauseMillis += ms;
                    maxPause = Math.max(maxPause, ms);
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                top.merge(frame(frames.getFirst()), 1L, Long::sum);
                RecordedThread thread = event.getThread("sampledThread");
                String threadName = thread == null ? "?" : thread.getJavaName() == null ? thread.getOSName()
                        : thread.getJavaName();
                threads.merge(threadGroup(threadName), 1L, Long::sum);
                activities.merge(activity(frames), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String name = frame(f);
                    if (INCLUSIVE_PREFIXES.stream().anyMatch(name::startsWith) && !name.contains("$$Lambda")
                            && !name.contains("_ClientProxy.") && seen.add(name)) {
                        inclusive.merge(name, 1L, Long::sum);
                    }
                }
            }
        }
        return new Summary(service, file, samples, rows(top, samples), rows(threads, samples),
                rows(activities, samples), rows(inclusive, samples), pauses, pauseMillis, maxPause);
    }

    /**
     * What a sample was doing: the outermost of the service's own frames (the entry into livestage code: a socket
     * handler, a repository call, the relay loop), else the framework of its topmost non-JDK frame.
     */
    static String activity(List<RecordedFrame> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            String name = frame(frames.get(i));
            // a lambda's own frame names no method; the frame inside it (lambda$save$1 of the class) does
            if (name.startsWith("io.livestage.") && !name.contains("$$Lambda")) {
                return shortName(name);
            }
        }
        // else the first framework frame from the top (a JDK leaf such as HashMap.get counts for its caller)
        for (RecordedFrame f : frames) {
            String name = frame(f);
            if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
                return framework(name);
            }
        }
        return framework(frame(frames.getFirst()));
    }

    static String framework(String frame) {
        for (List<String> f : FRAMEWORK) {
            if (frame.startsWith(f.get(0))) {
                return "(no livestage frame) " + f.get(1);
            }
        }
        return "(no livestage frame) other";
    }

    /** {@code io.livestage.transcription.client.GladiaStream.audio} → {@code GladiaStream.audio}. */
    static String shortName(String frame) {
        int method = frame.lastIndexOf('.');
        int type = frame.lastIndexOf('.', method - 1);
        return frame.substring(type + 1);
    }

    /** Thread names without their running numbers ({@code vert.x-eventloop-thread-3} → {@code vert.x-eventloop-thread-*}). */
    static String threadGroup(String name) {
        return name.replaceAll("\\d+$", "*");
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static List<Row> rows(Map<String, Long> counts, long total) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
                .map(e -> new Row(e.getKey(), e.getValue(), total == 0 ? 0 : e.getValue() / (double) total)).toList();
    }

    /** For a report: the three tables of one summary. */
    static Map<String, Table> tables(Summary s) {
        Map<String, Table> out = new LinkedHashMap<>();
        out.put("top frames (self time)", table("top frame", s.topFrames()));
        out.put("threads", table("thread", s.threads()));
        out.put("activity (the outermost livestage frame of each sample, else the framework of its topmost non-JDK frame)",
                table("activity", s.activities()));
        out.put("livestage methods anywhere on the stack (inclusive)", table("method on the stack", s.inclusive()));
        return out;
    }

    private static Table table(String what, List<Row> rows) {
        Table table = new Table(what, "samples", "share").textColumns(1);
        rows.forEach(r -> table.row(r.name(), r.samples(), Report.percent(r.share())));
        return table;
    }
}
