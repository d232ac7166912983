package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

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
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
            }
            String[] pair = arg.substring(2).split("=", 2);
            given.put(pair[0].toLowerCase(Locale.ROOT), pair[1]);
        }
        Function<String, String> lookup = name -> {
            String value = given.remove(name);
            if (value == null) {
                value = env.get("BENCH_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            return value == null || value.isBlank() ? null : value.trim();
        };
        Path root = Path.of(or(lookup.apply("root"), ".")).toAbsolutePath().normalize();
        Duration duration = seconds(or(lookup.apply("duration"), "30"));
        Settings settings = new Settings(
                seconds(or(lookup.apply("warmup"), "30")),
                duration,
                seconds(or(lookup.apply("floor-duration"), Long.toString(Math.max(1, duration.toSeconds() / 3)))),
                Integer.parseInt(or(lookup.apply("rounds"), "2")),
                Integer.parseInt(or(lookup.apply("connections"), "16")),
                Integer.parseInt(or(lookup.apply("hosts"), "20")),
                OperationMix.parse(or(lookup.apply("mix"), OperationMix.DEFAULT_SPEC)),
                Double.parseDouble(or(lookup.apply("event-rate"), "50")),
                Duration.ofMillis(Long.parseLong(or(lookup.apply("poll-ms"), "5"))),
                Long.parseLong(or(lookup.apply("max-requests"), "2000000")),
                Integer.parseInt(or(lookup.apply("seed-sessions"), "200")),
                Integer.parseInt(or(lookup.apply("client-threads"), "1")),
                Duration.ofMillis(Long.parseLong(or(lookup.apply("request-timeout-ms"), "10000"))),
                root,
                root.resolve(or(lookup.apply("report"), "docs/benchmarks/session-api.md")),
                root.resolve(or(lookup.apply("service-jar"), "session-service/target/quarkus-app/quarkus-run.jar")),
                or(lookup.apply("service-java-opts"), ""));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("Unknown argument(s): " + given.keySet()
                    + "; see bench/README.md for the knobs");
        }
        return settings;
    }

    /** Upper bound of the whole run's wall time, for the watchdog: windows, warm-ups and generous start-up. */
    public Duration budget() {
        return warmup.multipliedBy(2).plus(duration).plus(floorDuration).plus(requestTimeout.multipliedBy(2L * rounds + 4))
                .plus(Duration.ofMinutes(5));
    }

    private static Duration seconds(String value) {
        double s = Double.parseDouble(value);
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
