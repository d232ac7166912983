package io.livestage.bench.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and spread of a few rounds. */
public record Stats(double median, double min, double max, int n) {

    public static Stats of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values.stream().filter(v -> !v.isNaN()).toList());
        if (sorted.isEmpty()) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.getFirst(), sorted.getLast(), n);
    }

    /** e.g. {@code 1.23 (1.10–1.31, 5 rounds)}. */
    public String format(String pattern) {
        return String.format(Locale.ROOT, pattern + " (" + pattern + "–" + pattern + ", n = %d)", median, min, max, n);
    }
}
