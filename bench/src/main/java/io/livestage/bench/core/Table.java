package io.livestage.bench.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/** A Markdown table; numbers are formatted by the caller ({@link #f}). */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + header.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell).replace("|", "\\|").replace("\n", " "));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> out.append("---|"));
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString().stripTrailing();
    }

    /** A table of latencies (µs histograms), one row per {@link #latency}. */
    public static Table latencies(String first) {
        return new Table(first, "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms");
    }

    /** A row of {@link #latencies}: the count and the percentiles in ms. */
    public Table latency(String label, Histogram h) {
        return row(label, h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    /** Microseconds as milliseconds with 3 decimals. */
    public static String ms(double micros) {
        return f(micros / 1000.0, 3);
    }

    /** A number with {@code decimals} places and thousands separators; "n/a" for NaN. */
    public static String f(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** A share 0..1 as a percentage. */
    public static String pct(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    /** A plain number for a RESULT line (no separators). */
    public static String plain(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
