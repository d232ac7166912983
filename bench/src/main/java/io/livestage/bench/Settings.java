package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Knobs of the session-api benchmark. Each comes from a {@code --name=value} argument, else the environment variable
 * {@code BENCH_NAME} (upper case, '-' as '_'), else its default. See bench/README.md.
 */
public record Settings(
        Duration warmup,
        Duration duration,
        Duration floorDuration,
        int rounds,
        int connections,
        int hosts,
        OperationMix mix,
        double eventRate,
        Duration pollTimeout,
        long maxRequests,
        int seedSessions,
        int clientThreads,
        Duration requestTimeout,
        Path repoRoot,
        Path report,
        Path serviceJar,
        String serviceJavaOpts) {

    public Settings {
        require(rounds >= 1 && rounds <= 20, "rounds must be 1..20, was " + rounds);
        require(connections >= 1 && connections <= 1024, "connections must be 1..1024, was " + connections);
        require(hosts >= 1 && hosts <= 10_000, "hosts must be 1..10000, was " + hosts);
        require(eventRate >= 0 && eventRate <= 2_000, "event-rate must be 0..2000 per second, was " + eventRate);
        require(!warmup.isNegative() && warmup.compareTo(Duration.ofMinutes(10)) <= 0, "warmup must be 0..600 s");
        require(duration.compareTo(Duration.ofSeconds(1)) >= 0 && duration.compareTo(Duration.ofMinutes(30)) <= 0,
                "duration must be 1..1800 s");
        require(!floorDuration.isNegative() && floorDuration.compareTo(Duration.ofMinutes(10)) <= 0,
                "floor duration must be 0..600 s");
        require(maxRequests >= 1, "max-requests must be >= 1");
        require(seedSessions >= 1 && seedSessions <= 100_000, "seed-sessions must be 1..100000");
        require(clientThreads >= 1 && clientThreads <= 16, "client-threads must be 1..16");
    }

    /** Reads the settings from arguments, then environment, then defaults. */
    public static Settings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        Duration duration = knobs.seconds("duration", 30);
        Settings settings = new Settings(
                knobs.seconds("warmup", 30),
                duration,
                knobs.seconds("floor-duration", Math.max(1, duration.toSeconds() / 3)),
                knobs.integer("rounds", 2),
                knobs.integer("connections", 16),
                knobs.integer("hosts", 20),
                OperationMix.parse(knobs.string("mix", OperationMix.DEFAULT_SPEC)),
                knobs.decimal("event-rate", 50),
                knobs.millis("poll-ms", 5),
                knobs.longValue("max-requests", 2_000_000),
                knobs.integer("seed-sessions", 200),
                knobs.integer("client-threads", 1),
                knobs.millis("request-timeout-ms", 10_000),
                root,
                root.resolve(knobs.string("report", "docs/benchmarks/session-api.md")),
                root.resolve(knobs.string("service-jar", "session-service/target/quarkus-app/quarkus-run.jar")),
                knobs.string("service-java-opts", ""));
        knobs.finish();
        return settings;
    }

    /** Upper bound of the whole run's wall time, for the watchdog: windows, warm-ups and generous start-up. */
    public Duration budget() {
        return warmup.multipliedBy(2).plus(duration).plus(floorDuration).plus(requestTimeout.multipliedBy(2L * rounds + 4))
                .plus(Duration.ofMinutes(5));
    }

    private static void require(boolean condition, String message) {
        Knobs.require(condition, message);
    }
}
