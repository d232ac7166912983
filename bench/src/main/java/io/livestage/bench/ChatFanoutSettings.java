package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.livestage.bench.Knobs.require;

/** Knobs of {@code ./bench/run chat-fanout}; see bench/README.md. */
public record ChatFanoutSettings(
        int smallRooms,
        int smallViewers,
        double smallRate,
        int smallPublishers,
        int largeRooms,
        int largeViewers,
        double largeRate,
        int largePublishers,
        Duration warmup,
        Duration rewarm,
        Duration duration,
        int rounds,
        Duration drain,
        List<Double> sweep,
        Duration sweepDuration,
        int connectRate,
        int connectConcurrency,
        Duration connectTimeout,
        int clientThreads,
        int sourceAddresses,
        int chatInstances,
        int socketioInstances,
        boolean floor,
        boolean signedInViewers,
        long maxMessages,
        Path report,
        Path sessionJar,
        Path chatJar,
        String serviceJavaOpts,
        Path repoRoot,
        String command) {

    /** The systems compared, in the order of each round. */
    static final String CHAT = "chat-service";
    static final String SOCKETIO = "Socket.IO";
    /** The plain Vert.x broadcast server (the physical floor), measured once after the A/B rounds. */
    static final String FLOOR = "floor";

    public ChatFanoutSettings {
        require(smallRooms >= 0 && smallRooms <= 1_000, "small-rooms must be 0..1000");
        require(largeRooms >= 0 && largeRooms <= 100, "large-rooms must be 0..100");
        require(smallRooms + largeRooms >= 1, "small-rooms + large-rooms must be at least 1");
        require(smallViewers >= 0 && largeViewers >= 0, "viewers per room must be >= 0");
        int viewers = smallRooms * smallViewers + largeRooms * largeViewers;
        require(viewers >= 1 && viewers <= 15_000, "small-rooms × small-viewers + large-rooms × large-viewers "
                + "must be 1..15000 (one socket each, and the file-descriptor limit of the harness)");
        require(smallRate >= 0 && smallRate <= 1_000 && largeRate >= 0 && largeRate <= 1_000,
                "small-rate and large-rate must be 0..1000 messages per second per room");
        require(smallPublishers >= 1 && smallPublishers <= 50 && largePublishers >= 1 && largePublishers <= 50,
                "small-publishers and large-publishers must be 1..50 per room");
        require(smallRooms * smallRate + largeRooms * largeRate > 0, "small-rate and large-rate cannot both be 0");
        require(!warmup.isNegative() && warmup.toSeconds() <= 300, "warmup must be 0..300 s");
        require(!rewarm.isNegative() && rewarm.toSeconds() <= 120, "rewarm must be 0..120 s");
        require(duration.toMillis() >= 1_000 && duration.toSeconds() <= 600, "duration must be 1..600 s");
        require(rounds >= 1 && rounds <= 5, "rounds must be 1..5");
        require(rounds >= 1 && duration.toMillis() / rounds >= 1_000, "duration / rounds must be at least 1 s");
        require(drain.toMillis() >= 200 && drain.toSeconds() <= 30, "drain-ms must be 200..30000");
        require(sweep.size() <= 5, "sweep: at most 5 rate multipliers");
        for (double m : sweep) {
            require(m > 0 && m <= 20, "sweep multipliers must be > 0 and <= 20, was " + m);
        }
        require(sweep.isEmpty() || (sweepDuration.toMillis() >= 1_000 && sweepDuration.toSeconds() <= 60),
                "sweep-duration must be 1..60 s");
        require(connectRate >= 10 && connectRate <= 20_000, "connect-rate must be 10..20000 per second");
        require(connectConcurrency >= 1 && connectConcurrency <= 20_000, "connect-concurrency must be 1..20000");
        require(connectTimeout.toSeconds() >= 5 && connectTimeout.toSeconds() <= 300, "connect-timeout must be 5..300 s");
        require(clientThreads >= 1 && clientThreads <= 16, "client-threads must be 1..16");
        require(sourceAddresses >= 1 && sourceAddresses <= 16, "source-addresses must be 1..16 (127.0.0.1 .. 127.0.0.16)");
        require(chatInstances >= 0 && chatInstances <= 4, "chat-instances must be 0..4 (0 skips chat-service)");
        require(socketioInstances >= 0 && socketioInstances <= 4, "socketio-instances must be 0..4 (0 skips Socket.IO)");
        require(chatInstances + socketioInstances >= 1, "chat-instances and socketio-instances cannot both be 0");
        require(maxMessages >= 1_000, "max-messages must be at least 1000");
        sweep = List.copyOf(sweep);
    }

    public static ChatFanoutSettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        Duration duration = knobs.seconds("duration", 24);
        ChatFanoutSettings settings = new ChatFanoutSettings(
                knobs.integer("small-rooms", 100),
                knobs.integer("small-viewers", 40),
                knobs.decimal("small-rate", 1),
                knobs.integer("small-publishers", 2),
                knobs.integer("large-rooms", 4),
                knobs.integer("large-viewers", 1_500),
                knobs.decimal("large-rate", 35),
                knobs.integer("large-publishers", 8),
                knobs.seconds("warmup", 15),
                knobs.seconds("rewarm", 3),
                duration,
                knobs.integer("rounds", 2),
                knobs.millis("drain-ms", 1_000),
                multipliers(knobs.string("sweep", "2")),
                knobs.seconds("sweep-duration", 5),
                knobs.integer("connect-rate", 1_000),
                knobs.integer("connect-concurrency", 200),
                knobs.seconds("connect-timeout", 60),
                knobs.integer("client-threads", 2),
                knobs.integer("source-addresses", 1),
                knobs.integer("chat-instances", 2),
                knobs.integer("socketio-instances", 2),
                bool(knobs.string("floor", "true"), "floor"),
                bool(knobs.string("signed-in-viewers", "true"), "signed-in-viewers"),
                knobs.longValue("max-messages", 2_000_000),
                root.resolve(knobs.string("report", "docs/benchmarks/chat-fanout.md")),
                root.resolve(knobs.string("session-jar", "session-service/target/quarkus-app/quarkus-run.jar")),
                root.resolve(knobs.string("chat-jar", "chat-service/target/quarkus-app/quarkus-run.jar")),
                knobs.string("service-java-opts", ""),
                root,
                command(args));
        knobs.finish();
        return settings;
    }

    /** The command line that ran (without bench/run's own --root), for the report. */
    static String command(String[] args) {
        StringBuilder out = new StringBuilder("./bench/run chat-fanout");
        for (String arg : args) {
            if (!arg.startsWith("--root=")) {
                out.append(' ').append(arg);
            }
        }
        return out.toString();
    }

    static List<Double> multipliers(String text) {
        List<Double> out = new ArrayList<>();
        if (text == null || text.isBlank() || text.equalsIgnoreCase("none") || text.equals("0")) {
            return out;
        }
        for (String part : text.split(",")) {
            try {
                out.add(Double.parseDouble(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sweep must be comma-separated numbers (rate multipliers) or "
                        + "'none', was '" + text + "'");
            }
        }
        return out;
    }

    private static boolean bool(String text, String name) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + text + "'");
        };
    }

    /** Viewer connections (publishers not included). */
    public int viewers() {
        return smallRooms * smallViewers + largeRooms * largeViewers;
    }

    public int publishers() {
        return smallRooms * smallPublishers + largeRooms * largePublishers;
    }

    public int rooms() {
        return smallRooms + largeRooms;
    }

    public double offeredMessagesPerSecond() {
        return smallRooms * smallRate + largeRooms * largeRate;
    }

    /** Deliveries per second to viewers the schedule asks for when every viewer is connected. */
    public double offeredDeliveriesPerSecond() {
        return smallRooms * smallRate * smallViewers + largeRooms * largeRate * largeViewers;
    }

    /** The systems measured, in round order; the floor (if on) runs in the first round only. */
    public List<String> systems() {
        List<String> systems = new ArrayList<>();
        if (chatInstances > 0) {
            systems.add(CHAT);
        }
        if (socketioInstances > 0) {
            systems.add(SOCKETIO);
        }
        if (floor) {
            systems.add(FLOOR);
        }
        return systems;
    }

    public Duration window() {
        return duration.dividedBy(rounds);
    }

    /** The time to open every connection at {@link #connectRate()}. */
    public Duration rampTime() {
        return Duration.ofMillis((long) Math.ceil((viewers() + publishers()) * 1000.0 / connectRate));
    }

    /** Upper bound of the whole run's wall time, for the watchdog. */
    public Duration budget() {
        int systems = systems().size();
        // the floor runs once; counting it in every round only makes the budget looser. Opening the sockets is
        // bounded by the slowest server: allow 50 handshakes/s at least, plus the connect timeout.
        Duration connecting = Duration.ofSeconds((viewers() + publishers()) / 50 + 1).plus(connectTimeout)
                .plus(Duration.ofSeconds(10));
        Duration measured = warmup.plus(window().multipliedBy(rounds)).plus(rewarm.multipliedBy(rounds))
                .plus(sweepDuration.multipliedBy(sweep.size())).plus(drain.multipliedBy(rounds + 1))
                .plus(Duration.ofSeconds(5L * rounds));
        return connecting.multipliedBy((long) rounds * systems).plus(measured.multipliedBy(systems))
                .plus(Duration.ofMinutes(5));
    }
}
