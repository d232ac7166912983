package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs of one benchmark run: each from a {@code --name=value} argument, else the environment variable
 * {@code BENCH_NAME} (upper case, '-' as '_'), else its default. Every knob a benchmark reads is consumed; arguments
 * left over at {@link #finish()} are an error (a typo must not silently run the default). See bench/README.md.
 */
public final class Knobs {
    private final Map<String, String> given = new HashMap<>();
    private final Map<String, String> env;

    private Knobs(String[] args, Map<String, String> env) {
        this.env = env;
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
            }
            String[] pair = arg.substring(2).split("=", 2);
            given.put(pair[0].toLowerCase(Locale.ROOT), pair[1]);
        }
    }

    public static Knobs parse(String[] args, Map<String, String> env) {
        return new Knobs(args, env);
    }

    /** The raw value, or null when neither given nor in the environment. */
    public String raw(String name) {
        String value = given.remove(name);
        if (value == null) {
            value = env.get("BENCH_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String string(String name, String fallback) {
        String value = raw(name);
        return value != null ? value : fallback;
    }

    public int integer(String name, int fallback) {
        String value = raw(name);
        try {
            return value != null ? Integer.parseInt(value) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }

    public long longValue(String name, long fallback) {
        String value = raw(name);
        try {
            return value != null ? Long.parseLong(value) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }

    public double decimal(String name, double fallback) {
        String value = raw(name);
        try {
            return value != null ? Double.parseDouble(value) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + value + "'");
        }
    }

    /** Seconds, fractions allowed ({@code 2.5}). */
    public Duration seconds(String name, double fallbackSeconds) {
        return Duration.ofMillis(Math.round(decimal(name, fallbackSeconds) * 1000));
    }

    public Duration millis(String name, long fallbackMillis) {
        return Duration.ofMillis(longValue(name, fallbackMillis));
    }

    /** The repository root ({@code --root}, set by bench/run), absolute. */
    public Path root() {
        return Path.of(string("root", ".")).toAbsolutePath().normalize();
    }

    /** Fails on arguments no knob consumed. */
    public void finish() {
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("Unknown argument(s): " + given.keySet()
                    + "; see bench/README.md for the knobs");
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
