package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static io.livestage.bench.Knobs.require;

/**
 * Knobs of {@code ./bench/run gateway}; see bench/README.md. Durations are per target (direct, gateway) and split
 * over the rounds: {@code --open-duration=30 --rounds=2} is two 15 s windows against each target, A B A B.
 */
public record GatewaySettings(
        Duration warmup,
        long warmupRequests,
        double rate,
        Duration openDuration,
        Duration closedDuration,
        int rounds,
        int connections,
        int openConnections,
        int clientThreads,
        double anonymousShare,
        int users,
        int sessions,
        boolean floor,
        Duration floorWarmup,
        long floorWarmupRequests,
        Duration floorDuration,
        String hopMode,
        long maxRequests,
        Duration requestTimeout,
        Map<String, String> gatewayEnv,
        Map<String, String> variantEnv,
        String gatewayJavaOpts,
        boolean profile,
        Path report,
        Path gatewayJar,
        StackJars stack) {

    /** Environment variable names as a shell accepts them. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The rate limiter's quotas (requests per 60 s) the harness sets unless {@code --gateway-quota=none}. */
    static final String USER_QUOTA_ENV = "LIVESTAGE_GATEWAY_RATE_LIMIT_USER_LIMIT";
    static final String IP_QUOTA_ENV = "LIVESTAGE_GATEWAY_RATE_LIMIT_IP_LIMIT";
    static final long DEFAULT_QUOTA = 1_000_000_000L;

    public GatewaySettings {
        require(!warmup.isNegative() && warmup.toSeconds() <= 600, "warmup must be 0..600 s");
        require(warmupRequests >= 0, "warmup-requests must be >= 0");
        require(floorWarmupRequests >= 0, "floor-warmup-requests must be >= 0");
        require(hopMode.matches("(shared|per-loop)(\\+epoll)?"),
                "hop-mode must be shared or per-loop, optionally with +epoll, was '" + hopMode + "'");
        require(rate >= 1 && rate <= 100_000, "rate must be 1..100000 requests per second, was " + Report.trim(rate));
        require(!openDuration.isNegative() && openDuration.toSeconds() <= 1800, "open-duration must be 0..1800 s");
        require(!closedDuration.isNegative() && closedDuration.toSeconds() <= 1800, "closed-duration must be 0..1800 s");
        require(!openDuration.isZero() || !closedDuration.isZero(),
                "nothing to measure: open-duration=0 and closed-duration=0");
        require(rounds >= 1 && rounds <= 20, "rounds must be 1..20");
        require(connections >= 1 && connections <= 1024, "connections must be 1..1024");
        require(openConnections >= 1 && openConnections <= 4096, "open-connections must be 1..4096");
        require(clientThreads >= 1 && clientThreads <= 16, "client-threads must be 1..16");
        require(anonymousShare >= 0 && anonymousShare <= 1, "anonymous-share must be 0..1");
        require(users >= 1 && users <= 100_000, "users must be 1..100000");
        require(sessions >= 1 && sessions <= 10_000, "sessions must be 1..10000");
        require(!floorDuration.isNegative() && floorDuration.toSeconds() <= 600, "floor-duration must be 0..600 s");
        require(!floorWarmup.isNegative() && floorWarmup.toSeconds() <= 600, "floor-warmup must be 0..600 s");
        require(maxRequests >= 1, "max-requests must be >= 1");
        require(requestTimeout.toMillis() >= 100 && requestTimeout.toSeconds() <= 120,
                "request-timeout-ms must be 100..120000");
        gatewayEnv = Map.copyOf(gatewayEnv);
        variantEnv = Map.copyOf(variantEnv);
    }

    public static GatewaySettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        Map<String, String> gatewayEnv = new LinkedHashMap<>();
        String quota = knobs.string("gateway-quota", Long.toString(DEFAULT_QUOTA));
        if (!quota.equalsIgnoreCase("none")) {
            long limit;
            try {
                limit = Long.parseLong(quota);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("gateway-quota must be a whole number or 'none', was '" + quota + "'");
            }
            require(limit >= 1 && limit <= Integer.MAX_VALUE, "gateway-quota must be 1.." + Integer.MAX_VALUE);
            gatewayEnv.put(USER_QUOTA_ENV, Long.toString(limit));
            gatewayEnv.put(IP_QUOTA_ENV, Long.toString(limit));
        }
        gatewayEnv.putAll(parseEnv(knobs.string("gateway-env", "")));
        GatewaySettings settings = new GatewaySettings(
                knobs.seconds("warmup", 45),
                knobs.longValue("warmup-requests", 60_000),
                knobs.decimal("rate", 2_000),
                knobs.seconds("open-duration", 24),
                knobs.seconds("closed-duration", 16),
                knobs.integer("rounds", 2),
                knobs.integer("connections", 32),
                knobs.integer("open-connections", 256),
                knobs.integer("client-threads", 1),
                knobs.decimal("anonymous-share", 0.2),
                knobs.integer("users", 20),
                knobs.integer("sessions", 100),
                bool(knobs.string("floor", "true"), "floor"),
                knobs.seconds("floor-warmup", 20),
                knobs.longValue("floor-warmup-requests", 50_000),
                knobs.seconds("floor-duration", 5),
                knobs.string("hop-mode", "shared"),
                knobs.longValue("max-requests", 2_000_000),
                knobs.millis("request-timeout-ms", 10_000),
                gatewayEnv,
                parseEnv(knobs.string("variant-env", "")),
                knobs.string("gateway-java-opts", ""),
                bool(knobs.string("profile", "true"), "profile"),
                root.resolve(knobs.string("report", "docs/benchmarks/gateway.md")),
                root.resolve(knobs.string("gateway-jar", "gateway/target/quarkus-app/quarkus-run.jar")),
                StackJars.from(knobs));
        knobs.finish();
        return settings;
    }

    /**
     * {@code NAME=value,NAME2=value2} (a value may contain '='; entries are separated by commas, so a value cannot
     * hold one). Empty: none.
     */
    static Map<String, String> parseEnv(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            require(eq > 0, "gateway-env entries must be NAME=value, was '" + trimmed + "'");
            String name = trimmed.substring(0, eq).trim();
            require(ENV_NAME.matcher(name).matches(), "gateway-env: '" + name + "' is not an environment variable name");
            out.put(name, trimmed.substring(eq + 1).trim());
        }
        return out;
    }

    private static boolean bool(String value, String name) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + value + "'");
        };
    }

    /**
     * A warm-up lasts {@code warmup} and until {@code warmup-requests} went through the gateway (the JIT needs calls, not
     * seconds: on a busy machine 45 s may be too few), but never longer than this.
     */
    public Duration warmupCap() {
        return warmup.multipliedBy(3);
    }

    /** The same for the proxy hop's warm-up. */
    public Duration floorWarmupCap() {
        return floorWarmup.multipliedBy(3);
    }

    /** One open-loop window against one target. */
    public Duration openWindow() {
        return openDuration.dividedBy(rounds);
    }

    /** One closed-loop window against one target. */
    public Duration closedWindow() {
        return closedDuration.dividedBy(rounds);
    }

    /** Requests one open-loop window schedules (bounded by {@code max-requests}). */
    public long openRequests(Duration window) {
        return Math.min(maxRequests, Math.round(rate * window.toNanos() / 1e9));
    }

    /** Time spent loading the floor and the plain proxy hop: warm-up, then each in open and closed loop. */
    public Duration floorTotal() {
        if (!floor || floorDuration.isZero()) {
            return Duration.ZERO;
        }
        // warm-up (hop, then 2 s floor, then 1 s open loop each) + 2 targets × (open + closed)
        return floorWarmup.plus(Duration.ofSeconds(4)).plus(floorDuration.multipliedBy(4));
    }

    /** {@link #floorTotal()} when the hop's warm-up runs to its cap. */
    Duration floorTotalAtMost() {
        return floor && !floorDuration.isZero() ? floorTotal().plus(floorWarmupCap().minus(floorWarmup)) : Duration.ZERO;
    }

    /** The measured and warm-up time of the defaults, without start-up: what the run spends loading. */
    public Duration loadTime() {
        return warmup.plus(Duration.ofSeconds(4)).plus(openDuration.multipliedBy(targets()))
                .plus(closedDuration.multipliedBy(targets())).plus(floorTotal());
    }

    /** Targets measured in each round: direct and gateway, plus the variant gateway when there is one. */
    public int targets() {
        return variantEnv.isEmpty() ? 2 : 3;
    }

    /** Upper bound of the whole run's wall time, for the watchdog. */
    public Duration budget() {
        // open-loop windows end within about their length plus the backlog bound and the request timeout
        return warmupCap().plus(openDuration.multipliedBy(targets())).plus(closedDuration.multipliedBy(targets()))
                .plus(floorTotalAtMost().multipliedBy(2)).plus(requestTimeout.multipliedBy(4L * rounds + 8))
                .plus(Duration.ofMinutes(6));
    }
}
