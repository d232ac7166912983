package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.livestage.bench.Knobs.require;

/** Knobs of {@code ./bench/run tokens}; see bench/README.md. */
public record TokensSettings(
        int jmhForks,
        int jmhWarmupIterations,
        int jmhIterations,
        Duration jmhIterationTime,
        Duration warmup,
        Duration duration,
        Duration joinDuration,
        Duration floorDuration,
        Duration latencyDuration,
        int rounds,
        int connections,
        int clientThreads,
        int users,
        int sessions,
        double firstJoinShare,
        long maxRequests,
        Duration requestTimeout,
        Path report,
        StackJars stack) {

    public TokensSettings {
        require(jmhForks >= 0 && jmhForks <= 10, "jmh-forks must be 0..10 (0 skips JMH)");
        require(jmhWarmupIterations >= 0 && jmhWarmupIterations <= 50, "jmh-warmup-iterations must be 0..50");
        require(jmhIterations >= 1 && jmhIterations <= 50, "jmh-iterations must be 1..50");
        require(jmhIterationTime.toMillis() >= 100 && jmhIterationTime.toSeconds() <= 60,
                "jmh-iteration-ms must be 100..60000");
        require(!warmup.isNegative() && warmup.toSeconds() <= 600, "warmup must be 0..600 s");
        require(!duration.isNegative() && duration.toSeconds() <= 1800, "duration must be 0..1800 s (0 skips the endpoint)");
        require(!joinDuration.isNegative() && joinDuration.toSeconds() <= 600, "join-duration must be 0..600 s");
        require(!floorDuration.isNegative() && floorDuration.toSeconds() <= 600, "floor-duration must be 0..600 s");
        require(!latencyDuration.isNegative() && latencyDuration.toSeconds() <= 120, "latency-duration must be 0..120 s");
        require(rounds >= 1 && rounds <= 20, "rounds must be 1..20");
        require(connections >= 1 && connections <= 1024, "connections must be 1..1024");
        require(clientThreads >= 1 && clientThreads <= 16, "client-threads must be 1..16");
        require(users >= 1 && users <= 100_000, "users must be 1..100000");
        require(sessions >= 1 && sessions <= 1_000, "sessions must be 1..1000");
        require(firstJoinShare >= 0 && firstJoinShare <= 1, "first-join-share must be 0..1");
        require(maxRequests >= 1, "max-requests must be >= 1");
        require(jmhForks > 0 || !duration.isZero(), "nothing to run: jmh-forks=0 and duration=0");
    }

    public static TokensSettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        Duration duration = knobs.seconds("duration", 30);
        Duration third = Duration.ofSeconds(Math.max(1, duration.toSeconds() / 3));
        TokensSettings settings = new TokensSettings(
                knobs.integer("jmh-forks", 2),
                knobs.integer("jmh-warmup-iterations", 5),
                knobs.integer("jmh-iterations", 5),
                knobs.millis("jmh-iteration-ms", 1_000),
                knobs.seconds("warmup", 60),
                duration,
                knobs.seconds("join-duration", third.toMillis() / 1000.0),
                knobs.seconds("floor-duration", third.toMillis() / 1000.0),
                knobs.seconds("latency-duration", 5),
                knobs.integer("rounds", 2),
                knobs.integer("connections", 16),
                knobs.integer("client-threads", 1),
                knobs.integer("users", 2_000),
                knobs.integer("sessions", 50),
                knobs.decimal("first-join-share", 0.5),
                knobs.longValue("max-requests", 2_000_000),
                knobs.millis("request-timeout-ms", 10_000),
                root.resolve(knobs.string("report", "docs/benchmarks/tokens.md")),
                StackJars.from(knobs));
        knobs.finish();
        return settings;
    }

    /** Estimated JMH wall time: per fork round, each of 3 benchmarks' iterations plus about 3 s of JVM start. */
    public Duration jmhEstimate() {
        long perBenchmark = jmhIterationTime.toMillis() * (jmhWarmupIterations + jmhIterations) + 3_000;
        return Duration.ofMillis(perBenchmark * 3 * jmhForks);
    }

    /** Upper bound of the whole run's wall time, for the watchdog. */
    public Duration budget() {
        return jmhEstimate().multipliedBy(2).plus(warmup.multipliedBy(2)).plus(duration).plus(joinDuration)
                .plus(floorDuration).plus(latencyDuration.multipliedBy(2))
                .plus(requestTimeout.multipliedBy(3L * rounds + 6)).plus(Duration.ofMinutes(6));
    }
}
