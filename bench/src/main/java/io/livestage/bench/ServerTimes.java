package io.livestage.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server-side timers of the services (Micrometer summaries in {@code /q/metrics}: count and sum), accumulated over
 * measured windows only: {@link #begin()} before a window, {@link #end()} after it. Gives the mean time a request spent
 * in a service, as that service measured it.
 */
final class ServerTimes {
    /** One timer: which service port, metric base name (without _count/_sum), and label fragments to match. */
    record Timer(String name, int port, String metric, String... labels) {
    }

    private final Map<String, Timer> timers = new LinkedHashMap<>();
    private final Map<String, double[]> totals = new LinkedHashMap<>();
    private Map<String, double[]> started;

    ServerTimes add(Timer timer) {
        timers.put(timer.name(), timer);
        totals.put(timer.name(), new double[2]);
        return this;
    }

    void begin() {
        started = snapshot();
    }

    void end() {
        if (started == null) {
            return;
        }
        Map<String, double[]> now = snapshot();
        now.forEach((name, values) -> {
            double[] before = started.get(name);
            double[] total = totals.get(name);
            total[0] += values[0] - before[0];
            total[1] += values[1] - before[1];
        });
        started = null;
    }

    /** Requests counted by the timer over the windows. */
    double count(String name) {
        return totals.get(name)[0];
    }

    /** Mean seconds → milliseconds over the windows; NaN when none was counted. */
    double meanMs(String name) {
        double[] total = totals.get(name);
        return total[0] > 0 ? total[1] / total[0] * 1000 : Double.NaN;
    }

    private Map<String, double[]> snapshot() {
        Map<Integer, String> metricsByPort = new LinkedHashMap<>();
        Map<String, double[]> values = new LinkedHashMap<>();
        timers.forEach((name, timer) -> {
            String metrics = metricsByPort.computeIfAbsent(timer.port(), Harness::metrics);
            values.put(name, new double[] { Harness.sample(metrics, timer.metric() + "_count", timer.labels()),
                    Harness.sample(metrics, timer.metric() + "_sum", timer.labels()) });
        });
        return values;
    }
}
