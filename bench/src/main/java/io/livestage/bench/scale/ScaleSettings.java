package io.livestage.bench.scale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.livestage.bench.Knobs;

/**
 * The knobs of {@code ./bench/run scale} (bench/README.md): the population, the phases and where the load enters. The
 * defaults are the full run (1,000 sessions × 20 guests + 10,000 viewers, 10 min held); anything smaller works.
 */
public record ScaleSettings(int sessions, int guests, int viewers, Duration duration, Duration ramp, int replicas,
        Duration chatInterval, Duration idle, boolean gateway, boolean restart, Duration requestTimeout, Duration grace,
        Path root, Path report) {

    /** File descriptors the harness and the gateway keep besides the chat sockets (HTTP pools, jars, Kafka, logs). */
    static final long FD_RESERVE = 2_000;

    public static ScaleSettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        String via = knobs.string("via", "gateway");
        ScaleSettings settings = new ScaleSettings(knobs.integer("sessions", 1_000), knobs.integer("guests", 20),
                knobs.integer("viewers", 10_000), duration(knobs, "duration", "600s"), duration(knobs, "ramp", "120s"),
                knobs.integer("replicas", 2), duration(knobs, "chat-interval", "30s"), duration(knobs, "idle", "60s"),
                switch (via) {
                    case "gateway" -> true;
                    case "direct" -> false;
                    default -> throw new IllegalArgumentException("via must be gateway or direct, was '" + via + "'");
                }, Boolean.parseBoolean(knobs.string("restart", "true")), duration(knobs, "request-timeout", "10s"),
                duration(knobs, "grace", "15s"), root,
                root.resolve(knobs.string("report", "docs/benchmarks/scale.md")));
        knobs.finish();
        return settings;
    }

    public ScaleSettings {
        require(sessions >= 1, "sessions must be at least 1");
        require(guests >= 0 && guests <= 20, "guests must be 0 to 20 (a session's maxGuests limit)");
        require(viewers >= 0, "viewers must not be negative");
        require(replicas >= 1 && replicas <= 4, "replicas must be 1 to 4 (devstack's limit)");
        require(!chatInterval.isNegative() && !chatInterval.isZero(), "chat-interval must be positive");
        require(!duration.isNegative() && !ramp.isNegative() && !idle.isNegative(), "durations must not be negative");
    }

    /** {@code 600s}, {@code 10m}, {@code 1.5s}, {@code 250ms}, or plain seconds. */
    static Duration parseDuration(String name, String value) {
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            double unit = value.endsWith("m") ? 60 : 1;
            String number = value.endsWith("m") || value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            return Duration.ofMillis(Math.round(Double.parseDouble(number) * unit * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 600s, 10m or 250ms, was '" + value + "'");
        }
    }

    private static Duration duration(Knobs knobs, String name, String fallback) {
        return parseDuration(name, knobs.string(name, fallback));
    }

    /** Guests and viewers together: one LiveKit token and one chat socket each (within {@link #socketCap}). */
    public int participants() {
        return sessions * guests + viewers;
    }

    /** Viewers of session {@code session}: viewer {@code v} is in session {@code v % sessions}. */
    public int viewersOf(int session) {
        return viewers / sessions + (session < viewers % sessions ? 1 : 0);
    }

    /**
     * How many chat sockets fit under a file-descriptor limit: through the gateway each socket costs it two descriptors
     * (client side and upstream), directly the harness one; {@link #FD_RESERVE} stays free for everything else.
     */
    public static int socketCap(long fdLimit, boolean gateway) {
        long free = Math.max(0, fdLimit - FD_RESERVE);
        return (int) Math.min(Integer.MAX_VALUE, gateway ? free / 2 : free);
    }

    /** Chat sockets of one session under a total cap: the cap shared evenly, guests before viewers. */
    public int socketsOf(int session, int cap) {
        int wanted = guests + viewersOf(session);
        return participants() <= cap ? wanted : Math.min(wanted, cap / sessions);
    }

    /** The watchdog's budget: two stack starts, the idle wait, ramp, hold, grace, stops, with room for a slow machine. */
    public Duration budget() {
        return Duration.ofMinutes(20).plus(idle).plus(ramp).plus(duration).plus(grace.multipliedBy(4));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
