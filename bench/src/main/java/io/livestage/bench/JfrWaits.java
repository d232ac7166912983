package io.livestage.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one thread of a JFR recording was blocked rather than running: its {@code jdk.ThreadPark},
 * {@code jdk.JavaMonitorWait} and {@code jdk.JavaMonitorEnter} events (recorded from 1 ms with {@link #OPTIONS}),
 * summed by cause. For analytics-service's Kafka Streams stream thread: the time spent waiting for PostgreSQL in the
 * punctuator, for exactly-once commits, for the producer. Waiting inside a socket select (the consumer's fetches) has
 * no JFR event and is not here.
 */
final class JfrWaits {
    /** JFR.start options that record these events from 1 ms (the profile settings start at 10 or 20 ms). */
    static final List<String> OPTIONS = List.of("jdk.ThreadPark#threshold=1ms", "jdk.JavaMonitorWait#threshold=1ms",
            "jdk.JavaMonitorEnter#threshold=1ms");
    private static final Set<String> TYPES = Set.of("jdk.ThreadPark", "jdk.JavaMonitorWait", "jdk.JavaMonitorEnter");

    /** One cause: how many waits, how long in all. */
    record Row(String cause, long count, double seconds) {
    }

    /** The thread's waits by cause, longest first, and the recording's length. */
    record Summary(String thread, double recordingSeconds, List<Row> rows) {
        double totalSeconds() {
            return rows.stream().mapToDouble(Row::seconds).sum();
        }

        /** Seconds of the causes whose name starts with {@code prefix}. */
        double seconds(String prefix) {
            return rows.stream().filter(r -> r.cause().startsWith(prefix)).mapToDouble(Row::seconds).sum();
        }
    }

    static final String FINAL_STATS = "final statistics to PostgreSQL (punctuator → FinalStatsRecorder.record)";
    static final String EOS_COMMIT = "commit (flush of the changelog records, offsets, transaction: exactly-once, "
            + "every commit.interval.ms)";
    static final String PRODUCE = "producer send outside a commit (buffer full or metadata)";
    static final String POLL = "consumer poll";

    private JfrWaits() {
    }

    /** The waits of the threads whose Java name starts with {@code threadPrefix} and contains {@code contains}. */
    static Summary summarize(Path file, String threadPrefix, String contains) throws IOException {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Long> nanos = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        String thread = null;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                long start = event.getStartTime().toEpochMilli();
                first = Math.min(first, start);
                last = Math.max(last, event.getEndTime().toEpochMilli());
                if (!TYPES.contains(event.getEventType().getName())) {
                    continue;
                }
                RecordedThread t = event.getThread("eventThread");
                String name = t == null ? null : t.getJavaName();
                if (name == null || !name.startsWith(threadPrefix) || !name.contains(contains)) {
                    continue;
                }
                thread = name.replaceAll("\\d+$", "*");
                String cause = cause(event.getStackTrace());
                counts.computeIfAbsent(cause, c -> new long[1])[0]++;
                nanos.merge(cause, event.getDuration().toNanos(), Long::sum);
            }
        }
        List<Row> rows = counts.entrySet().stream()
                .map(e -> new Row(e.getKey(), e.getValue()[0], nanos.get(e.getKey()) / 1e9))
                .sorted((a, b) -> Double.compare(b.seconds(), a.seconds())).toList();
        double seconds = first == Long.MAX_VALUE ? 0 : Duration.ofMillis(last - first).toMillis() / 1000.0;
        return new Summary(thread, seconds, rows);
    }

    static String cause(RecordedStackTrace stack) {
        if (stack == null) {
            return "(no stack)";
        }
        List<RecordedFrame> frames = stack.getFrames();
        // the specific causes anywhere on the stack first, then the client the wait is in
        for (RecordedFrame f : frames) {
            String name = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            if (name.startsWith("io.livestage.analytics.service.FinalStatsRecorder")) {
                return FINAL_STATS;
            }
            // a commit: flushing the changelog records (producer.flush), the offsets and the transaction
            if (name.endsWith(".commitTransaction") || name.endsWith(".sendOffsetsToTransaction")
                    || name.endsWith(".beginTransaction") || name.endsWith(".commitOffsetsOrTransaction")
                    || name.equals("org.apache.kafka.streams.processor.internals.StreamThread.maybeCommit")
                    || name.equals("org.apache.kafka.streams.processor.internals.TaskManager.commit")) {
                return EOS_COMMIT;
            }
        }
        for (RecordedFrame f : frames) {
            String name = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            if (name.startsWith("org.apache.kafka.clients.producer.")) {
                return PRODUCE;
            }
            if (name.startsWith("org.apache.kafka.clients.consumer.")) {
                return POLL;
            }
        }
        for (RecordedFrame f : frames) {
            String name = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
                return JfrProfile.shortName(name);
            }
        }
        return frames.isEmpty() ? "(no frames)" : JfrProfile.shortName(frames.getFirst().getMethod().getType()
                .getName() + "." + frames.getFirst().getMethod().getName());
    }

    static Table table(Summary s) {
        Table table = new Table("stream thread blocked in", "waits", "seconds", "share of the recording")
                .textColumns(1);
        s.rows().forEach(r -> table.row(r.cause(), r.count(), Report.fixed(r.seconds()),
                s.recordingSeconds() > 0 ? Report.percent(r.seconds() / s.recordingSeconds()) : "-"));
        return table;
    }
}
