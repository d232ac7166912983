package io.livestage.bench.core;

import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * One load window: operations completed and failed, latency in µs (HdrHistogram, 3 significant digits) overall and per
 * label, errors by cause.
 */
public record LoadResult(String label, double offered, double seconds, long ok, long errors, Histogram all,
        Map<String, Histogram> byLabel, Map<String, Long> errorsByCause, long lateSends) {

    public static final long HIGHEST_MICROS = 600_000_000L;

    /** Nanoseconds as microseconds within the histograms' range. */
    public static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1_000));
    }

    public static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /** Completed operations per second. */
    public double achieved() {
        return seconds <= 0 ? 0 : ok / seconds;
    }

    public double p50Millis() {
        return percentileMillis(all, 50);
    }

    public double p99Millis() {
        return percentileMillis(all, 99);
    }

    public double p999Millis() {
        return percentileMillis(all, 99.9);
    }

    public double maxMillis() {
        return all.getTotalCount() == 0 ? Double.NaN : all.getMaxValue() / 1000.0;
    }

    public static double percentileMillis(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
