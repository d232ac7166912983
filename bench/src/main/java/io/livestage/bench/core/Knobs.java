package io.livestage.bench.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The knobs of one run: each from {@code --name=value}, else the environment variable {@code BENCH_NAME} (upper case,
 * '-' as '_'), else its default.
 */
public final class Knobs {
    private final Map<String, String> given = new LinkedHashMap<>();
    private final Map<String, String> env;
    private final Map<String, String> used = new TreeMap<>();

    public Knobs(List<String> args, Map<String, String> env) {
        this.env = env;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new BadKnob("expected --name=value, got '" + arg + "'");
            }
            given.put(arg.substring(2, eq).toLowerCase(Locale.ROOT), arg.substring(eq + 1));
        }
    }

    /** A knob's value is invalid or unknown: the run exits with status 2. */
    public static final class BadKnob extends IllegalArgumentException {
        public BadKnob(String message) {
            super(message);
        }
    }

    private String raw(String name) {
        String value = given.remove(name);
        if (value == null) {
            value = env.get("BENCH_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A knob without a default, read now (so it is not refused) but shown in the report only if set: null if unset. */
    public String optional(String name) {
        String value = raw(name);
        if (value != null) {
            used.put(name, value);
        }
        return value;
    }

    public String string(String name, String fallback) {
        String value = raw(name);
        String result = value != null ? value : fallback;
        used.put(name, result);
        return result;
    }

    public int integer(String name, int fallback) {
        return (int) number(name, fallback);
    }

    public long number(String name, long fallback) {
        String value = string(name, Long.toString(fallback));
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new BadKnob(name + " must be a whole number, was '" + value + "'");
        }
    }

    public double decimal(String name, double fallback) {
        String value = string(name, Double.toString(fallback));
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new BadKnob(name + " must be a number, was '" + value + "'");
        }
    }

    public boolean flag(String name, boolean fallback) {
        String value = string(name, Boolean.toString(fallback));
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadKnob(name + " must be true or false, was '" + value + "'");
        };
    }

    /** A duration: {@code 500ms}, {@code 10s}, {@code 2m}, or plain seconds ({@code 2.5}). */
    public Duration duration(String name, String fallback) {
        String value = string(name, fallback);
        try {
            return parseDuration(value);
        } catch (NumberFormatException e) {
            throw new BadKnob(name + " must be a duration such as 500ms, 10s, 2m, was '" + value + "'");
        }
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("m")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
        }
        if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }

    /** A comma-separated list of numbers, e.g. the offered-load steps of a sweep. */
    public List<Double> decimals(String name, String fallback) {
        String value = string(name, fallback);
        List<Double> values = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                values.add(Double.parseDouble(part.trim().replace("_", "")));
            } catch (NumberFormatException e) {
                throw new BadKnob(name + " must be numbers separated by commas, was '" + value + "'");
            }
        }
        return values;
    }

    /** A path, relative to the repository root unless absolute. */
    public Path path(Path root, String name, String fallback) {
        return root.resolve(string(name, fallback)).toAbsolutePath().normalize();
    }

    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new BadKnob(message);
        }
    }

    /** Refuses arguments no knob consumed. */
    public void finish() {
        if (!given.isEmpty()) {
            throw new BadKnob("unknown argument(s) " + given.keySet() + "; see bench/README.md for the knobs");
        }
    }

    /** Every knob read, with the value used (for the report). */
    public Map<String, String> used() {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(used));
    }
}
