package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.livestage.bench.Knobs.require;

/** Knobs of {@code ./bench/run recording}; see bench/README.md. */
public record RecordingSettings(
        Set<String> phases,
        int warmupSessions,
        double warmupRate,
        int sessions,
        double rate,
        Duration egressTimeout,
        int episodes,
        int feedConnections,
        Duration feedWarmup,
        Duration feedDuration,
        int feedRounds,
        int fileMb,
        int sliceKib,
        int rangeConnections,
        Duration rangeWarmup,
        Duration rangeDuration,
        int rangeRounds,
        int clientThreads,
        long maxRequests,
        Duration pollTimeout,
        Duration requestTimeout,
        Path report,
        StackJars stack,
        Path recordingJar) {

    /** The three parts of the run, in the order they run. */
    public static final List<String> ALL_PHASES = List.of("egress", "feed", "range");

    public RecordingSettings {
        require(!phases.isEmpty() && ALL_PHASES.containsAll(phases), "phases must be a comma-separated subset of "
                + String.join(",", ALL_PHASES));
        require(warmupSessions >= 0 && warmupSessions <= 10_000, "warmup-sessions must be 0..10000");
        require(sessions >= 1 && sessions <= 10_000, "sessions must be 1..10000");
        require(rate > 0 && rate <= 200, "rate must be > 0 and <= 200 per second");
        require(warmupRate > 0 && warmupRate <= 200, "warmup-rate must be > 0 and <= 200 per second");
        require(sessions / rate <= 1_200, "sessions / rate must be at most 1200 s");
        require(warmupSessions / warmupRate <= 600, "warmup-sessions / warmup-rate must be at most 600 s");
        require(egressTimeout.toMillis() >= 1_000 && egressTimeout.toSeconds() <= 300,
                "egress-timeout-ms must be 1000..300000");
        require(episodes >= 1 && episodes <= 100_000, "episodes must be 1..100000");
        require(feedConnections >= 1 && feedConnections <= 512, "feed-connections must be 1..512");
        require(rangeConnections >= 1 && rangeConnections <= 512, "range-connections must be 1..512");
        require(feedRounds >= 1 && feedRounds <= 20, "feed-rounds must be 1..20");
        require(rangeRounds >= 1 && rangeRounds <= 20, "range-rounds must be 1..20");
        require(!feedWarmup.isNegative() && feedWarmup.toSeconds() <= 600, "feed-warmup must be 0..600 s");
        require(!rangeWarmup.isNegative() && rangeWarmup.toSeconds() <= 600, "range-warmup must be 0..600 s");
        require(feedDuration.toMillis() >= 1_000 && feedDuration.toSeconds() <= 600, "feed-duration must be 1..600 s");
        require(rangeDuration.toMillis() >= 1_000 && rangeDuration.toSeconds() <= 600,
                "range-duration must be 1..600 s");
        require(fileMb >= 1 && fileMb <= 2_048, "file-mb must be 1..2048");
        require(sliceKib >= 1 && (long) sliceKib * 1024 <= (long) fileMb * 1024 * 1024,
                "slice-kib must be at least 1 and at most the file");
        require(clientThreads >= 1 && clientThreads <= 16, "client-threads must be 1..16");
        require(maxRequests >= 1, "max-requests must be at least 1");
        phases = Set.copyOf(phases);
    }

    public static RecordingSettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        RecordingSettings settings = new RecordingSettings(
                phases(knobs.string("phases", String.join(",", ALL_PHASES))),
                knobs.integer("warmup-sessions", 150),
                knobs.decimal("warmup-rate", 10),
                knobs.integer("sessions", 300),
                knobs.decimal("rate", 5),
                knobs.millis("egress-timeout-ms", 30_000),
                knobs.integer("episodes", 1_000),
                knobs.integer("feed-connections", 16),
                knobs.seconds("feed-warmup", 20),
                knobs.seconds("feed-duration", 20),
                knobs.integer("feed-rounds", 2),
                knobs.integer("file-mb", 50),
                knobs.integer("slice-kib", 64),
                knobs.integer("range-connections", 16),
                knobs.seconds("range-warmup", 15),
                knobs.seconds("range-duration", 20),
                knobs.integer("range-rounds", 5),
                knobs.integer("client-threads", 1),
                knobs.longValue("max-requests", 2_000_000),
                knobs.millis("poll-ms", 5),
                knobs.millis("request-timeout-ms", 10_000),
                root.resolve(knobs.string("report", "docs/benchmarks/recording.md")),
                StackJars.from(knobs),
                root.resolve(knobs.string("recording-jar", "recording-service/target/quarkus-app/quarkus-run.jar")));
        knobs.finish();
        return settings;
    }

    static Set<String> phases(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** The scheduled length of {@code count} session starts at {@code perSecond}. */
    static Duration phase(int count, double perSecond) {
        return Duration.ofMillis(Math.round(count / perSecond * 1000));
    }

    /** The size of the served file in bytes. */
    long fileBytes() {
        return (long) fileMb * 1024 * 1024;
    }

    /** Upper bound of the whole run's wall time, for the watchdog. */
    public Duration budget() {
        Duration total = Duration.ofMinutes(6); // start-up of Kafka, PostgreSQL, three services, seeding
        if (runs("egress")) {
            total = total.plus(phase(warmupSessions, warmupRate).plus(phase(sessions, rate)).multipliedBy(2))
                    .plus(egressTimeout.multipliedBy(2)).plus(requestTimeout.multipliedBy(4));
        }
        if (runs("feed")) {
            total = total.plus(feedWarmup.plus(feedDuration.multipliedBy(2)).multipliedBy(2))
                    .plus(requestTimeout.multipliedBy(4));
        }
        if (runs("range")) {
            total = total.plus(rangeWarmup.multipliedBy(2).plus(rangeDuration.multipliedBy(2)).multipliedBy(2))
                    .plus(Duration.ofMinutes(1)).plus(requestTimeout.multipliedBy(4));
        }
        return total;
    }
}
