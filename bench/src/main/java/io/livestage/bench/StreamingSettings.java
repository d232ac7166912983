package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.livestage.bench.Knobs.require;

/** Knobs of {@code ./bench/run streaming}; see bench/README.md. */
public record StreamingSettings(
        Set<String> phases,
        int subscribers,
        int connectConcurrency,
        int warmupChanges,
        int changes,
        Duration interval,
        Duration idleCpu,
        Duration eventGrace,
        Duration liveTimeout,
        String sessionJson,
        int segments,
        int segmentMinKib,
        int segmentMaxKib,
        int hlsConnections,
        Duration hlsWarmup,
        Duration hlsDuration,
        int hlsRounds,
        int clientThreads,
        long maxRequests,
        Duration requestTimeout,
        Path report,
        StackJars stack,
        Path recordingJar) {

    /** The two parts of the run, in the order they run. */
    public static final List<String> ALL_PHASES = List.of("sse", "hls");
    /** A PUBLIC VIDEO session without recording: the stream, not an egress, is under test. */
    static final String DEFAULT_SESSION = "{\"title\":\"Streaming bench\",\"kind\":\"VIDEO\","
            + "\"visibility\":\"PUBLIC\"}";

    public StreamingSettings {
        require(!phases.isEmpty() && ALL_PHASES.containsAll(phases), "phases must be a comma-separated subset of "
                + String.join(",", ALL_PHASES));
        require(subscribers >= 1 && subscribers <= 20_000, "subscribers must be 1..20000");
        require(connectConcurrency >= 1 && connectConcurrency <= 5_000, "connect-concurrency must be 1..5000");
        // the first warm-up change also tells whether the endpoint is there and takes the host's token
        require(warmupChanges >= 1 && warmupChanges <= 1_000, "warmup-changes must be 1..1000");
        require(changes >= 1 && changes <= 1_000, "changes must be 1..1000");
        require(interval.toMillis() >= 10 && interval.toSeconds() <= 60, "interval must be 10 ms..60 s");
        require(interval.multipliedBy(warmupChanges + changes).toSeconds() <= 900,
                "(warmup-changes + changes) × interval must be at most 900 s");
        require(!idleCpu.isNegative() && idleCpu.toSeconds() <= 120, "idle-cpu must be 0..120 s");
        require(eventGrace.toMillis() >= 100 && eventGrace.toSeconds() <= 120, "event-grace-ms must be 100..120000");
        require(liveTimeout.toMillis() >= 1_000 && liveTimeout.toSeconds() <= 600,
                "live-timeout-ms must be 1000..600000");
        require(sessionJson.trim().startsWith("{"), "session-json must be a JSON object");
        require(segments >= 1 && segments <= 1_000, "segments must be 1..1000");
        require(segmentMinKib >= 1 && segmentMinKib <= segmentMaxKib && segmentMaxKib <= 16_384,
                "segment-min-kib and segment-max-kib must be 1 <= min <= max <= 16384");
        require(hlsConnections >= 1 && hlsConnections <= 512, "hls-connections must be 1..512");
        require(!hlsWarmup.isNegative() && hlsWarmup.toSeconds() <= 600, "hls-warmup must be 0..600 s");
        require(hlsDuration.toMillis() >= 1_000 && hlsDuration.toSeconds() <= 600, "hls-duration must be 1..600 s");
        require(hlsRounds >= 1 && hlsRounds <= 20, "hls-rounds must be 1..20");
        require(clientThreads >= 1 && clientThreads <= 16, "client-threads must be 1..16");
        require(maxRequests >= 1, "max-requests must be at least 1");
        phases = Set.copyOf(phases);
    }

    public static StreamingSettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        StreamingSettings settings = new StreamingSettings(
                RecordingSettings.phases(knobs.string("phases", String.join(",", ALL_PHASES))),
                knobs.integer("subscribers", 2_000),
                knobs.integer("connect-concurrency", 200),
                knobs.integer("warmup-changes", 200),
                knobs.integer("changes", 50),
                interval(knobs.string("interval", "200ms")),
                knobs.seconds("idle-cpu", 5),
                knobs.millis("event-grace-ms", 5_000),
                knobs.millis("live-timeout-ms", 60_000),
                knobs.string("session-json", DEFAULT_SESSION),
                knobs.integer("segments", 30),
                knobs.integer("segment-min-kib", 200),
                knobs.integer("segment-max-kib", 400),
                knobs.integer("hls-connections", 32),
                knobs.seconds("hls-warmup", 15),
                knobs.seconds("hls-duration", 20),
                knobs.integer("hls-rounds", 5),
                knobs.integer("client-threads", 1),
                knobs.longValue("max-requests", 2_000_000),
                knobs.millis("request-timeout-ms", 10_000),
                root.resolve(knobs.string("report", "docs/benchmarks/streaming.md")),
                StackJars.from(knobs),
                root.resolve(knobs.string("recording-jar", "recording-service/target/quarkus-app/quarkus-run.jar")));
        knobs.finish();
        return settings;
    }

    /** {@code 200ms}, {@code 1s}, {@code 1.5s} or a bare number of milliseconds. */
    static Duration interval(String text) {
        String value = text.trim();
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
            }
            if (value.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1).trim())
                        * 1000));
            }
            return Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("interval must be like 200ms or 1s, was '" + text + "'");
        }
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** Upper bound of the whole run's wall time, for the watchdog. */
    public Duration budget() {
        Duration total = Duration.ofMinutes(6); // start-up of Kafka, PostgreSQL, three services, the live wait
        total = total.plus(liveTimeout);
        if (runs("sse")) {
            total = total.plus(Duration.ofMinutes(3)) // opening the subscribers
                    .plus(interval.multipliedBy(warmupChanges + changes).multipliedBy(2))
                    .plus(idleCpu).plus(eventGrace.multipliedBy(2)).plus(requestTimeout.multipliedBy(4));
        }
        if (runs("hls")) {
            total = total.plus(hlsWarmup.multipliedBy(2).plus(hlsDuration.multipliedBy(2)).multipliedBy(2))
                    .plus(Duration.ofMinutes(1)).plus(requestTimeout.multipliedBy(4));
        }
        return total;
    }
}
