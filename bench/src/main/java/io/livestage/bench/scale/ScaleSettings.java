package io.livestage.bench.scale;

import java.time.Duration;

import io.livestage.bench.core.Knobs;

/** The knobs of {@code ./bench/run scale} (bench/README.md): the population, the phases and where the load enters. */
public record ScaleSettings(int sessions, int guests, int viewers, Duration duration, Duration ramp, int replicas,
        Duration chatInterval, Duration idle, boolean gateway, boolean restart, Duration requestTimeout, Duration grace) {

    /** File descriptors the harness and the gateway keep besides the chat sockets (HTTP pools, jars, Kafka, logs). */
    static final long FD_RESERVE = 2_000;

    public static ScaleSettings from(Knobs knobs) {
        String via = knobs.string("via", "gateway");
        Knobs.require(via.equals("gateway") || via.equals("direct"), "via must be gateway or direct, was '" + via + "'");
        return new ScaleSettings(knobs.integer("sessions", 1_000), knobs.integer("guests", 20),
                knobs.integer("viewers", 10_000), knobs.duration("duration", "600s"), knobs.duration("ramp", "120s"),
                knobs.integer("replicas", 2), knobs.duration("chat-interval", "30s"), knobs.duration("idle", "60s"),
                via.equals("gateway"), knobs.flag("restart", true), knobs.duration("request-timeout", "10s"),
                knobs.duration("grace", "15s"));
    }

    public ScaleSettings {
        Knobs.require(sessions >= 1, "sessions must be at least 1");
        Knobs.require(guests >= 0 && guests <= 20, "guests must be 0 to 20 (a session's maxGuests limit)");
        Knobs.require(viewers >= 0, "viewers must not be negative");
        Knobs.require(replicas >= 1 && replicas <= 4, "replicas must be 1 to 4 (devstack's limit)");
        Knobs.require(!chatInterval.isNegative() && !chatInterval.isZero(), "chat-interval must be positive");
        Knobs.require(!duration.isNegative() && !ramp.isNegative() && !idle.isNegative(), "durations must not be negative");
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
}
