package io.livestage.bench.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;

/**
 * A sweep of the offered load: open-loop steps of increasing rate, p50/p99 at each; the headline is the highest step
 * that met the goal (p99 within it, no errors, at least {@value #KEPT_UP} of the offered rate achieved).
 */
public final class Knee {
    /** Share of the offered rate a step must complete for its p99 to count. */
    public static final double KEPT_UP = 0.95;

    /** One step: the load generator's result and the CPU used by each watched process during it. */
    public record Step(double offered, LoadResult load, Map<String, Cpu.Usage> cpu) {
        public boolean meets(double goalMillis) {
            return load.errors() == 0 && load.ok() > 0 && load.p99Millis() <= goalMillis
                    && load.achieved() >= KEPT_UP * offered;
        }

        /** µs of CPU per completed operation of one process. */
        public double cpuMicrosPerOp(String proc) {
            Cpu.Usage usage = cpu.get(proc);
            return usage == null ? Double.NaN : usage.microsPer(load.ok());
        }
    }

    private Knee() {
    }

    /** Runs the steps in order (each {@code step.apply(rate)}), stopping after two consecutive misses. */
    public static List<Step> sweep(List<Double> rates, double goalMillis, DoubleFunction<Step> step) {
        List<Step> steps = new ArrayList<>();
        int missed = 0;
        for (double rate : rates) {
            Step s = step.apply(rate);
            steps.add(s);
            Log.info("step %.0f/s: achieved %.0f/s, p50 %.2f ms, p99 %.2f ms, %d errors -> %s", s.offered(),
                    s.load().achieved(), s.load().p50Millis(), s.load().p99Millis(), s.load().errors(),
                    s.meets(goalMillis) ? "meets the goal" : "misses the goal");
            missed = s.meets(goalMillis) ? 0 : missed + 1;
            if (missed == 2) {
                break;
            }
        }
        return steps;
    }

    /** The highest offered load whose step met the goal. */
    public static Optional<Step> headline(List<Step> steps, double goalMillis) {
        return steps.stream().filter(s -> s.meets(goalMillis)).max((a, b) -> Double.compare(a.offered(), b.offered()));
    }
}
