package io.livestage.bench;

import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * Formatting helpers and the machine/line records of the benchmarks not yet ported to {@code io.livestage.bench.core}
 * (whose reports are rendered by {@link io.livestage.bench.core.Report} from Markdown templates).
 */
public final class Report {

    /** Where a run ran. */
    public record Machine(int cores, String cpu, String jdk, String os, String commit, String date) {
    }

    /** One operation of one target: completed, failed, per second and its latency in µs. */
    public record Line(String target, String op, long ok, long errors, double rps, Histogram histogram) {
    }

    private Report() {
    }

    static String withUnit(double value, String unit) {
        return Double.isNaN(value) ? "n/a" : fixed(value) + unit;
    }

    static String met(double measured, double goal) {
        if (Double.isNaN(measured)) {
            return "not measured";
        }
        return measured <= goal ? "met" : "NOT met";
    }

    static double percentileMs(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : fixed(percentileMs(h, percentile));
    }

    static String maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : fixed(h.getMaxValue() / 1000.0);
    }

    /** Two decimals, or {@code n/a} for NaN. */
    static String number(double value) {
        return Double.isNaN(value) ? "n/a" : fixed(value);
    }

    static String fixed(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String trim1(double value) {
        return String.format(Locale.ROOT, "%.1f", value).replaceAll("\\.0$", "");
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    /** Shortest of up to two decimals: 20, 33.33. */
    static String trim(double value) {
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
    }

}
