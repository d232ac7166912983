package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.livestage.bench.Knobs.require;

/** Knobs of {@code ./bench/run analytics}; see bench/README.md. */
public record AnalyticsSettings(
        Set<String> phases,
        int sessions,
        long events,
        AnalyticsLog.Mix mix,
        long seed,
        int rounds,
        Duration progressEvery,
        Duration catchUpTimeout,
        Duration finalDelay,
        int checkSessions,
        int liveSessions,
        double liveRate,
        Duration liveWarmup,
        Duration liveDuration,
        Duration livePoll,
        Duration frameGrace,
        boolean jfr,
        String serviceJavaOpts,
        Path report,
        Path repoRoot,
        Path analyticsJar) {

    /** The parts of the run, in the order they run. */
    public static final List<String> ALL_PHASES = List.of("plain", "throughput", "live");

    public AnalyticsSettings {
        require(!phases.isEmpty() && ALL_PHASES.containsAll(phases), "phases must be a comma-separated subset of "
                + String.join(",", ALL_PHASES));
        require(!phases.contains("live") || phases.contains("throughput"),
                "phases: live needs throughput (the service is started, and caught up, there)");
        require(sessions >= 1 && sessions <= 100_000, "sessions must be 1..100000");
        require(events >= 3L * sessions && events <= 20_000_000, "events must be at least 3 × sessions and at most "
                + "20000000");
        require(events / sessions <= AnalyticsLog.MAX_EVENTS_PER_SESSION, "events / sessions must be at most "
                + AnalyticsLog.MAX_EVENTS_PER_SESSION);
        require(rounds >= 1 && rounds <= 10, "rounds must be 1..10");
        require(progressEvery.toMillis() >= 20 && progressEvery.toMillis() <= 2_000, "progress-ms must be 20..2000");
        require(catchUpTimeout.toSeconds() >= 5 && catchUpTimeout.toSeconds() <= 3_600,
                "catch-up-timeout must be 5..3600 s");
        require(finalDelay.toMillis() >= 100 && finalDelay.toSeconds() <= 600, "final-delay must be 0.1..600 s");
        require(checkSessions >= 0 && checkSessions <= 1_000, "check-sessions must be 0..1000");
        require(liveSessions >= 1 && liveSessions <= 1_000, "live-sessions must be 1..1000");
        require(liveRate > 0 && liveRate <= 10_000, "live-rate must be more than 0 and at most 10000 messages/s");
        require(!liveWarmup.isNegative() && liveWarmup.toSeconds() <= 600, "live-warmup must be 0..600 s");
        require(liveDuration.toMillis() >= 1_000 && liveDuration.toSeconds() <= 600, "live-duration must be 1..600 s");
        require(livePoll.toMillis() >= 10 && livePoll.toSeconds() <= 10, "live-poll-ms must be 10..10000");
        require(frameGrace.toMillis() >= 500 && frameGrace.toSeconds() <= 120, "frame-grace-ms must be 500..120000");
        require(liveRate * liveDuration.toMillis() / 1000.0 >= 1, "live-rate × live-duration must be at least one "
                + "message");
        phases = Set.copyOf(phases);
    }

    public static AnalyticsSettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        String seed = knobs.raw("seed");
        AnalyticsSettings settings = new AnalyticsSettings(
                Set.of(knobs.string("phases", String.join(",", ALL_PHASES)).split(",")),
                knobs.integer("sessions", 2_000),
                knobs.longValue("events", 1_000_000),
                AnalyticsLog.Mix.parse(knobs.string("mix", AnalyticsLog.Mix.DEFAULT.toString())),
                seed == null ? System.nanoTime() : parseSeed(seed),
                knobs.integer("rounds", 2),
                knobs.millis("progress-ms", 150),
                knobs.seconds("catch-up-timeout", 600),
                knobs.seconds("final-delay", 5),
                knobs.integer("check-sessions", 20),
                knobs.integer("live-sessions", 50),
                knobs.decimal("live-rate", 200),
                knobs.seconds("live-warmup", 15),
                knobs.seconds("live-duration", 30),
                knobs.millis("live-poll-ms", 250),
                knobs.millis("frame-grace-ms", 10_000),
                Boolean.parseBoolean(knobs.string("jfr", "true")),
                knobs.string("service-java-opts", ""),
                root.resolve(knobs.string("report", "docs/benchmarks/analytics.md")),
                root,
                root.resolve(knobs.string("analytics-jar", "analytics-service/target/quarkus-app/quarkus-run.jar")));
        knobs.finish();
        return settings;
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed must be a whole number, was '" + text + "'");
        }
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** Messages sent during the live warm-up and during the measured live window. */
    long warmupMessages() {
        return Math.round(liveRate * liveWarmup.toMillis() / 1000.0);
    }

    long measuredMessages() {
        return Math.round(liveRate * liveDuration.toMillis() / 1000.0);
    }

    /** Upper bound of the whole run's wall time, for the watchdog. */
    public Duration budget() {
        Duration total = Duration.ofMinutes(5); // Kafka, PostgreSQL, the first service start
        // loading the log: a few µs of encoding and producing per event
        total = total.plus(Duration.ofMillis(events / 5));
        if (runs("plain")) {
            total = total.plus(catchUpTimeout.plus(Duration.ofMinutes(1)).multipliedBy(rounds));
        }
        if (runs("throughput")) {
            total = total.plus(catchUpTimeout.plus(Duration.ofMinutes(4)).multipliedBy(rounds));
        }
        if (runs("live")) {
            total = total.plus(Duration.ofMinutes(3)).plus(liveWarmup).plus(liveDuration).plus(frameGrace);
        }
        return total;
    }
}
